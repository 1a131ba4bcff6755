import { EntityManager } from 'typeorm';

export type AuditOutcome = 'succeeded' | 'refused';

/** Who did what to which record, when (the database clock), with what outcome, in which request. */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  transferId?: string | null;
  outcome: AuditOutcome;
  reasonCode?: string | null;
  requestId: string | null;
  /** The caller's own X-Request-Id, when it was short printable ASCII (kept beside the service's id, never instead of it). */
  clientRequestId?: string | null;
  /** Never personal data: ids, codes and counts only. */
  details?: Record<string, unknown>;
}

/** Appends one audit event using the caller's transaction. */
export async function appendAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  await manager.query(
    `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, reason_code, request_id, client_request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      entry.actorId,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.transferId ?? null,
      entry.outcome,
      entry.reasonCode ?? null,
      entry.requestId,
      entry.clientRequestId ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

/** One audit event as AUDIT_COLUMNS reads it. */
export interface AuditEventRow {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  transferId: string | null;
  outcome: AuditOutcome;
  reasonCode: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export const AUDIT_COLUMNS = `id::text AS "id", occurred_at AS "occurredAt", actor_id AS "actorId", action, entity_type AS "entityType",
  entity_id AS "entityId", transfer_id AS "transferId", outcome, reason_code AS "reasonCode", request_id AS "requestId", details`;

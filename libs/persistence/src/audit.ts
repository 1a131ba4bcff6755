import { EntityManager } from 'typeorm';
import { prepared, runPrepared } from './prepared.js';

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

const APPEND = prepared(
  `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, reason_code, request_id, client_request_id, details)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
);

/** Appends one audit event using the caller's transaction. */
export async function appendAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  await runPrepared(manager, APPEND, [
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
  ]);
}

const APPEND_EACH = prepared(
  `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, reason_code, request_id, client_request_id, details)
   SELECT $1, $2, $3, r.entity_id, r.transfer_id, $4, $5, $6, $7, $8 FROM unnest($9::text[], $10::uuid[]) AS r(entity_id, transfer_id)`,
);

/** Appends the same event once for each record (e.g. every transfer a list shows), in one statement. */
export async function appendAuditEach(
  manager: EntityManager,
  entry: Omit<AuditEntry, 'entityId' | 'transferId'>,
  records: { entityId: string; transferId: string | null }[],
): Promise<void> {
  if (records.length === 0) return;
  await runPrepared(manager, APPEND_EACH, [
    entry.actorId,
    entry.action,
    entry.entityType,
    entry.outcome,
    entry.reasonCode ?? null,
    entry.requestId,
    entry.clientRequestId ?? null,
    JSON.stringify(entry.details ?? {}),
    records.map((r) => r.entityId),
    records.map((r) => r.transferId),
  ]);
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

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

const APPEND_MANY = prepared(
  `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, reason_code, request_id, client_request_id, details)
   SELECT r.actor_id, r.action, r.entity_type, r.entity_id, r.transfer_id, r.outcome, r.reason_code, r.request_id, r.client_request_id, r.details
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[], $10::jsonb[])
          WITH ORDINALITY AS r(actor_id, action, entity_type, entity_id, transfer_id, outcome, reason_code, request_id, client_request_id, details, n)
    ORDER BY r.n`,
);

/**
 * Appends audit events in one statement however many (e.g. every transfer a list shows, or a read
 * and the confidential-address reading it made), in the order given — so they are written together
 * or not at all, even outside a transaction.
 */
export async function appendAudits(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (entries.length === 1) return appendAudit(manager, entries[0]);
  const column = <K extends keyof AuditEntry>(key: K) => entries.map((e) => e[key] ?? null);
  await runPrepared(manager, APPEND_MANY, [
    column('actorId'),
    column('action'),
    column('entityType'),
    column('entityId'),
    column('transferId'),
    column('outcome'),
    column('reasonCode'),
    column('requestId'),
    column('clientRequestId'),
    entries.map((e) => JSON.stringify(e.details ?? {})),
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

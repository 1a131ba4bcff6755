import type { RiskFlag, TransferRequestStatus, TransferStatus } from '@fh/domain';
import type { EntityManager } from 'typeorm';

/**
 * Retention (issue 12 item 12): finding transfers whose retention period is over, erasing their
 * family data down to the tombstone, and pruning sent emails and dispatched outbox rows. Plain
 * functions on the caller's EntityManager, so an erasure and its audit event commit together.
 */

/** The ended transfers that still hold family data and ended at or before `cutoff`, oldest first. */
export async function transfersDueForErasure(manager: EntityManager, cutoff: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM transfers
     WHERE erased_at IS NULL AND status IN ('closed','cancelled') AND coalesce(closed_at, cancelled_at) <= $1
     ORDER BY coalesce(closed_at, cancelled_at), id LIMIT $2`,
    [cutoff, limit],
  );
  return rows.map((r) => r.id);
}

/** What the retention rule needs of one transfer, its row locked for the rest of the transaction. */
export interface RetentionFacts {
  status: TransferStatus;
  endedAt: Date | null;
  erasedAt: Date | null;
  riskFlags: RiskFlag[];
}

export async function lockRetentionFacts(manager: EntityManager, id: string): Promise<RetentionFacts | null> {
  const rows: RetentionFacts[] = await manager.query(
    `SELECT status, coalesce(closed_at, cancelled_at) AS "endedAt", erased_at AS "erasedAt", risk_flags AS "riskFlags"
     FROM transfers WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/** How many rows of each kind an erasure deleted (counts only: they go into the audit event). */
export type ErasedCounts = Record<(typeof ERASED_TABLES)[number]['name'], number>;

/**
 * Every mutable row holding family data of a transfer, in an order the foreign keys allow. A table
 * added later that holds family data joins this list (test/retention.int-spec.ts checks that no
 * table referencing transfers is left out).
 */
const ERASED_TABLES = [
  // Emails carry only a reference and a link, but they are the transfer's correspondence: gone with it.
  {
    name: 'emails',
    table: 'emails',
    sql: `DELETE FROM emails WHERE transfer_id = $1 OR chase_item_id IN (SELECT id FROM chase_items WHERE transfer_id = $1)`,
  },
  { name: 'chaseItems', table: 'chase_items', sql: `DELETE FROM chase_items WHERE transfer_id = $1` },
  // the family not reached (issue 14 item 2): attempts, checks, the alert's reference, how found
  {
    name: 'notReachedRoutes',
    table: 'not_reached_routes',
    sql: `DELETE FROM not_reached_routes WHERE transfer_id = $1`,
  },
  { name: 'agreedActions', table: 'agreed_actions', sql: `DELETE FROM agreed_actions WHERE transfer_id = $1` },
  { name: 'directContacts', table: 'direct_contacts', sql: `DELETE FROM direct_contacts WHERE transfer_id = $1` },
  {
    name: 'flagAcknowledgements',
    table: 'flag_acknowledgements',
    sql: `DELETE FROM flag_acknowledgements WHERE transfer_id = $1`,
  },
  { name: 'appointments', table: 'appointments', sql: `DELETE FROM appointments WHERE transfer_id = $1` },
  { name: 'concerns', table: 'concerns', sql: `DELETE FROM concerns WHERE transfer_id = $1` },
  {
    name: 'memberInvolvements',
    table: 'member_involvements',
    sql: `DELETE FROM member_involvements WHERE transfer_id = $1`,
  },
  { name: 'householdMembers', table: 'household_members', sql: `DELETE FROM household_members WHERE transfer_id = $1` },
  // Idempotency keys whose response showed this transfer (or a chase item or appointment of it).
  {
    name: 'idempotentResponses',
    table: 'idempotency_keys',
    sql: `DELETE FROM idempotency_keys WHERE response_transfer_id = $1`,
  },
] as const;

/** The tables `eraseTransferData` deletes a transfer's rows from (for the test that none is missed). */
export const ERASED_TABLE_NAMES: readonly string[] = ERASED_TABLES.map((t) => t.table);

/**
 * Erases a transfer's family data in the caller's transaction, leaving the tombstone: the transfer
 * row keeps its reference, areas, teams, accountable practitioner, status, dates and flag codes;
 * every free-text and address column is nulled and `erased_at` set. Packets and audit events are
 * immutable and are not touched.
 */
export async function eraseTransferData(
  manager: EntityManager,
  id: string,
  tombstone: { riskFlags: RiskFlag[]; erasedAt: Date },
): Promise<ErasedCounts> {
  const counts = {} as ErasedCounts;
  for (const table of ERASED_TABLES) {
    const [, affected] = (await manager.query(table.sql, [id])) as [unknown, number];
    counts[table.name] = affected;
  }
  await manager.query(
    `UPDATE transfers SET erased_at = $2, risk_flags = $3, reason = NULL, previous_address_area = NULL,
       new_address = NULL, support_network_note = NULL, no_male_carer_reason = NULL, return_reason = NULL,
       cancel_reason = NULL, short_stay_reason = NULL, conference_chair = NULL, conference_notes = NULL,
       consent_given_by = NULL, sharing_rationale = NULL, family_not_informed_reason = NULL, version = version + 1
     WHERE id = $1`,
    [id, tombstone.erasedAt, JSON.stringify(tombstone.riskFlags)],
  );
  return counts;
}

/** How many a pruning turn deleted. */
export interface PrunedCounts {
  outbox: number;
  emails: number;
}

/**
 * Deletes up to `batch` dispatched outbox rows and up to `batch` sent emails older than `cutoff`.
 * Never a row still to do: an outbox row not yet dispatched, an email queued, failed or withdrawn —
 * nor the outbox row of an email still queued (the reconciler re-dispatches through it).
 */
export async function pruneDelivered(manager: EntityManager, cutoff: Date, batch: number): Promise<PrunedCounts> {
  const [, outbox] = (await manager.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT o.id FROM outbox o
       WHERE o.dispatched_at IS NOT NULL AND o.dispatched_at < $1
         AND NOT CASE WHEN o.job_name = 'email.send' THEN EXISTS (
           SELECT 1 FROM emails e WHERE e.id = (o.payload->>'emailId')::uuid AND e.status = 'queued') ELSE false END
       ORDER BY o.dispatched_at, o.id LIMIT $2)`,
    [cutoff, batch],
  )) as [unknown, number];
  const [, emails] = (await manager.query(
    `DELETE FROM emails WHERE id IN (
       SELECT id FROM emails WHERE status = 'sent' AND sent_at < $1 ORDER BY sent_at, id LIMIT $2)`,
    [cutoff, batch],
  )) as [unknown, number];
  return { outbox, emails };
}

/** The answered transfer requests still holding family data, answered at or before `cutoff`, oldest first. */
export async function transferRequestsDueForErasure(
  manager: EntityManager,
  cutoff: Date,
  limit: number,
): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM transfer_requests WHERE erased_at IS NULL AND status <> 'open' AND responded_at <= $1
     ORDER BY responded_at, id LIMIT $2`,
    [cutoff, limit],
  );
  return rows.map((r) => r.id);
}

/** What the retention rule needs of one request, its row locked for the rest of the transaction. */
export async function lockRequestRetentionFacts(
  manager: EntityManager,
  id: string,
): Promise<{ status: TransferRequestStatus; respondedAt: Date | null; erasedAt: Date | null } | null> {
  const rows = await manager.query(
    `SELECT status, responded_at AS "respondedAt", erased_at AS "erasedAt" FROM transfer_requests WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * The tables an erasure of a transfer request deletes its rows from, and the table whose row stays
 * as its tombstone (test/retention.int-spec.ts checks none is missed).
 */
export const REQUEST_ERASED_TABLE_NAMES: readonly string[] = [
  'transfer_request_children',
  'transfer_request_keys',
  'transfer_requests',
];

/**
 * Erases a transfer request's family data in the caller's transaction: its data key is destroyed
 * (crypto-shredding), its children deleted, its free text nulled, `erased_at` set; the row stays
 * (reference, teams, areas, status, dates, the linked transfer) for the statistics.
 */
export async function eraseTransferRequestData(
  manager: EntityManager,
  id: string,
  erasedAt: Date,
): Promise<{ children: number; dataKeyDestroyed: boolean }> {
  const [, keys] = (await manager.query(`DELETE FROM transfer_request_keys WHERE transfer_request_id = $1`, [id])) as [
    unknown,
    number,
  ];
  const [, children] = (await manager.query(`DELETE FROM transfer_request_children WHERE transfer_request_id = $1`, [
    id,
  ])) as [unknown, number];
  await manager.query(
    `UPDATE transfer_requests SET erased_at = $2, how_known = NULL, concern = NULL, decline_reason = NULL,
       next_chase_at = NULL, version = version + 1 WHERE id = $1`,
    [id, erasedAt],
  );
  return { children, dataKeyDestroyed: keys > 0 };
}

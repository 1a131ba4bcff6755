import type { RiskFlag } from './risk-flags.js';
import type { TransferStatus } from './vocabulary.js';

/**
 * Retention (issue 12 item 12). A transfer's family data is kept for the retention period after it
 * ended — closed or cancelled — and then erased; the case record itself lives in each area's own
 * case system, so this service keeps only what the statistics need (the tombstone).
 */
const DAY_MS = 24 * 3600 * 1000;

/** The statuses after which nothing more happens to a transfer: the retention period runs from them. */
export const ENDED_STATUSES = ['closed', 'cancelled'] as const satisfies readonly TransferStatus[];

/**
 * The moment `days` before `now`: transfers that ended at or before it are due for erasure (with
 * RETENTION_DAYS), sent emails and dispatched outbox rows made before it are pruned (with DELIVERED_RETENTION_DAYS).
 */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/** Whether a transfer that is `status` and ended at `endedAt` is due for erasure at `now`. */
export function dueForErasure(
  transfer: { status: TransferStatus; endedAt: Date | null; erasedAt: Date | null },
  now: Date,
  days: number,
): boolean {
  if (transfer.erasedAt !== null || transfer.endedAt === null) return false;
  if (!(ENDED_STATUSES as readonly TransferStatus[]).includes(transfer.status)) return false;
  return transfer.endedAt.getTime() <= retentionCutoff(now, days).getTime();
}

/**
 * What the tombstone keeps of the risk flags: which were raised and how severe, for the statistics —
 * never whom they were about or the summary (it names areas, risk factors and counts of the family).
 */
export function tombstoneFlags(flags: readonly Pick<RiskFlag, 'code' | 'severity'>[]): RiskFlag[] {
  return flags.map((f) => ({ code: f.code, severity: f.severity, memberIds: [], summary: '' }));
}

import type { TransferStatus } from '@fh/domain';

/**
 * Whether an email still waiting to be sent should no longer go, now that its transfer is in
 * `status` — and why (stored on the row). Decided per kind (docs/decisions.md, Notifications):
 * - a cancelled transfer: only the cancellation notice goes; every other notice (initiated,
 *   critical flags, contact, returned, reassigned) and every reminder asks someone to act on a
 *   transfer that no longer exists, so it is withdrawn;
 * - a closed transfer: reminders are withdrawn (nothing is left to chase); notices still go;
 * - emails about no transfer (the daily digest) always go.
 */
export function withdrawalReason(kind: string, status: TransferStatus | null): string | null {
  if (status === 'cancelled' && kind !== 'transfer.cancelled')
    return 'withdrawn: the transfer was cancelled before this was sent';
  if (status === 'closed' && kind.startsWith('reminder.'))
    return 'withdrawn: the transfer was closed before this was sent';
  return null;
}

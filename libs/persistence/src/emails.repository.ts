import type { TransferStatus } from '@fh/domain';
import type { EntityManager } from 'typeorm';

/**
 * The email sender's SQL: claim (a short transaction), send outside any transaction, then mark (another
 * short one). No transaction or row lock is held during the SMTP conversation, so a slow relay cannot
 * pin connections of the pool or block anyone reading or writing the row (issue 12 item 13).
 */

/** A queued email as the sender needs it, with its transfer's state as last committed. */
export interface QueuedEmailRow {
  status: string;
  kind: string;
  transferStatus: TransferStatus | null;
  recipient: string;
  subject: string;
  body: string;
  messageId: string;
  /** The job whose attempt claimed it last, and when (null: nobody is sending it). */
  sendingJob: string | null;
  sendingSince: Date | null;
  /** Whether that claim is younger than the lease. */
  claimFresh: boolean;
}

/** The email row, locked for the caller's (short) transaction. */
export async function lockEmailForClaim(
  manager: EntityManager,
  emailId: string,
  leaseMs: number,
): Promise<QueuedEmailRow | null> {
  const rows: QueuedEmailRow[] = await manager.query(
    `SELECT e.status, e.kind, t.status AS "transferStatus", e.recipient, e.subject, e.body, e.message_id AS "messageId",
            e.sending_job AS "sendingJob", e.sending_since AS "sendingSince",
            COALESCE(e.sending_since > now() - make_interval(secs => $2::double precision / 1000), false) AS "claimFresh"
       FROM emails e LEFT JOIN transfers t ON t.id = e.transfer_id WHERE e.id = $1 FOR UPDATE OF e`,
    [emailId, leaseMs],
  );
  return rows[0] ?? null;
}

/** Records who is sending it now; the returned token names this attempt's claim. */
export async function claimEmail(manager: EntityManager, emailId: string, jobId: string): Promise<string> {
  // An UPDATE … RETURNING answers [rows, count] through TypeORM's postgres driver.
  const [rows] = (await manager.query(
    `UPDATE emails SET sending_token = gen_random_uuid(), sending_job = $2, sending_since = now()
     WHERE id = $1 RETURNING sending_token AS token`,
    [emailId, jobId],
  )) as [{ token: string }[], number];
  return rows[0].token;
}

export async function markEmailWithdrawn(manager: EntityManager, emailId: string, reason: string): Promise<void> {
  await manager.query(
    `UPDATE emails SET status = 'withdrawn', last_error = $2, sending_token = NULL, sending_job = NULL, sending_since = NULL
     WHERE id = $1`,
    [emailId, reason],
  );
}

/** The relay took it: sent, whoever claimed it since (the message went). */
export async function markEmailSent(manager: EntityManager, emailId: string): Promise<void> {
  await manager.query(
    `UPDATE emails SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL,
       sending_token = NULL, sending_job = NULL, sending_since = NULL
     WHERE id = $1 AND status = 'queued'`,
    [emailId],
  );
}

/**
 * A failed attempt (codes only in `error`): always counted while the row is `queued`; `failed` for
 * good when `giveUp`, and the claim released, only while this attempt's claim stands — so a late
 * failure never ends or unclaims an email another attempt has since taken over.
 */
export async function markEmailAttemptFailed(
  manager: EntityManager,
  emailId: string,
  token: string,
  error: string,
  giveUp: boolean,
): Promise<void> {
  await manager.query(
    `UPDATE emails SET attempts = attempts + 1, last_error = $3,
       status = CASE WHEN $4 AND sending_token = $2 THEN 'failed' ELSE status END,
       failed_at = CASE WHEN $4 AND sending_token = $2 THEN now() ELSE failed_at END,
       sending_job = CASE WHEN sending_token = $2 THEN NULL ELSE sending_job END,
       sending_since = CASE WHEN sending_token = $2 THEN NULL ELSE sending_since END,
       sending_token = CASE WHEN sending_token = $2 THEN NULL ELSE sending_token END
     WHERE id = $1 AND status = 'queued'`,
    [emailId, token, error, giveUp],
  );
}

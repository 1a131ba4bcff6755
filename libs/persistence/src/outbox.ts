import { EntityManager } from 'typeorm';
import type { JobName, JobPayloads } from '@fh/queues';

/**
 * Records the intent to run a job, in the caller's transaction. The worker's relay moves it into
 * BullMQ later, with the outbox row's id as the job id. The API never talks to Redis directly.
 */
export async function addToOutbox<J extends JobName>(
  manager: EntityManager,
  jobName: J,
  payload: JobPayloads[J],
  availableAt?: Date,
): Promise<string> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO outbox (job_name, payload, available_at) VALUES ($1, $2, COALESCE($3, now())) RETURNING id`,
    [jobName, JSON.stringify(payload), availableAt ?? null],
  );
  return rows[0].id;
}

export interface PendingOutboxRow {
  id: string;
  jobName: JobName;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Claims up to `limit` due rows for this transaction. Rows another relay holds are skipped, so
 * several workers can relay at once without dispatching a row twice.
 */
export function claimDueOutbox(manager: EntityManager, limit: number): Promise<PendingOutboxRow[]> {
  return manager.query(
    `SELECT id, job_name AS "jobName", payload, attempts FROM outbox
     WHERE dispatched_at IS NULL AND available_at <= now()
     ORDER BY available_at, id
     LIMIT $1
     FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

export async function markOutboxDispatched(manager: EntityManager, id: string): Promise<void> {
  await manager.query(
    `UPDATE outbox SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
    [id],
  );
}

/** A failed hand-over to Redis: try again after `retryAfterMs`. */
export async function markOutboxFailed(
  manager: EntityManager,
  id: string,
  error: string,
  retryAfterMs: number,
): Promise<void> {
  await manager.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $2, available_at = now() + ($3 || ' milliseconds')::interval WHERE id = $1`,
    [id, error.slice(0, 500), String(retryAfterMs)],
  );
}

/**
 * Dispatched `email.send` rows of up to $2 emails still `queued` $1 seconds after they were written
 * (oldest first): the jobs the reconciler asks Redis about. Found through outbox_email_id_idx.
 */
export const DISPATCHED_JOBS_OF_QUEUED_EMAILS_SQL = `SELECT o.id FROM (
    SELECT id FROM emails WHERE status = 'queued' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2) e
  JOIN outbox o ON o.job_name = 'email.send' AND o.payload->>'emailId' = e.id::text AND o.dispatched_at IS NOT NULL`;

export function dispatchedJobsOfQueuedEmails(
  manager: EntityManager,
  graceSeconds: number,
  limit: number,
): Promise<{ id: string }[]> {
  return manager.query(DISPATCHED_JOBS_OF_QUEUED_EMAILS_SQL, [graceSeconds, limit]);
}

/**
 * Per transfer, its latest `packet.generate` row written within `window` (a PostgreSQL interval,
 * e.g. '24 hours') and more than `graceSeconds` ago, when it was dispatched and no packet carries its
 * job id: up to `limit` of them.
 */
export function dispatchedPacketJobsWithoutPacket(
  manager: EntityManager,
  window: string,
  graceSeconds: number,
  limit: number,
): Promise<{ id: string }[]> {
  return manager.query(
    `SELECT latest.id FROM (
       SELECT DISTINCT ON (payload->>'transferId') id, dispatched_at FROM outbox
       WHERE job_name = 'packet.generate' AND created_at > now() - $3::interval
       ORDER BY payload->>'transferId', created_at DESC, id DESC) latest
     JOIN outbox o ON o.id = latest.id
     WHERE latest.dispatched_at IS NOT NULL AND o.created_at < now() - make_interval(secs => $1)
       AND NOT EXISTS (SELECT 1 FROM packets p WHERE p.job_id = latest.id::text)
     LIMIT $2`,
    [graceSeconds, limit, window],
  );
}

/** Marks dispatched rows pending again (due now), so the relay re-adds each with the same job id. */
export async function redispatchOutbox(manager: EntityManager, ids: string[], reason: string): Promise<void> {
  await manager.query(
    `UPDATE outbox SET dispatched_at = NULL, available_at = now(), last_error = $2
     WHERE id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL`,
    [ids, reason],
  );
}

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

import { EntityManager } from 'typeorm';

/**
 * A stored first response to an idempotent request (status null while its transaction is still
 * open): its status and the resource it showed, never its body (family data) — a replay renders
 * that resource again.
 */
export interface StoredResponse {
  requestHash: string;
  status: number | null;
  /** The id of the resource the response showed (a transfer, a chase item, an appointment). */
  resourceId: string | null;
  /** The transfer that resource belongs to (replays are audited in its trail). */
  transferId: string | null;
}

/** idempotency_keys: one row per (actor, key), holding the request's hash and, once stored, its response. */
export class IdempotencyRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Claims the key for this request; false if it was claimed before. A concurrent claim of the same
   * key waits on the row until the claiming transaction ends.
   */
  async claim(actorId: string, key: string, requestHash: string): Promise<boolean> {
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO idempotency_keys (actor_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [actorId, key, requestHash],
    );
    return inserted.length > 0;
  }

  /** What the key holds: the request's hash and the stored response; null if there is no such key. */
  async find(actorId: string, key: string): Promise<StoredResponse | null> {
    const rows: StoredResponse[] = await this.manager.query(
      `SELECT request_hash AS "requestHash", response_status AS status, response_resource_id AS "resourceId", response_transfer_id AS "transferId"
       FROM idempotency_keys WHERE actor_id = $1 AND key = $2`,
      [actorId, key],
    );
    return rows[0] ?? null;
  }

  /** Stores the first response's status and the resource it showed (re-rendered on a replay). */
  async storeResponse(
    actorId: string,
    key: string,
    status: number,
    resourceId: string,
    transferId: string | null,
  ): Promise<void> {
    await this.manager.query(
      `UPDATE idempotency_keys SET response_status = $3, response_resource_id = $4, response_transfer_id = $5 WHERE actor_id = $1 AND key = $2`,
      [actorId, key, status, resourceId, transferId],
    );
  }

  /** Housekeeping: idempotency keys (and which response they gave) are kept 24 hours, then deleted. */
  async purgeExpired(): Promise<void> {
    await this.manager.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`);
  }
}

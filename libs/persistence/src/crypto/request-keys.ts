import { randomBytes } from 'node:crypto';
import type { DataKeyRing } from '@fh/config';
import type { EntityManager } from 'typeorm';
import { openBytes, sealBytes, TransferCipher } from './cipher.js';
import { dataKeyRingOf } from './key-ring.js';
import { DataKeyMissingError } from './transfer-keys.repository.js';

/**
 * transfer_request_keys (issue 14 item 3): a transfer request holds family data before there is any
 * transfer — the children's names, dates of birth and NHS numbers, how the family is known, the
 * concern, a decline's reason — so it has a data key of its own, made, wrapped and destroyed exactly
 * as a transfer's is (transfer-keys.repository.ts): a random 256-bit key, stored only wrapped by a
 * KEK of DATA_KEY_RING (bound to the request and the KEK id), and deleted by retention to
 * crypto-shred the request. Its values are sealed with the same cipher, whose AAD names the
 * request's id and `transfer_requests.<column>` / `transfer_request_children.<column>`, so a value
 * moved to a transfer, another request or another column does not open.
 */
const wrapAad = (requestId: string, kekId: string) => `transfer_request_keys/${requestId}/${kekId}`;

export function wrapRequestKey(ring: DataKeyRing, requestId: string, dataKey: Buffer) {
  const kek = ring.keys.get(ring.activeId)!;
  return { kekId: ring.activeId, wrapped: sealBytes(kek, wrapAad(requestId, ring.activeId), dataKey) };
}

export function unwrapRequestKey(ring: DataKeyRing, requestId: string, kekId: string, wrapped: Buffer): Buffer {
  const kek = ring.keys.get(kekId);
  if (!kek)
    throw new Error(
      `transfer request ${requestId}'s data key is wrapped by KEK ${kekId}, which is not in DATA_KEY_RING`,
    );
  return openBytes(kek, wrapAad(requestId, kekId), wrapped);
}

/** Makes the data key of a new request (in the transaction that inserts it) and returns its cipher. */
export async function createRequestKey(manager: EntityManager, requestId: string): Promise<TransferCipher> {
  const dataKey = randomBytes(32);
  const { kekId, wrapped } = wrapRequestKey(dataKeyRingOf(manager), requestId, dataKey);
  await manager.query(
    `INSERT INTO transfer_request_keys (transfer_request_id, kek_id, wrapped_key) VALUES ($1, $2, $3)`,
    [requestId, kekId, wrapped],
  );
  return new TransferCipher(requestId, dataKey);
}

/** The cipher of a request from its key row as a read returned it (null: the key was destroyed). */
export function requestCipherOfKeyRow(
  manager: EntityManager,
  requestId: string,
  kekId: string | null,
  wrappedKey: Buffer | null,
): TransferCipher {
  if (kekId === null || wrappedKey === null) throw new DataKeyMissingError(requestId);
  return new TransferCipher(requestId, unwrapRequestKey(dataKeyRingOf(manager), requestId, kekId, wrappedKey));
}

/** Destroys a request's data key: nothing sealed under it can be read again. True if there was one. */
export async function destroyRequestKey(manager: EntityManager, requestId: string): Promise<boolean> {
  const [, deleted] = (await manager.query(`DELETE FROM transfer_request_keys WHERE transfer_request_id = $1`, [
    requestId,
  ])) as [unknown, number];
  return deleted > 0;
}

/** keys:rotate for requests: re-wraps every request key not yet under the active KEK (see rewrapDataKeys). */
export async function rewrapRequestKeys(
  manager: EntityManager,
  ring: DataKeyRing,
  batchSize = 500,
): Promise<{ rewrapped: number; fromKeks: string[] }> {
  let rewrapped = 0;
  const fromKeks = new Set<string>();
  for (;;) {
    const rows: { id: string; kekId: string; wrappedKey: Buffer }[] = await manager.query(
      `SELECT transfer_request_id AS id, kek_id AS "kekId", wrapped_key AS "wrappedKey" FROM transfer_request_keys
       WHERE kek_id <> $1 ORDER BY transfer_request_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [ring.activeId, batchSize],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const dataKey = unwrapRequestKey(ring, row.id, row.kekId, row.wrappedKey);
      await manager.query(
        `UPDATE transfer_request_keys SET kek_id = $2, wrapped_key = $3, rewrapped_at = now() WHERE transfer_request_id = $1`,
        [row.id, ring.activeId, wrapRequestKey(ring, row.id, dataKey).wrapped],
      );
      fromKeks.add(row.kekId);
    }
    rewrapped += rows.length;
  }
  return { rewrapped, fromKeks: [...fromKeks].sort() };
}

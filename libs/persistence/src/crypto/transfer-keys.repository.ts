import { randomBytes } from 'node:crypto';
import type { DataKeyRing } from '@fh/config';
import type { DataSource, EntityManager } from 'typeorm';
import { appendAudit } from '../audit.js';
import { inTransaction } from '../transaction.js';
import { openBytes, sealBytes, TransferCipher } from './cipher.js';
import { dataKeyRingOf } from './key-ring.js';
import { rewrapRequestKeys } from './request-keys.js';

/**
 * transfer_keys: one random 256-bit data key per transfer, stored only wrapped (AES-256-GCM) by a
 * key-encryption key (KEK) of the ring, with that KEK's id. Deleting a transfer's row destroys its
 * data key, and with it every encrypted field and packet of the transfer (crypto-shredding).
 */

/** The wrapped key is bound to its transfer and KEK id: a row copied to another transfer does not unwrap. */
const wrapAad = (transferId: string, kekId: string) => `transfer_keys/${transferId}/${kekId}`;

/** The transfer's data key is gone (destroyed by retention) or was never made. */
export class DataKeyMissingError extends Error {
  constructor(readonly transferId: string) {
    super(`transfer ${transferId} has no data key (erased, or written before encryption)`);
    this.name = 'DataKeyMissingError';
  }
}

export function wrapDataKey(
  ring: DataKeyRing,
  transferId: string,
  dataKey: Buffer,
): { kekId: string; wrapped: Buffer } {
  const kek = ring.keys.get(ring.activeId)!;
  return { kekId: ring.activeId, wrapped: sealBytes(kek, wrapAad(transferId, ring.activeId), dataKey) };
}

export function unwrapDataKey(ring: DataKeyRing, transferId: string, kekId: string, wrapped: Buffer): Buffer {
  const kek = ring.keys.get(kekId);
  if (!kek)
    throw new Error(`transfer ${transferId}'s data key is wrapped by KEK ${kekId}, which is not in DATA_KEY_RING`);
  return openBytes(kek, wrapAad(transferId, kekId), wrapped);
}

/** The cipher of a transfer from its key row as a read returned it (kekId and wrappedKey null: no key). */
export function cipherOfKeyRow(
  manager: EntityManager,
  transferId: string,
  kekId: string | null,
  wrappedKey: Buffer | null,
): TransferCipher {
  if (kekId === null || wrappedKey === null) throw new DataKeyMissingError(transferId);
  return new TransferCipher(transferId, unwrapDataKey(dataKeyRingOf(manager), transferId, kekId, wrappedKey));
}

/** Makes the data key of a new transfer (in the transaction that inserts it) and returns its cipher. */
export async function createTransferKey(manager: EntityManager, transferId: string): Promise<TransferCipher> {
  const dataKey = randomBytes(32);
  const { kekId, wrapped } = wrapDataKey(dataKeyRingOf(manager), transferId, dataKey);
  await manager.query(`INSERT INTO transfer_keys (transfer_id, kek_id, wrapped_key) VALUES ($1, $2, $3)`, [
    transferId,
    kekId,
    wrapped,
  ]);
  return new TransferCipher(transferId, dataKey);
}

/** The cipher of an existing transfer. Throws DataKeyMissingError when its key was destroyed. */
export async function transferCipher(manager: EntityManager, transferId: string): Promise<TransferCipher> {
  const rows: { kekId: string; wrappedKey: Buffer }[] = await manager.query(
    `SELECT kek_id AS "kekId", wrapped_key AS "wrappedKey" FROM transfer_keys WHERE transfer_id = $1`,
    [transferId],
  );
  return cipherOfKeyRow(manager, transferId, rows[0]?.kekId ?? null, rows[0]?.wrappedKey ?? null);
}

/**
 * Destroys a transfer's data key (crypto-shredding): afterwards nothing encrypted under it can be
 * read by anyone, packets included, though their rows stay. True if there was a key.
 */
export async function destroyTransferKey(manager: EntityManager, transferId: string): Promise<boolean> {
  // TypeORM answers a DELETE with [rows, affected]: the count, not the rows' length, says whether one went.
  const [, deleted] = (await manager.query(`DELETE FROM transfer_keys WHERE transfer_id = $1`, [transferId])) as [
    unknown,
    number,
  ];
  return deleted > 0;
}

/** How many data keys each KEK wraps (for keys:rotate's report and the tests). */
export async function dataKeysByKek(manager: EntityManager): Promise<Record<string, number>> {
  const rows: { kekId: string; count: number }[] = await manager.query(
    `SELECT kek_id AS "kekId", count(*)::int AS count FROM transfer_keys GROUP BY kek_id ORDER BY kek_id`,
  );
  return Object.fromEntries(rows.map((r) => [r.kekId, r.count]));
}

/**
 * keys:rotate: re-wraps every data key not yet under the ring's active KEK, in batches (each row
 * locked, unwrapped with its own KEK, wrapped with the active one); the data itself is untouched.
 * Idempotent: keys already under the active KEK are skipped, so a second run re-wraps nothing.
 */
export async function rewrapDataKeys(
  manager: EntityManager,
  ring: DataKeyRing,
  batchSize = 500,
): Promise<{ rewrapped: number; fromKeks: string[] }> {
  let rewrapped = 0;
  const fromKeks = new Set<string>();
  for (;;) {
    const rows: { transferId: string; kekId: string; wrappedKey: Buffer }[] = await manager.query(
      `SELECT transfer_id AS "transferId", kek_id AS "kekId", wrapped_key AS "wrappedKey" FROM transfer_keys
       WHERE kek_id <> $1 ORDER BY transfer_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [ring.activeId, batchSize],
    );
    if (rows.length === 0) break;
    const ids: string[] = [];
    const wrappedKeys: Buffer[] = [];
    for (const row of rows) {
      const dataKey = unwrapDataKey(ring, row.transferId, row.kekId, row.wrappedKey);
      ids.push(row.transferId);
      wrappedKeys.push(wrapDataKey(ring, row.transferId, dataKey).wrapped);
      fromKeks.add(row.kekId);
    }
    await manager.query(
      `UPDATE transfer_keys k SET kek_id = $1, wrapped_key = r.wrapped_key, rewrapped_at = now()
       FROM unnest($2::uuid[], $3::bytea[]) AS r(transfer_id, wrapped_key) WHERE k.transfer_id = r.transfer_id`,
      [ring.activeId, ids, wrappedKeys],
    );
    rewrapped += rows.length;
  }
  return { rewrapped, fromKeks: [...fromKeks].sort() };
}

/**
 * `npm run keys:rotate`: in one transaction, re-wraps every data key under the active KEK and
 * appends one audit event (no actor: an operator's command) saying how many moved from which KEKs.
 */
export async function rotateDataKeys(
  dataSource: DataSource,
  ring: DataKeyRing,
): Promise<{ rewrapped: number; fromKeks: string[]; activeKek: string }> {
  return inTransaction(dataSource, async (manager) => {
    const transfers = await rewrapDataKeys(manager, ring);
    // Transfer requests have data keys of their own (request-keys.ts), rotated with the rest.
    const requests = await rewrapRequestKeys(manager, ring);
    const rewrapped = transfers.rewrapped + requests.rewrapped;
    const fromKeks = [...new Set([...transfers.fromKeks, ...requests.fromKeks])].sort();
    await appendAudit(manager, {
      actorId: null,
      action: 'keys.rotate',
      entityType: 'data_key_ring',
      entityId: ring.activeId,
      outcome: 'succeeded',
      requestId: null,
      details: { activeKek: ring.activeId, rewrapped, fromKeks },
    });
    return { rewrapped, fromKeks, activeKek: ring.activeId };
  });
}

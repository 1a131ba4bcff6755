import type { VisibilityFacts } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { createHash } from 'node:crypto';
import { visibilityColumns } from './visibility.js';
import { cipherOfKeyRow, transferCipher } from './crypto/transfer-keys.repository.js';
import { wrappedKeyBytes } from './transfers/transfer.sealing.js';
import type { KeyColumns } from './transfers/transfer.sealing.js';

const sha256Of = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A packet version to store: written once, never changed (the table refuses updates and deletes). */
export interface NewPacket {
  transferId: string;
  version: number;
  /** The BullMQ job that generated it: at most one version per job (unique). */
  jobId: string;
  format: string;
  /** The canonical JSON document and its SHA-256. */
  document: string;
  sha256: string;
  pdf: Buffer;
  generatedAt: Date;
}

/** One stored version as a read returns it; `body` is the document (JSON text) or the PDF, as asked. */
export interface StoredPacket {
  id: string;
  version: number;
  sha256: string;
  generatedAt: Date;
  body: string | Buffer;
}

/** The transfer a packet read is about: its reference and the facts the visibility rule needs (its status too). */
export interface PacketTransferRow extends VisibilityFacts {
  reference: string;
  /** Set once the retention sweep erased the transfer's family data. */
  erasedAt: Date | null;
}

/** The version this job already wrote, if any (a repeated delivery). */
export async function packetVersionOfJob(manager: EntityManager, jobId: string): Promise<number | null> {
  const rows: { version: number }[] = await manager.query(`SELECT version FROM packets WHERE job_id = $1`, [jobId]);
  return rows[0]?.version ?? null;
}

/**
 * Stores a new version in the caller's transaction; returns its id. The document and the PDF are
 * sealed under the transfer's data key (destroying the key makes every version unreadable, while
 * the rows stay immutable); the hash is of the plain document, checked again on every read.
 */
export async function insertPacket(manager: EntityManager, packet: NewPacket): Promise<string> {
  if (sha256Of(packet.document) !== packet.sha256) throw new Error('a packet’s sha256 must be that of its document');
  const c = await transferCipher(manager, packet.transferId);
  const [{ id }]: { id: string }[] = await manager.query(
    `INSERT INTO packets (transfer_id, version, job_id, format, document, sha256, pdf, generated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      packet.transferId,
      packet.version,
      packet.jobId,
      packet.format,
      c.seal('packets.document', packet.document),
      packet.sha256,
      c.sealBuffer('packets.pdf', packet.pdf),
      packet.generatedAt,
    ],
  );
  return id;
}

/** The transfer's reference, status and visibility facts, or null when there is no such transfer. */
export async function loadPacketTransfer(
  manager: EntityManager,
  transferId: string,
): Promise<PacketTransferRow | null> {
  const rows: PacketTransferRow[] = await manager.query(
    `SELECT t.reference, t.status, t.erased_at AS "erasedAt", ${visibilityColumns('t')} FROM transfers t WHERE t.id = $1`,
    [transferId],
  );
  return rows[0] ?? null;
}

/** A stored version (`version` null: the latest) with its document or its PDF; null when there is none. */
export async function readPacket(
  manager: EntityManager,
  transferId: string,
  version: number | null,
  format: 'json' | 'pdf',
): Promise<StoredPacket | null> {
  const column = format === 'pdf' ? 'pdf' : 'document';
  const rows: (StoredPacket & KeyColumns)[] = await manager.query(
    `SELECT p.id, p.version, p.sha256, p.generated_at AS "generatedAt", p.${column} AS body,
            k.kek_id AS "kekId", k.wrapped_key AS "wrappedKey"
       FROM packets p LEFT JOIN transfer_keys k ON k.transfer_id = p.transfer_id
      WHERE p.transfer_id = $1 AND ($2::int IS NULL OR p.version = $2) ORDER BY p.version DESC LIMIT 1`,
    [transferId, version],
  );
  const row = rows[0];
  if (!row) return null;
  const { kekId, wrappedKey, ...stored } = row;
  const c = cipherOfKeyRow(manager, transferId, kekId, wrappedKeyBytes(wrappedKey));
  if (format === 'pdf') return { ...stored, body: c.openBuffer('packets.pdf', stored.body as Buffer) };
  const document = c.open('packets.document', stored.body as string);
  // The database can no longer check the hash of a sealed document: the read does.
  if (sha256Of(document) !== stored.sha256)
    throw new Error(`packet ${stored.id}: its document does not match its sha256`);
  return { ...stored, body: document };
}

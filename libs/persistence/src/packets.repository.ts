import type { VisibilityFacts } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { visibilityColumns } from './visibility.js';

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

/** Stores a new version in the caller's transaction; returns its id. */
export async function insertPacket(manager: EntityManager, packet: NewPacket): Promise<string> {
  const [{ id }]: { id: string }[] = await manager.query(
    `INSERT INTO packets (transfer_id, version, job_id, format, document, sha256, pdf, generated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      packet.transferId,
      packet.version,
      packet.jobId,
      packet.format,
      packet.document,
      packet.sha256,
      packet.pdf,
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
  const rows: StoredPacket[] = await manager.query(
    `SELECT id, version, sha256, generated_at AS "generatedAt", ${column} AS body FROM packets
     WHERE transfer_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
    [transferId, version],
  );
  return rows[0] ?? null;
}

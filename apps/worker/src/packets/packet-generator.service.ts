import { Injectable } from '@nestjs/common';
import { Clock } from '@fh/domain';
import { buildPacket, PACKET_FORMAT, renderPacketPdf, sealed } from '@fh/packet';
import { appendAudit, inTransaction, insertPacket, loadTransfer, packetVersionOfJob } from '@fh/persistence';
import { DataSource } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type PacketOutcome =
  /** A new version was written. */
  | { outcome: 'created'; version: number; sha256: string }
  /** This job already wrote its version (a repeated delivery): nothing written. */
  | { outcome: 'already_done'; version: number }
  /** The transfer says exactly what the latest version says: nothing written. */
  | { outcome: 'unchanged'; version: number }
  /** Nothing to snapshot (no such transfer, never initiated, or cancelled): nothing written. */
  | { outcome: 'skipped'; reason: 'no_transfer' | 'not_initiated' | 'cancelled' | 'erased' };

/**
 * Snapshots a transfer into the next packet version: canonical JSON, its SHA-256 and the PDF,
 * written once and never changed (the table refuses updates and deletes).
 *
 * Idempotent, as BullMQ delivers at least once: everything happens in one transaction holding
 * the transfer row's lock (lockTransfer: FOR NO KEY UPDATE), so two generations for one transfer run one after
 * the other; the second finds its job id already stored, or the same SHA-256 as the latest version,
 * and writes nothing. The unique (transfer_id, version) and job_id constraints are the backstop.
 */
@Injectable()
export class PacketGenerator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  generate(transferId: string, jobId: string): Promise<PacketOutcome> {
    if (!UUID.test(transferId)) return Promise.resolve({ outcome: 'skipped', reason: 'no_transfer' });
    return inTransaction(this.dataSource, async (manager) => {
      const record = await loadTransfer(manager, transferId, { lock: true });
      if (!record) return { outcome: 'skipped', reason: 'no_transfer' };
      if (!record.transfer.initiatedAt) return { outcome: 'skipped', reason: 'not_initiated' };
      // Cancelled (the family did not move, say): no new copy of the family's record is made for a
      // team that will not take them on. Versions written before the cancellation stay.
      if (record.transfer.status === 'cancelled') return { outcome: 'skipped', reason: 'cancelled' };
      // Erased at the end of its retention period: only the tombstone is left, nothing to snapshot.
      if (record.transfer.erasedAt) return { outcome: 'skipped', reason: 'erased' };
      const done = await packetVersionOfJob(manager, jobId);
      if (done !== null) return { outcome: 'already_done', version: done };

      const document = buildPacket(record);
      const { json, sha256 } = sealed(document);
      const latest = record.latestPacket;
      if (latest && latest.sha256 === sha256) return { outcome: 'unchanged', version: latest.version };

      const version = (latest?.version ?? 0) + 1;
      const generatedAt = this.clock.now();
      const pdf = await renderPacketPdf(document, { version, sha256, generatedAt });
      const id = await insertPacket(manager, {
        transferId,
        version,
        jobId,
        format: PACKET_FORMAT,
        document: json,
        sha256,
        pdf,
        generatedAt,
      });
      await appendAudit(manager, {
        actorId: null,
        action: 'packet.generate',
        entityType: 'packet',
        entityId: id,
        transferId,
        outcome: 'succeeded',
        requestId: null,
        details: { version, sha256, jobId },
      });
      return { outcome: 'created', version, sha256 };
    });
  }
}

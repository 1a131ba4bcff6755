import { Injectable } from '@nestjs/common';
import { canSee } from '@fh/domain';
import { loadPacketTransfer, readPacket } from '@fh/persistence';
import type { PacketTransferRow, StoredPacket } from '@fh/persistence';
import type { PacketDocument } from '@fh/packet';
import { DataSource, EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { actorOf } from '../transfers/visibility.js';

/** A stored packet version as the API returns it: its number, fingerprint and time, then the document. */
export type PacketView = { version: number; sha256: string; generatedAt: Date } & PacketDocument;

export interface PacketPdf {
  reference: string;
  version: number;
  pdf: Buffer;
}

type Format = 'json' | 'pdf';
interface Found extends StoredPacket {
  reference: string;
}

const VERSION = /^[1-9][0-9]{0,8}$/;

/**
 * Handover packets, read-only: the versions the worker wrote. Both sides see them once the transfer
 * has been initiated (the domain's canSee, plus initiation); anyone else — and anyone before there
 * is a packet, or asking for a version that does not exist — gets 404. Every fetch is audited as a
 * view; every 404 as a refusal.
 */
@Injectable()
export class PacketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
  ) {}

  async latest(ctx: RequestContext, transferId: string): Promise<PacketView> {
    return viewOf(await this.read(ctx, transferId, null, 'json'));
  }

  async version(ctx: RequestContext, transferId: string, version: string): Promise<PacketView> {
    return viewOf(await this.read(ctx, transferId, VERSION.test(version) ? Number(version) : 0, 'json'));
  }

  async latestPdf(ctx: RequestContext, transferId: string): Promise<PacketPdf> {
    const found = await this.read(ctx, transferId, null, 'pdf');
    return { reference: found.reference, version: found.version, pdf: found.body as Buffer };
  }

  /** `version` null: the latest; 0: a version that cannot exist. */
  private async read(ctx: RequestContext, transferId: string, version: number | null, format: Format): Promise<Found> {
    const target = {
      action: format === 'pdf' ? 'packet.pdf_view' : 'packet.view',
      entityType: 'packet',
      entityId: null,
      transferId,
    };
    const found = await this.dataSource.transaction(async (manager) => {
      const transfer = await visibleInitiated(manager, ctx, transferId);
      if (!transfer) return 'no_transfer' as const;
      // Erased at the end of its retention period: its packets are not served (issue 12 item 12).
      if (transfer.erasedAt) return { erased: { reference: transfer.reference, at: transfer.erasedAt } };
      const packet = await readPacket(manager, transferId, version, format);
      if (!packet) return 'no_packet' as const;
      await this.audited.view(manager, ctx, { ...target, entityId: packet.id }, { version: packet.version, format });
      return { ...packet, reference: transfer.reference };
    });
    if (found === 'no_transfer' || found === 'no_packet') {
      await this.audited.refused(ctx, target, 'NOT_FOUND');
      if (found === 'no_transfer') throw ApiError.notFound('transfer');
      throw ApiError.notFound(version === null ? 'packet (none generated yet)' : 'packet version');
    }
    if ('erased' in found && found.erased) {
      await this.audited.refused(ctx, target, 'ERASED');
      throw ApiError.erased(found.erased.reference, found.erased.at);
    }
    return found;
  }
}

/** The transfer, if the caller may see it and it has been initiated (a packet exists only from then). */
async function visibleInitiated(
  manager: EntityManager,
  ctx: RequestContext,
  transferId: string,
): Promise<PacketTransferRow | null> {
  const transfer = await loadPacketTransfer(manager, transferId);
  if (!transfer || transfer.initiatedAt == null || !canSee(actorOf(ctx.actor), transfer)) return null;
  return transfer;
}

function viewOf(found: Found): PacketView {
  return {
    version: found.version,
    sha256: found.sha256,
    generatedAt: found.generatedAt,
    ...(JSON.parse(found.body as string) as PacketDocument),
  };
}

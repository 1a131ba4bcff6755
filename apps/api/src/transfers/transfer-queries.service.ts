import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { Clock, VISIBILITY, visibilityFor } from '@fh/domain';
import type { ClockPolicy } from '@fh/domain';
import { auditTrailOf, listTransferRows, loadTransferView, transferVisible } from '@fh/persistence';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { shownTransfer } from './transfer-read.js';
import { summaryView } from './transfer.view.js';
import type { TransferView } from './transfer.view.js';
import { actorOf } from './visibility.js';
import type { ListTransfersQuery } from './transfers.dto.js';

/**
 * Transfer reads: one transfer, a page of them, a transfer's audit trail — each through
 * Audited.read (the read and its audit event in one transaction), each one named statement
 * with the caller's visibility in it (libs/persistence/src/reads/transfer-view.ts).
 */
@Injectable()
export class TransferQueriesService {
  /** The one clock policy, from configuration: availableActions dry-runs decide() with it. */
  private readonly clocks: ClockPolicy;

  constructor(
    private readonly audited: Audited,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clocks = config.clocks;
  }

  get(ctx: RequestContext, id: string): Promise<TransferView> {
    const actor = actorOf(ctx.actor);
    const target = { action: 'transfer.view', entityType: 'transfer', entityId: id, transferId: id };
    return this.audited.read(ctx, target, async (manager) => {
      // Visibility is in the statement: a transfer the caller may not see costs what a missing one costs.
      const record = await loadTransferView(manager, id, visibilityFor(actor));
      if (!record) return null;
      // After its retention period only the tombstone is left: 410, audited as refused (ERASED).
      if (record.transfer.erasedAt) throw ApiError.erased(record.transfer.reference, record.transfer.erasedAt);
      return { result: await shownTransfer(this.audited, manager, ctx, record, this.clock.now(), actor, this.clocks) };
    });
  }

  list(ctx: RequestContext, query: ListTransfersQuery) {
    const limit = query.limit ?? 25;
    // The domain's rule, narrowed to one side by the list's direction.
    const side = query.direction === 'incoming' ? 'receiving' : query.direction === 'outgoing' ? 'sending' : null;
    const grants = VISIBILITY.grants.filter((g) => side === null || g.side === side);
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const target = { action: 'transfer.list_view', entityType: 'transfer' };
    return this.audited.read(ctx, target, async (manager) => {
      const rows = await listTransferRows(manager, {
        visibility: visibilityFor(actorOf(ctx.actor), grants),
        status: query.status,
        after,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const now = this.clock.now();
      const last = page.at(-1);
      return {
        result: {
          items: page.map((t) => summaryView(t, now)),
          nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
        },
        // Every transfer shown is audited as read.
        shown: page.map((t) => ({ entityId: t.id, transferId: t.id })),
      };
    });
  }

  /** The transfer's audit trail, oldest first: managers and safeguarding leads of either side. */
  auditTrail(ctx: RequestContext, id: string) {
    const actor = actorOf(ctx.actor);
    const target = { action: 'transfer.audit_view', entityType: 'transfer', entityId: id, transferId: id };
    return this.audited.read(ctx, target, async (manager) => {
      if (!(await transferVisible(manager, id, visibilityFor(actor)))) return null;
      if (ctx.actor.role !== 'manager' && ctx.actor.role !== 'safeguarding_lead')
        throw ApiError.forbidden('only managers and safeguarding leads can read the audit trail');
      return { result: await auditTrailOf(manager, id) };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { canSee, Clock, VISIBILITY, visibilityFor } from '@fh/domain';
import {
  AUDIT_COLUMNS,
  loadTransfer,
  loadVisibilityFacts,
  TRANSFER_SELECT,
  visibilityPredicate,
} from '@fh/persistence';
import type { AuditEventRow, SqlParam, TransferRow } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext, SignedInPractitioner } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { summaryView, transferView } from './transfer.view.js';
import type { TransferView } from './transfer.view.js';
import { actorOf } from './visibility.js';
import type { ListTransfersQuery } from './transfers.dto.js';

/** Transfer reads: one transfer, a page of them, a transfer's audit trail — each audited as a view. */
@Injectable()
export class TransferQueriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
    private readonly clock: Clock,
  ) {}

  async get(ctx: RequestContext, id: string): Promise<TransferView> {
    const target = { action: 'transfer.view', entityType: 'transfer', entityId: id, transferId: id };
    const view = await this.dataSource.transaction(async (manager) => {
      // Visibility first, from the few facts it needs: a transfer the caller may not see costs what
      // one that does not exist costs.
      const facts = await loadVisibilityFacts(manager, id);
      if (!facts || !canSee(actorOf(ctx.actor), facts)) return null;
      const record = await loadTransfer(manager, id);
      if (!record) return null;
      await this.audited.view(manager, ctx, target);
      return transferView(record, this.clock.now(), actorOf(ctx.actor));
    });
    if (!view) {
      await this.audited.refused(ctx, target, 'NOT_FOUND');
      throw ApiError.notFound('transfer');
    }
    return view;
  }

  async list(ctx: RequestContext, query: ListTransfersQuery) {
    const limit = query.limit ?? 25;
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [visibilityClause(ctx.actor, query.direction, p)];
    if (query.status) where.push(`t.status = ${p(query.status)}`);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor);
      where.push(`(t.created_at, t.id) < (${p(createdAt)}::timestamptz, ${p(id)}::uuid)`);
    }
    return this.dataSource.transaction(async (manager) => {
      const rows: TransferRow[] = await manager.query(
        `${TRANSFER_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.id DESC LIMIT ${p(limit + 1)}`,
        params,
      );
      const page = rows.slice(0, limit);
      const now = this.clock.now();
      if (page.length) {
        await manager.query(
          `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, request_id, client_request_id, details)
           SELECT $1, 'transfer.list_view', 'transfer', id::text, id, 'succeeded', $2, $4, '{}'::jsonb FROM unnest($3::uuid[]) AS id`,
          [ctx.actor.id, ctx.requestId, page.map((r) => r.id), ctx.clientRequestId ?? null],
        );
      }
      const last = page.at(-1);
      return {
        items: page.map((t) => summaryView(t, now)),
        nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    });
  }

  /** The transfer's audit trail, oldest first: managers and safeguarding leads of either side. */
  async auditTrail(ctx: RequestContext, id: string) {
    const target = { action: 'transfer.audit_view', entityType: 'transfer', entityId: id, transferId: id };
    const result = await this.dataSource.transaction(async (manager) => {
      const facts = await loadVisibilityFacts(manager, id);
      if (!facts || !canSee(actorOf(ctx.actor), facts)) return 'not_found' as const;
      if (ctx.actor.role !== 'manager' && ctx.actor.role !== 'safeguarding_lead') return 'forbidden' as const;
      const events: AuditEventRow[] = await manager.query(
        `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE transfer_id = $1 ORDER BY audit_events.id`,
        [id],
      );
      await this.audited.view(manager, ctx, target);
      return events;
    });
    if (result === 'not_found' || result === 'forbidden') {
      await this.audited.refused(ctx, target, result === 'not_found' ? 'NOT_FOUND' : 'FORBIDDEN');
      throw result === 'not_found'
        ? ApiError.notFound('transfer')
        : ApiError.forbidden('only managers and safeguarding leads can read the audit trail');
    }
    return result;
  }
}
// -----------------------------------------------------------------------------------------------
// Lists

/** What the actor may see (the domain's rule, in SQL), narrowed to one side by the list's direction. */
function visibilityClause(
  actor: SignedInPractitioner,
  direction: 'incoming' | 'outgoing' | undefined,
  p: SqlParam,
): string {
  const side = direction === 'incoming' ? 'receiving' : direction === 'outgoing' ? 'sending' : null;
  const grants = VISIBILITY.grants.filter((g) => side === null || g.side === side);
  return visibilityPredicate(visibilityFor(actorOf(actor), grants), p);
}

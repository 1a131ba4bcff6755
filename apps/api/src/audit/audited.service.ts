import { HttpException, Injectable, Logger } from '@nestjs/common';
import { appendAudit, AuditEntry, inTransaction } from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../auth/actor.js';
import { toErrorBody } from '../common/error-response.js';
import { IdempotentReplay } from '../common/write-options.js';

export interface AuditTarget {
  action: string;
  entityType: string;
  entityId?: string | null;
  transferId?: string | null;
}

export interface AuditedWork<T> {
  result: T;
  /** The record the action ended up touching (e.g. a newly created id). */
  entityId?: string | null;
  transferId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The reusable audit piece. `write` runs a change and its audit event in one transaction; if the
 * change is refused (a 4xx), the transaction rolls back and the refusal itself is recorded in a
 * transaction of its own. `view` records a read.
 */
@Injectable()
export class Audited {
  private readonly logger = new Logger(Audited.name);

  constructor(private readonly dataSource: DataSource) {}

  async write<T>(
    ctx: RequestContext,
    target: AuditTarget,
    work: (manager: EntityManager) => Promise<AuditedWork<T>>,
  ): Promise<T> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const done = await work(manager);
        await appendAudit(manager, {
          ...this.base(ctx, target),
          entityId: done.entityId ?? target.entityId ?? null,
          transferId: done.transferId ?? target.transferId ?? null,
          outcome: 'succeeded',
          details: done.details,
        });
        return done.result;
      });
    } catch (error) {
      if (error instanceof IdempotentReplay) {
        // A replayed response shows the record again: that is a read, and is audited as one, in the
        // trail of the transfer it shows (a replayed create names the transfer it created).
        const transferId = error.transferId ?? target.transferId ?? null;
        const entityId = target.entityId ?? (target.entityType === 'transfer' ? transferId : null);
        await this.record(ctx, { ...target, action: `${target.action}.replay`, entityId, transferId });
        throw error;
      }
      const status = error instanceof HttpException ? error.getStatus() : toErrorBody(error).statusCode;
      if (status >= 400 && status < 500) await this.refused(ctx, target, toErrorBody(error).code);
      throw error;
    }
  }

  /** Records a succeeded read in its own transaction. */
  private async record(ctx: RequestContext, target: AuditTarget): Promise<void> {
    await inTransaction(this.dataSource, (manager) => appendAudit(manager, this.base(ctx, target)));
  }

  /** Records a refused attempt (its change already rolled back). */
  async refused(ctx: RequestContext, target: AuditTarget, reasonCode: string): Promise<void> {
    try {
      await inTransaction(this.dataSource, (manager) =>
        appendAudit(manager, { ...this.base(ctx, target), outcome: 'refused', reasonCode }),
      );
    } catch (error) {
      this.logger.error({ err: { message: (error as Error).message } }, 'could not record a refused attempt');
    }
  }

  /** Records a read of a record, inside the caller's transaction. */
  view(
    manager: EntityManager,
    ctx: RequestContext,
    target: AuditTarget,
    details?: Record<string, unknown>,
  ): Promise<void> {
    return appendAudit(manager, { ...this.base(ctx, target), outcome: 'succeeded', details });
  }

  private base(ctx: RequestContext, target: AuditTarget): AuditEntry {
    return {
      actorId: ctx.actor?.id ?? null,
      action: target.action,
      entityType: target.entityType,
      entityId: target.entityId ?? null,
      transferId: target.transferId ?? null,
      outcome: 'succeeded',
      requestId: ctx.requestId,
      clientRequestId: ctx.clientRequestId ?? null,
    };
  }
}

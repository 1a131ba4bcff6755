import { HttpException, Injectable, Logger } from '@nestjs/common';
import { appendAudit, appendAudits, AuditEntry, inTransaction, onConnection } from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
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
  /** The action actually taken, when it differs from the target's (a directory change proposed rather than made). */
  action?: string;
}

export interface AuditedRead<T> {
  result: T;
  /**
   * For a list: every record it shows, each audited as a read of its own (one statement however
   * many). Without it, the read is one event about the target.
   */
  shown?: { entityId: string; transferId: string | null }[];
  details?: Record<string, unknown>;
}

/**
 * The reusable audit piece, the one way to read or change family data. `write` runs a change and
 * its audit event in one transaction; if the change is refused (a 4xx), the transaction rolls back
 * and the refusal itself is recorded in a transaction of its own. `read` runs a read and then writes its
 * audit events in one statement; a read that finds nothing the caller may see (`null`: missing and
 * invisible alike) records its refusal the same way, so both cost the same.
 */
@Injectable()
export class Audited {
  private readonly logger = new Logger(Audited.name);
  private readonly committed: ((target: AuditTarget) => void)[] = [];
  /** The events `view` records on the manager of a `read` in progress, written with the read's own. */
  private readonly deferred = new WeakMap<EntityManager, AuditEntry[]>();

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `listener` after every write that commits in this process (e.g. to forget what a cache knew). */
  onCommittedWrite(listener: (target: AuditTarget) => void): void {
    this.committed.push(listener);
  }

  async write<T>(
    ctx: RequestContext,
    target: AuditTarget,
    work: (manager: EntityManager) => Promise<AuditedWork<T>>,
  ): Promise<T> {
    try {
      const result = await inTransaction(this.dataSource, async (manager) => {
        const done = await work(manager);
        await appendAudit(manager, {
          ...this.base(ctx, target),
          action: done.action ?? target.action,
          entityId: done.entityId ?? target.entityId ?? null,
          transferId: done.transferId ?? target.transferId ?? null,
          outcome: 'succeeded',
          details: done.details,
        });
        return done.result;
      });
      for (const listener of this.committed) listener(target);
      return result;
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

  /**
   * A read of family data, audited: `work` reads through the manager it is given and returns what it
   * found, or null when there is nothing the caller may see — refused as `notFound` (a 404 naming
   * the target's entity type unless given), recorded as NOT_FOUND. A 4xx thrown by `work` is
   * recorded as refused with its code.
   *
   * A read changes nothing, so it runs without BEGIN/COMMIT: its statements, then its audit events
   * — its own, and any `view` made on its manager meanwhile (a confidential address shown) — in ONE
   * INSERT, awaited before anything is returned. Nothing is shown whose reading is not recorded, and
   * the events of one read are written together or not at all.
   */
  async read<T>(
    ctx: RequestContext,
    target: AuditTarget,
    work: (manager: EntityManager) => Promise<AuditedRead<T> | null>,
    notFound: () => ApiError = () => ApiError.notFound(target.entityType),
  ): Promise<T> {
    let found: AuditedRead<T> | null;
    try {
      found = await onConnection(this.dataSource, async (manager) => {
        const viewed: AuditEntry[] = [];
        this.deferred.set(manager, viewed);
        try {
          const done = await work(manager);
          const base = this.base(ctx, target);
          const { entityId: _e, transferId: _t, ...entry } = base;
          const own: AuditEntry[] = !done
            ? [{ ...base, outcome: 'refused', reasonCode: 'NOT_FOUND' }]
            : done.shown
              ? done.shown.map((r) => ({ ...entry, ...r, details: done.details }))
              : [{ ...base, details: done.details }];
          await appendAudits(manager, [...viewed, ...own]);
          return done;
        } finally {
          this.deferred.delete(manager);
        }
      });
    } catch (error) {
      const status = error instanceof HttpException ? error.getStatus() : toErrorBody(error).statusCode;
      if (status >= 400 && status < 500) await this.refused(ctx, target, toErrorBody(error).code);
      throw error;
    }
    if (!found) throw notFound();
    return found.result;
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

  /**
   * Records a read of a record, inside the caller's transaction — or, on the manager of a `read`,
   * with that read's own event, in its one INSERT.
   */
  async view(
    manager: EntityManager,
    ctx: RequestContext,
    target: AuditTarget,
    details?: Record<string, unknown>,
  ): Promise<void> {
    const entry: AuditEntry = { ...this.base(ctx, target), outcome: 'succeeded', details };
    const deferred = this.deferred.get(manager);
    if (deferred) deferred.push(entry);
    else await appendAudit(manager, entry);
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

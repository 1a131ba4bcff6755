import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { Clock, dueForErasure, requestDueForErasure, retentionCutoff, tombstoneFlags } from '@fh/domain';
import {
  appendAudit,
  destroyTransferKey,
  eraseTransferData,
  eraseTransferRequestData,
  inTransaction,
  lockRequestRetentionFacts,
  lockRetentionFacts,
  pruneDelivered,
  transferRequestsDueForErasure,
  transfersDueForErasure,
} from '@fh/persistence';
import { DataSource } from 'typeorm';

/** How many transfers (and pruned rows of each kind) one transaction takes; the sweep loops until none is left. */
const BATCH = 200;

export interface RetentionOutcome {
  /** Transfers whose family data this sweep erased. */
  erased: number;
  /** Answered transfer requests whose family data this sweep erased (issue 14 item 3). */
  erasedRequests: number;
  /** Dispatched outbox rows and sent emails pruned. */
  outbox: number;
  emails: number;
}

/**
 * The retention sweep (issue 12 item 12), run daily by the chasing queue's `retention.sweep` job:
 *
 * - every transfer closed or cancelled more than RETENTION_DAYS ago has its family data erased, one
 *   transfer per transaction, with its `transfer.erase` audit event in the same transaction: its data
 *   key is destroyed (crypto-shredding: its packets and audit events stay, immutable, but what is
 *   sealed under the key can no longer be opened), the mutable rows holding its family data are
 *   deleted, and its row stays as the tombstone (libs/persistence eraseTransferData);
 * - sent emails and dispatched outbox rows older than DELIVERED_RETENTION_DAYS are deleted.
 *
 * PostgreSQL is the source of truth: what is due is read from it on every run, so a sweep that ran
 * twice, or crashed halfway, or was delayed, does the rest and nothing twice (each transfer is
 * re-checked under its row lock; an erased one is skipped).
 */
@Injectable()
export class RetentionSweeper {
  private readonly logger = new Logger(RetentionSweeper.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sweep(): Promise<RetentionOutcome> {
    const now = this.clock.now();
    const outcome: RetentionOutcome = { erased: 0, erasedRequests: 0, outbox: 0, emails: 0 };
    const cutoff = retentionCutoff(now, this.config.retentionDays);
    for (;;) {
      const due = await transfersDueForErasure(this.dataSource.manager, cutoff, BATCH);
      let erased = 0;
      for (const id of due) if (await this.erase(id, now)) erased++;
      outcome.erased += erased;
      if (due.length < BATCH || erased === 0) break;
    }
    for (;;) {
      const due = await transferRequestsDueForErasure(this.dataSource.manager, cutoff, BATCH);
      let erased = 0;
      for (const id of due) if (await this.eraseRequest(id, now)) erased++;
      outcome.erasedRequests += erased;
      if (due.length < BATCH || erased === 0) break;
    }
    const delivered = retentionCutoff(now, this.config.deliveredRetentionDays);
    for (;;) {
      const pruned = await inTransaction(this.dataSource, (manager) => pruneDelivered(manager, delivered, BATCH));
      outcome.outbox += pruned.outbox;
      outcome.emails += pruned.emails;
      if (pruned.outbox < BATCH && pruned.emails < BATCH) break;
    }
    if (outcome.erased || outcome.erasedRequests || outcome.outbox || outcome.emails)
      this.logger.log(outcome, 'retention sweep');
    return outcome;
  }

  /** Erases one transfer if it is (still) due; false when another run got there first. */
  private erase(id: string, now: Date): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const facts = await lockRetentionFacts(manager, id);
      if (!facts || !dueForErasure(facts, now, this.config.retentionDays)) return false;
      // Crypto-shredding first: without its data key nothing sealed for this transfer — fields and the
      // immutable packets alike — can be opened again, by anyone.
      const dataKeyDestroyed = await destroyTransferKey(manager, id);
      const deleted = await eraseTransferData(manager, id, {
        riskFlags: tombstoneFlags(facts.riskFlags),
        erasedAt: now,
      });
      await appendAudit(manager, {
        actorId: null,
        action: 'transfer.erase',
        entityType: 'transfer',
        entityId: id,
        transferId: id,
        outcome: 'succeeded',
        requestId: null,
        // Counts and the period only: what was erased is not repeated here.
        details: { retentionDays: this.config.retentionDays, endedAt: facts.endedAt, dataKeyDestroyed, deleted },
      });
      return true;
    });
  }

  /** Erases one answered transfer request if it is (still) due, with its audit event. */
  private eraseRequest(id: string, now: Date): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const facts = await lockRequestRetentionFacts(manager, id);
      if (!facts || !requestDueForErasure(facts, now, this.config.retentionDays)) return false;
      const { children, dataKeyDestroyed } = await eraseTransferRequestData(manager, id, now);
      await appendAudit(manager, {
        actorId: null,
        action: 'transfer_request.erase',
        entityType: 'transfer_request',
        entityId: id,
        transferId: null,
        outcome: 'succeeded',
        requestId: null,
        details: {
          retentionDays: this.config.retentionDays,
          respondedAt: facts.respondedAt,
          dataKeyDestroyed,
          children,
        },
      });
      return true;
    });
  }
}

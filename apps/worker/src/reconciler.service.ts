import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { dispatchedJobsOfQueuedEmails, dispatchedPacketJobsWithoutPacket, redispatchOutbox } from '@fh/persistence';
import { QUEUES } from '@fh/queues';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';

/** How many items one turn looks at, per kind; the rest wait for the next turn. */
const BATCH = 500;
/** Completed jobs stay in Redis for a day (DEFAULT_JOB_OPTIONS.removeOnComplete), so packet jobs are checked for a day. */
const PACKET_WINDOW = '24 hours';

export interface ReconcileOutcome {
  /** Outbox rows handed back to the relay because Redis no longer knew their job. */
  emails: number;
  packets: number;
}

/**
 * PostgreSQL is the source of truth; Redis only runs the work. If Redis loses its data (FLUSHALL,
 * a restart without persistence, a failover to an empty replica), every job it held is gone while
 * PostgreSQL still says "dispatched". Every RECONCILE_SECONDS this looks for work that should
 * exist and asks Redis whether it still knows the job (the job id is the outbox row id):
 *
 * - every email row still `queued` RECONCILE_GRACE_SECONDS after it was written;
 * - every transfer whose latest `packet.generate` (within the last day, past the grace) has
 *   written no packet.
 *
 * A job Redis does not know is handed back to the relay by marking its outbox row pending again;
 * the relay adds it with the same job id. Nothing runs twice: a job Redis still holds (waiting,
 * delayed for a retry, running, completed or failed) is left alone, and both processors are
 * idempotent anyway (the email job re-reads its row under a lock and sends only a `queued` one, with
 * its fixed Message-ID; the packet job writes at most one version per job id or content).
 * If Redis is unreachable the turn is skipped.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.packets) private readonly packets: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notifications: Queue,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.reconcile().finally(() => (this.running = null));
    }, this.config.reconcileSeconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One turn; never throws (a failed turn is logged and the next one tries again). */
  async reconcile(): Promise<ReconcileOutcome> {
    try {
      const grace = this.config.reconcileGraceSeconds;
      const manager = this.dataSource.manager;
      const emailRows = await dispatchedJobsOfQueuedEmails(manager, grace, BATCH);
      const packetRows = await dispatchedPacketJobsWithoutPacket(manager, PACKET_WINDOW, grace, BATCH);
      const lost = {
        emails: await this.forgotten(this.notifications, emailRows),
        packets: await this.forgotten(this.packets, packetRows),
      };
      const ids = [...lost.emails, ...lost.packets];
      if (ids.length) {
        // Pending again: the relay re-adds each with the same job id (its outbox id).
        await redispatchOutbox(manager, ids, 'Redis had forgotten the job; re-dispatched');
        this.logger.warn(
          { emails: lost.emails.length, packets: lost.packets.length },
          'Redis had forgotten jobs; handed them back to the relay',
        );
      }
      return { emails: lost.emails.length, packets: lost.packets.length };
    } catch (error) {
      this.logger.warn(
        { reason: (error as Error).message.slice(0, 200) },
        'reconciliation turn skipped (Redis or PostgreSQL unavailable)',
      );
      return { emails: 0, packets: 0 };
    }
  }

  /** The ids among `rows` whose job Redis does not know at all. */
  private async forgotten(queue: Queue, rows: { id: string }[]): Promise<string[]> {
    const lost: string[] = [];
    for (const { id } of rows) {
      if ((await queue.getJobState(id)) === 'unknown') lost.push(id);
    }
    return lost;
  }
}

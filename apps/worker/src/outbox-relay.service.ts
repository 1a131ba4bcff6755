import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { claimDueOutbox, inTransaction, listenTo, markOutboxDispatched, markOutboxFailed } from '@fh/persistence';
import type { ChannelListener } from '@fh/persistence';
import { JOB_OPTIONS, JOB_QUEUE, QUEUES } from '@fh/queues';
import type { JobName, QueueName } from '@fh/queues';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';

const BATCH = 100;
const POLL_MS = 1_000;
const ADD_TIMEOUT_MS = 5_000;

/**
 * Moves due outbox rows into BullMQ, using the row id as the job id, and marks them dispatched in
 * the same transaction that claimed them (FOR UPDATE SKIP LOCKED, so relays in several workers
 * never take the same row). If Redis is away, the row stays pending and is retried with backoff.
 * If the process dies after `add` but before commit, the row is offered again and BullMQ refuses
 * the duplicate job id, so nothing runs twice and nothing is lost.
 *
 * Wake-ups come from LISTEN/NOTIFY when it is available and from polling every second regardless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Record<QueueName, Queue>;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;
  /** LISTEN outbox (the insert trigger's channel); reconnects by itself, polling covers any gap. */
  private listener: Promise<ChannelListener> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.packets) packets: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.chasing) chasing: Queue,
  ) {
    this.queues = { packets, notifications, chasing };
    // Connection errors surface through failed adds (and readiness), not as unhandled events.
    for (const queue of Object.values(this.queues)) queue.on('error', () => undefined);
  }

  onApplicationBootstrap(): void {
    this.listener = listenTo(this.config.databaseUrl, 'outbox', 'family-handover-outbox-listener', {
      notify: () => this.wake?.(),
      state: () => undefined,
    });
    this.running = this.loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    await (await this.listener)?.close();
  }

  /** Relays one batch; returns how many rows were dispatched. */
  async relayOnce(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const rows = await claimDueOutbox(manager, BATCH);
      let dispatched = 0;
      for (const row of rows) {
        const queueName = JOB_QUEUE[row.jobName];
        try {
          if (!queueName) throw new Error(`unknown job ${row.jobName}`);
          await withTimeout(
            this.queues[queueName].add(row.jobName, row.payload, { ...this.optionsFor(row.jobName), jobId: row.id }),
            ADD_TIMEOUT_MS,
          );
          await markOutboxDispatched(manager, row.id);
          dispatched++;
        } catch (error) {
          const retryAfter = Math.min(60_000, 500 * 2 ** Math.min(row.attempts, 7));
          await markOutboxFailed(manager, row.id, (error as Error).message, retryAfter);
          this.logger.warn(
            { outboxId: row.id, attempts: row.attempts + 1 },
            'could not hand a job to Redis; will retry',
          );
          break; // Redis is most likely away: leave the rest of the batch for the next turn.
        }
      }
      return dispatched;
    });
  }

  /** Retry and retention per job; an email's first retry waits EMAIL_RETRY_BASE_MS, doubling after. */
  private optionsFor(jobName: JobName) {
    const options = JOB_OPTIONS[jobName];
    if (jobName !== 'email.send') return options;
    return { ...options, backoff: { type: 'exponential' as const, delay: this.config.emailRetryBaseMs } };
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let dispatched = 0;
      try {
        dispatched = await this.relayOnce();
      } catch (error) {
        this.logger.error({ err: { message: (error as Error).message } }, 'outbox relay turn failed');
      }
      if (dispatched < BATCH && !this.stopping) await this.sleep(POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { IdempotencyRepository } from '@fh/persistence';
import { JOB_OPTIONS, QUEUES } from '@fh/queues';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { WORKER_SETTINGS } from '../worker.constants.js';
import { DigestService } from '../monitoring/digest.service.js';
import { RetentionSweeper } from '../retention/retention.service.js';
import { ChaseSweeper } from './chase-sweeper.service.js';

/** The schedulers' stable ids: every worker upserts the same ones, so there is one schedule each. */
export const CHASE_SWEEP_SCHEDULER_ID = 'chase-sweep';
export const DAILY_DIGEST_SCHEDULER_ID = 'daily-digest';
export const RETENTION_SWEEP_SCHEDULER_ID = 'retention-sweep';
const SCHEDULER_IDS = [CHASE_SWEEP_SCHEDULER_ID, DAILY_DIGEST_SCHEDULER_ID, RETENTION_SWEEP_SCHEDULER_ID];

/**
 * Runs the chase sweep every CHASE_SWEEP_SECONDS, the daily digest each working morning and the
 * retention sweep each night. Correctness does not depend on the scheduler firing exactly once: a
 * sweep only takes what is due and not already taken.
 */
@Processor(QUEUES.chasing, { ...WORKER_SETTINGS, concurrency: 1 })
export class ChaseSweepProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChaseSweepProcessor.name);

  constructor(
    private readonly sweeper: ChaseSweeper,
    private readonly digest: DigestService,
    private readonly retention: RetentionSweeper,
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.chasing) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private watch: NodeJS.Timeout | null = null;

  onApplicationBootstrap(): void {
    void this.schedule();
    // A Redis that lost its data (FLUSHALL, restart without persistence) lost the schedules too:
    // look every RECONCILE_SECONDS and put them back.
    this.watch = setInterval(() => void this.rescheduleIfForgotten(), this.config.reconcileSeconds * 1000);
    this.watch.unref();
  }

  onApplicationShutdown(): void {
    if (this.watch) clearInterval(this.watch);
  }

  /** Puts the schedules back if Redis lost any of them; true if it did. */
  async rescheduleIfForgotten(): Promise<boolean> {
    const known = await Promise.all(SCHEDULER_IDS.map((id) => this.queue.getJobScheduler(id))).then(
      (schedulers) => schedulers.every(Boolean),
      () => true, // Redis unreachable: nothing to decide now
    );
    if (known) return false;
    this.logger.warn('the chase sweep, digest or retention schedules were missing from Redis; scheduling them again');
    await this.schedule(1);
    return true;
  }

  /** Keeps trying while Redis is away; the worker runs on meanwhile. */
  private async schedule(attempt = 0): Promise<void> {
    try {
      const { removeOnComplete, removeOnFail } = JOB_OPTIONS['chase.sweep'];
      await this.queue.upsertJobScheduler(
        CHASE_SWEEP_SCHEDULER_ID,
        { every: this.config.chaseSweepSeconds * 1000 },
        { name: 'chase.sweep', data: {}, opts: { removeOnComplete, removeOnFail, attempts: 1 } },
      );
      // 08:00 London every weekday; the digest itself skips bank holidays.
      await this.queue.upsertJobScheduler(
        DAILY_DIGEST_SCHEDULER_ID,
        { pattern: '0 8 * * 1-5', tz: 'Europe/London' },
        { name: 'digest.daily', data: {}, opts: { removeOnComplete, removeOnFail, attempts: 3 } },
      );
      // 02:30 London every night, when nobody is at work; a missed night is caught up the next.
      await this.queue.upsertJobScheduler(
        RETENTION_SWEEP_SCHEDULER_ID,
        { pattern: '30 2 * * *', tz: 'Europe/London' },
        { name: 'retention.sweep', data: {}, opts: { removeOnComplete, removeOnFail, attempts: 3 } },
      );
    } catch {
      if (attempt === 0) this.logger.warn('could not schedule the chase sweep yet (Redis unavailable); retrying');
      setTimeout(() => void this.schedule(attempt + 1), Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5))).unref();
    }
  }

  async process(job: Job): Promise<number> {
    if (job.name === 'chase.sweep') {
      const chased = await this.sweeper.sweep();
      // Housekeeping rides along: stored idempotent responses (family data) live 24 hours.
      await new IdempotencyRepository(this.dataSource.manager).purgeExpired();
      return chased;
    }
    if (job.name === 'digest.daily') return this.digest.send();
    if (job.name === 'retention.sweep') {
      const { erased, erasedRequests, outbox, emails } = await this.retention.sweep();
      return erased + erasedRequests + outbox + emails;
    }
    throw new UnrecoverableError(`unknown job ${job.name}`);
  }
}

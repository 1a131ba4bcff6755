import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { JOB_OPTIONS, QUEUES } from '@fh/queues';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { WORKER_SETTINGS } from '../worker.constants.js';
import { ChaseSweeper } from './chase-sweeper.service.js';

/** The scheduler's stable id: every worker upserts the same one, so there is one schedule. */
export const CHASE_SWEEP_SCHEDULER_ID = 'chase-sweep';

/**
 * Runs the chase sweep every CHASE_SWEEP_SECONDS. Correctness does not depend on the scheduler
 * firing exactly once: a sweep only takes what is due and not already taken.
 */
@Processor(QUEUES.chasing, { ...WORKER_SETTINGS, concurrency: 1 })
export class ChaseSweepProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ChaseSweepProcessor.name);

  constructor(
    private readonly sweeper: ChaseSweeper,
    @InjectQueue(QUEUES.chasing) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    void this.schedule();
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
    } catch {
      if (attempt === 0) this.logger.warn('could not schedule the chase sweep yet (Redis unavailable); retrying');
      setTimeout(() => void this.schedule(attempt + 1), Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5))).unref();
    }
  }

  async process(job: Job): Promise<number> {
    if (job.name !== 'chase.sweep') throw new UnrecoverableError(`unknown job ${job.name}`);
    return this.sweeper.sweep();
  }
}

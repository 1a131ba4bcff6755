import { WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Job } from 'bullmq';
import { Counter, Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../worker.constants.js';

/**
 * Counts, per queue, jobs that ended `failed` — out of attempts, or refused as unrecoverable — on
 * /metrics as `jobs_failed_total{queue}`, and failed attempts that will be retried as
 * `job_attempts_failed_total{queue}`. A poison job shows up here and in the log (job id and name
 * only, never its data), while the queue keeps flowing.
 */
@Injectable()
export class JobMetrics implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');
  private readonly failed: Counter;
  private readonly retried: Counter;

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.failed = new Counter({
      name: 'jobs_failed_total',
      help: 'Jobs that ended failed (no attempts left)',
      labelNames: ['queue'],
      registers: [registry],
    });
    this.retried = new Counter({
      name: 'job_attempts_failed_total',
      help: 'Failed job attempts that will be retried',
      labelNames: ['queue'],
      registers: [registry],
    });
  }

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host = wrapper.instance as unknown;
      if (!(host instanceof WorkerHost) || !host.worker) continue;
      const queue = host.worker.name;
      this.failed.inc({ queue }, 0);
      this.retried.inc({ queue }, 0);
      host.worker.on('failed', (job: Job | undefined, error: Error) => {
        if (job && !job.finishedOn) return void this.retried.inc({ queue });
        this.failed.inc({ queue });
        this.logger.warn(
          { queue, jobId: job?.id, job: job?.name, attempts: job?.attemptsMade, reason: error?.name },
          'job failed for good',
        );
      });
    }
  }
}

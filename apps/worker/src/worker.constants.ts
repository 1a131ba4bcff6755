import type { WorkerOptions } from 'bullmq';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * Every processor's BullMQ settings. A job whose worker dies is seen as stalled once its lock
 * lapses (lockDuration) and the next stall check runs (stalledInterval), then runs again elsewhere.
 */
export const WORKER_SETTINGS: Partial<WorkerOptions> = {
  concurrency: 4,
  lockDuration: 15_000,
  stalledInterval: 10_000,
  maxStalledCount: 5,
};

import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

const QUIET_MS = 30_000;

/**
 * Every BullMQ worker's `error` events, logged through pino: what went wrong (the Redis reply or
 * error code, never job data), at most once per worker every 30 s with a count of the ones in
 * between, so a Redis that is away or read-only for an hour writes a line every 30 s, not a flood.
 * (Without a listener BullMQ prints each error with its stack to stderr.)
 */
@Injectable()
export class WorkerErrors implements OnApplicationBootstrap {
  private readonly logger = new Logger('QueueWorker');

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host = wrapper.instance as unknown;
      if (!(host instanceof WorkerHost) || !host.worker) continue;
      const queue = host.worker.name;
      let last = 0;
      let suppressed = 0;
      host.worker.on('error', (error: Error) => {
        const now = Date.now();
        if (now - last < QUIET_MS) {
          suppressed++;
          return;
        }
        this.logger.warn(
          { queue, reason: describeRedisError(error), suppressed },
          'queue worker error (Redis unusable?); it keeps retrying',
        );
        last = now;
        suppressed = 0;
      });
    }
  }
}

/**
 * A Redis reply's first words or a socket error code: no command arguments, no job data. Redis 7
 * appends where a script failed (" script: <sha>, on @user_script:1."): noise, dropped.
 */
export function describeRedisError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const first = (e.message ?? '').split('\n')[0].replace(/\s*script: [0-9a-f]+, on @user_script:\d+\.?\s*$/, '');
  return [e.code, first.slice(0, 160)].filter(Boolean).join(' ');
}

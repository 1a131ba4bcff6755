import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/** A connection for BullMQ workers and queues: retries forever while Redis is away. */
export function bullConnectionOptions(redisUrl: string): BullRedisOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
}

/** A connection for quick checks (readiness): fails fast instead of queueing commands. */
export function probeRedis(redisUrl: string): Redis {
  return new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 500, 5_000),
  });
}

/** BullMQ needs Redis to keep every key: anything but noeviction can silently drop jobs. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = reply[1];
  if (policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction". Set it (CONFIG SET maxmemory-policy noeviction) and restart.`);
  }
}

import type { RedisOptions as BullRedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * How long to wait before reconnecting, for every connection made with one set of options.
 *
 * ioredis counts attempts from 1 again whenever a connection got as far as "ready", so a Redis
 * (or a proxy, or a failover) that accepts connections and drops them a moment later would be
 * reconnected to every 200 ms by each of the worker's ten or so connections — each reconnect a
 * handshake, a ready check and BullMQ's own start-up commands, ~8 % of a core with no work done.
 * Here a reconnect within 10 s of the previous one (from any connection sharing the options)
 * counts as the same outage: 200 ms, 400 ms, … doubling up to `maxMs`. After 10 s without a
 * reconnect the next one starts at 200 ms again.
 */
export function reconnectBackoff(maxMs = 2_000, now: () => number = Date.now): (times: number) => number {
  let streak = 0;
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    streak = at - last < 10_000 ? streak + 1 : 0;
    last = at;
    return Math.min(maxMs, 200 * 2 ** Math.min(streak, 10));
  };
}

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
    retryStrategy: reconnectBackoff(),
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
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction". Set it (CONFIG SET maxmemory-policy noeviction) and restart.`,
    );
  }
}

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { TEMPLATE_ENV } from './services';

type Stoppable = { stop(): Promise<unknown> };
declare global {
  var __FH_CONTAINERS__: Stoppable[] | undefined;
}

/** The servers a machine of this kind runs: PostgreSQL (trust auth) and Redis on their standard local ports. */
export const LOCAL_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

async function postgresProblem(url: string): Promise<string | null> {
  const pg = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  pg.on('error', () => undefined);
  try {
    await pg.connect();
    await pg.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await pg.end().catch(() => undefined);
  }
}

async function redisProblem(url: string): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    redis.disconnect();
  }
}

async function startContainers(): Promise<string | null> {
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const { RedisContainer } = await import('@testcontainers/redis');
    const [pg, redis] = await Promise.all([
      new PostgreSqlContainer('postgres:15-alpine').start(),
      new RedisContainer('redis:7-alpine').withCommand(['redis-server', '--maxmemory-policy', 'noeviction']).start(),
    ]);
    globalThis.__FH_CONTAINERS__ = [pg, redis];
    process.env.DATABASE_URL = pg.getConnectionUri();
    process.env.REDIS_URL = redis.getConnectionUrl();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Finds PostgreSQL and Redis, in this order:
 *  1. DATABASE_URL and REDIS_URL when set (both must answer: a wrong setting is an error, not a fallback);
 *  2. otherwise the servers at their standard local addresses (127.0.0.1:5432 as postgres, 127.0.0.1:6379);
 *  3. otherwise containers started with Testcontainers;
 *  4. otherwise the run fails and says what to do. Tests are never skipped.
 * Then names this run's template database: the first test file to need a database creates and
 * migrates it (test/support/database.ts); the rest clone it.
 */
export default async function globalSetup(): Promise<void> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (DATABASE_URL || REDIS_URL) {
    const databaseUrl = DATABASE_URL ?? LOCAL_DATABASE_URL;
    const redisUrl = REDIS_URL ?? LOCAL_REDIS_URL;
    const pg = await postgresProblem(databaseUrl);
    if (pg)
      throw new Error(
        `PostgreSQL at ${DATABASE_URL ? 'DATABASE_URL' : LOCAL_DATABASE_URL} did not answer (${pg}). Start it, or unset DATABASE_URL.`,
      );
    const redis = await redisProblem(redisUrl);
    if (redis)
      throw new Error(
        `Redis at ${REDIS_URL ? 'REDIS_URL' : LOCAL_REDIS_URL} did not answer (${redis}). Start it, or unset REDIS_URL.`,
      );
    process.env.DATABASE_URL = databaseUrl;
    process.env.REDIS_URL = redisUrl;
  } else {
    const [pg, redis] = await Promise.all([postgresProblem(LOCAL_DATABASE_URL), redisProblem(LOCAL_REDIS_URL)]);
    if (!pg && !redis) {
      process.env.DATABASE_URL = LOCAL_DATABASE_URL;
      process.env.REDIS_URL = LOCAL_REDIS_URL;
    } else {
      const containers = await startContainers();
      if (containers) {
        throw new Error(
          'The tests need PostgreSQL and Redis, and found neither way to reach them:\n' +
            `  - at the standard local addresses: ${pg ? `PostgreSQL ${LOCAL_DATABASE_URL}: ${pg}` : 'PostgreSQL answered'}; ` +
            `${redis ? `Redis ${LOCAL_REDIS_URL}: ${redis}` : 'Redis answered'}\n` +
            `  - with Testcontainers (needs a Docker engine): ${containers}\n` +
            'Start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and Redis on 127.0.0.1:6379 ' +
            '(e.g. `pg_ctlcluster 15 main start` and `redis-server --daemonize yes --maxmemory-policy noeviction`), ' +
            'or set DATABASE_URL and REDIS_URL to servers that run, or start a Docker engine.',
        );
      }
    }
  }
  process.env[TEMPLATE_ENV] = `fh_template_${randomBytes(4).toString('hex')}`;
}

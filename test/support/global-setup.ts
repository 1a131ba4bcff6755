import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { TEMPLATE_ENV } from './services';

type Stoppable = { stop(): Promise<unknown> };
declare global {
  var __FH_CONTAINERS__: Stoppable[] | undefined;
}

async function reachable(databaseUrl: string, redisUrl: string): Promise<string | null> {
  const pg = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (error) {
    return `PostgreSQL at DATABASE_URL did not answer: ${(error as Error).message}`;
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at REDIS_URL did not answer: ${(error as Error).message}`;
  } finally {
    redis.disconnect();
  }
  return null;
}

async function startContainers(): Promise<void> {
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
  } catch (error) {
    throw new Error(
      'The tests need PostgreSQL and Redis. Set DATABASE_URL and REDIS_URL to running servers ' +
        '(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379), ' +
        `or run a Docker engine so Testcontainers can start them. Testcontainers said: ${(error as Error).message}`,
    );
  }
}

/**
 * Finds the services and names this run's template database. The first test file to need a
 * database creates and migrates the template (test/support/database.ts); the rest clone it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) {
    const problem = await reachable(process.env.DATABASE_URL, process.env.REDIS_URL);
    if (problem) throw new Error(`${problem}. Start it (see README → Tests) or unset DATABASE_URL/REDIS_URL to use Testcontainers.`);
  } else {
    await startContainers();
  }
  process.env[TEMPLATE_ENV] = `fh_template_${randomBytes(4).toString('hex')}`;
}

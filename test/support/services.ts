/**
 * Where the tests find PostgreSQL and Redis: the global setup (test/support/global-setup.ts) decides
 * — DATABASE_URL/REDIS_URL when set, else the standard local addresses, else Testcontainers — and
 * leaves its choice in DATABASE_URL and REDIS_URL for every test file.
 */
import { Client } from 'pg';

export const TEMPLATE_ENV = 'FH_TEST_TEMPLATE_DB';

export function adminDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: the global setup should have set it (see test/support/global-setup.ts)');
  return url;
}

export function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url)
    throw new Error('REDIS_URL is not set: the global setup should have set it (see test/support/global-setup.ts)');
  return url;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

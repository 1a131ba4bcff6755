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

/**
 * The tests' app role: the API, worker and console under test connect as it, as they do in
 * production (a LOGIN member of family_handover_app that owns no table). The migrate step
 * (migrateAsOwner) creates it; the password is for servers that do not trust local connections.
 */
export const TEST_APP_ROLE = 'fh_test_app';

/** The database `name` as the app role (DATABASE_URL's host and port). */
export function appDatabaseUrlFor(name: string): string {
  const url = new URL(databaseUrlFor(name));
  url.username = TEST_APP_ROLE;
  url.password = TEST_APP_ROLE;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(adminDatabaseUrl(), work);
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The same database as `url` (an app-role URL of this cluster), as its owner. */
export function ownerUrlFor(url: string): string {
  return databaseUrlFor(new URL(url).pathname.slice(1));
}

/** A client on the same database as `url`, as the tables' owner: for what only an owner may do (DDL, ANALYZE). */
export async function withOwnerClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  return withClient(ownerUrlFor(url), work);
}

import { randomBytes } from 'node:crypto';
import { ADVISORY_LOCKS, migrateAsOwner } from '@fh/persistence';
import { appDatabaseUrlFor, databaseUrlFor, TEMPLATE_ENV, withAdminClient } from './services';

/**
 * Creates and migrates this run's template database once, as the migrate command does: as the owner
 * (DATABASE_URL's role), granting the app role; concurrent test files wait for it.
 */
async function ensureTemplate(template: string): Promise<void> {
  await withAdminClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.testTemplate]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (rowCount) return;
      await client.query(`CREATE DATABASE ${template}_building`);
      const building = `${template}_building`;
      await migrateAsOwner(databaseUrlFor(building), appDatabaseUrlFor(building));
      await client.query(`ALTER DATABASE ${template}_building RENAME TO ${template}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.testTemplate]);
    }
  });
}

/**
 * A fresh database for one test file, cloned from the migrated template (as the owner: cloning needs
 * CREATEDB). `url` connects as the app role, as the apps do in production; `ownerUrl` as the tables'
 * owner, for tests that change the schema or try what only an owner could.
 */
export async function createTestDatabase(): Promise<{
  name: string;
  url: string;
  ownerUrl: string;
  drop(): Promise<void>;
}> {
  const template = process.env[TEMPLATE_ENV];
  if (!template)
    throw new Error(`${TEMPLATE_ENV} is not set: run the tests through jest (npm test), whose global setup names it`);
  await ensureTemplate(template);
  const name = `${template.replace('fh_template_', 'fh_t_')}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await withAdminClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      break;
    } catch (error) {
      // Another file may be cloning the template at this very moment.
      if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    name,
    url: appDatabaseUrlFor(name),
    ownerUrl: databaseUrlFor(name),
    drop: () =>
      withAdminClient(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

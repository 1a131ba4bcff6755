import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { AreaEntity } from './entities/area.entity.js';
import { PractitionerEntity } from './entities/practitioner.entity.js';
import { TeamEntity } from './entities/team.entity.js';
import { ADVISORY_LOCKS } from './locks.js';
import { useDataKeyRing } from './crypto/key-ring.js';
import type { DataKeyRing } from '@fh/config';

// Calendar dates stay 'YYYY-MM-DD' strings: turning them into Date objects would shift them by time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export const ENTITIES = [AreaEntity, TeamEntity, PractitionerEntity];

export interface DatabaseSettings {
  databaseUrl: string;
  databasePoolSize: number;
  /** The key ring wrapping transfers' data keys (AppConfig.dataKeys); without it, the development ring. */
  dataKeys?: DataKeyRing;
}

/** The one set of DataSource options, used by the API, the worker, the CLI and the tests. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: settings.databasePoolSize,
      connectionTimeoutMillis: 5_000,
      // Never let a stuck statement hold a connection (and its locks) forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'family-handover',
      // Every transaction is READ COMMITTED by the connection's own default, so inTransaction need
      // not say so in a statement of its own (one round trip fewer per transaction).
      options: '-c default_transaction_isolation=read\\ committed',
    },
  };
}

/** The single way to make a DataSource. */
export function createDataSource(settings: DatabaseSettings): DataSource {
  const dataSource = new DataSource(dataSourceOptions(settings));
  if (settings.dataKeys) useDataKeyRing(dataSource, settings.dataKeys);
  return dataSource;
}

/** Any number of replicas may start at once: migrations run under one advisory lock. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrations]).catch(() => undefined);
    await runner.release();
  }
}

/** The NOLOGIN role that holds the apps' privileges (migration AppRole1765134000000). */
export const APP_GROUP_ROLE = 'family_handover_app';

/** The role a postgres:// URL signs in as ('' when it names none: libpq then uses the OS user). */
export function databaseUser(url: string): { user: string; password?: string } {
  const parsed = new URL(url);
  return {
    user: decodeURIComponent(parsed.username),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

/**
 * Run by the migrate command, as the owner, after the migrations: makes DATABASE_URL's role a
 * LOGIN member of APP_GROUP_ROLE (creating it, with the URL's password, when it does not exist).
 * Idempotent. Refuses an app role that is a superuser or owns any table of the schema: either
 * could alter the audit trail's triggers away.
 */
export async function ensureAppLogin(owner: DataSource, appDatabaseUrl: string): Promise<'granted' | 'same-role'> {
  const { user, password } = databaseUser(appDatabaseUrl);
  const [{ current }]: { current: string }[] = await owner.query('SELECT current_user AS current');
  if (!user || user === current) return 'same-role';
  if (user === APP_GROUP_ROLE)
    throw new Error(`DATABASE_URL must sign in as its own LOGIN role, not as ${APP_GROUP_ROLE} (the group role)`);
  const existing: { rolsuper: boolean }[] = await owner.query('SELECT rolsuper FROM pg_roles WHERE rolname = $1', [
    user,
  ]);
  if (existing.length === 0) {
    const [{ sql }]: { sql: string }[] = await owner.query(
      password === undefined
        ? `SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', $1::text) AS sql`
        : `SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', $1::text, $2::text) AS sql`,
      password === undefined ? [user] : [user, password],
    );
    try {
      await owner.query(sql);
    } catch (error) {
      // Roles are cluster-wide: another database's migrate may have created it at this moment.
      const code = (error as { code?: string }).code;
      if (code !== '42710' && code !== '23505') throw error;
    }
  } else if (existing[0].rolsuper) {
    throw new Error(`DATABASE_URL's role ${user} is a superuser: the app must connect as a plain LOGIN role`);
  }
  const owned: { tablename: string }[] = await owner.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1 ORDER BY tablename`,
    [user],
  );
  if (owned.length)
    throw new Error(
      `DATABASE_URL's role ${user} owns ${owned.map((t) => t.tablename).join(', ')}: ` +
        `give them to the migration role (REASSIGN OWNED BY ${user} TO <owner>) — the app must own no table`,
    );
  const [{ grant }]: { grant: string }[] = await owner.query(
    `SELECT format('GRANT %I TO %I', $1::text, $2::text) AS grant`,
    [APP_GROUP_ROLE, user],
  );
  await owner.query(grant);
  return 'granted';
}

/**
 * What is wrong with the role this DataSource connects as, for an app that must not be able to
 * rewrite history: a superuser, or the owner of any table (an owner can ALTER TABLE … DISABLE
 * TRIGGER). Empty when the app role is as it should be.
 */
export async function appRoleProblems(dataSource: DataSource): Promise<string[]> {
  const [role]: { name: string; superuser: boolean; owned: string[] }[] = await dataSource.query(
    `SELECT r.rolname AS name, r.rolsuper AS superuser,
            COALESCE((SELECT array_agg(tablename::text ORDER BY tablename) FROM pg_tables
                       WHERE schemaname = 'public' AND tableowner = r.rolname), '{}') AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const problems: string[] = [];
  if (role.superuser) problems.push(`it connects as ${role.name}, a superuser`);
  if (role.owned.length) problems.push(`its role ${role.name} owns ${role.owned.join(', ')}`);
  return problems;
}

/**
 * The migrate command's work, and the tests' template's: as the owner (ownerUrl), apply the
 * migrations, then make appUrl's role a LOGIN member of the app role.
 */
export async function migrateAsOwner(
  ownerUrl: string,
  appUrl: string,
): Promise<{ applied: string[]; login: 'granted' | 'same-role' }> {
  const owner = createDataSource({ databaseUrl: ownerUrl, databasePoolSize: 2 });
  await owner.initialize();
  try {
    const applied = await runMigrations(owner);
    return { applied, login: await ensureAppLogin(owner, appUrl) };
  } finally {
    await owner.destroy();
  }
}

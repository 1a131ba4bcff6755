import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { AreaEntity } from './entities/area.entity.js';
import { PractitionerEntity } from './entities/practitioner.entity.js';
import { TeamEntity } from './entities/team.entity.js';
import { ADVISORY_LOCKS } from './locks.js';

// Calendar dates stay 'YYYY-MM-DD' strings: turning them into Date objects would shift them by time zone.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export const ENTITIES = [AreaEntity, TeamEntity, PractitionerEntity];

export interface DatabaseSettings {
  databaseUrl: string;
  databasePoolSize: number;
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
  return new DataSource(dataSourceOptions(settings));
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

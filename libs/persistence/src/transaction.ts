import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one database transaction: everything it writes (the state change, its audit
 * events, its outbox rows, its chase items) commits together or not at all. Inside `work`, use only
 * the `manager` handed in — never a repository bound to the DataSource (TypeORM #4168). The
 * isolation level is READ COMMITTED, the default every connection is opened with (data-source.ts).
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work);
}

/**
 * Runs `work` on one pooled connection WITHOUT a transaction: each statement commits on its own.
 * For reads, whose only write is their audit event, written in one statement (appendAudits) after
 * the read: atomic by itself, and two round trips fewer than BEGIN … COMMIT.
 */
export async function onConnection<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}

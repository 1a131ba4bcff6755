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

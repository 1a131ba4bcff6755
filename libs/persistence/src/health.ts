import type { EntityManager } from 'typeorm';

/** Readiness: resolves when PostgreSQL answers a trivial statement on the pool, rejects when it does not. */
export async function pingDatabase(manager: EntityManager): Promise<void> {
  await manager.query('SELECT 1');
}

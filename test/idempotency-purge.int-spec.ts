import { randomUUID } from 'node:crypto';
import {
  createDataSource,
  IdempotencyRepository,
  inTransaction,
  seedArea,
  seedPractitioner,
  seedTeam,
} from '@fh/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './support/database';

/**
 * Stored idempotent responses hold family data (the whole transfer resource): they are kept 24 hours,
 * then the chase sweep deletes them with IdempotencyRepository.purgeExpired (docs/SECURITY.md §6).
 */
describe('idempotent responses are purged after 24 hours', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let actorId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As the app's own role, as the worker runs it.
    dataSource = createDataSource({ databaseUrl: db.url, databasePoolSize: 2 });
    await dataSource.initialize();
    actorId = await inTransaction(dataSource, async (m) => {
      const areaId = await seedArea(m, { code: 'purgeton', name: 'Purgeton' });
      const teamId = await seedTeam(m, areaId, { name: 'Purge team', service: 'health_visiting', mailbox: 'p@x.test' });
      await seedPractitioner(m, teamId, { name: 'Pat Purge', email: 'pat.purge@x.test', role: 'practitioner' });
      return (await m.query(`SELECT id FROM practitioners WHERE email = 'pat.purge@x.test'`))[0].id as string;
    });
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('deletes keys older than 24 hours with what they stored, keeps younger ones, and lets a purged key be used again', async () => {
    const keys = new IdempotencyRepository(dataSource.manager);
    for (const key of ['old', 'almost-old', 'fresh']) {
      expect(await keys.claim(actorId, key, `hash-${key}`)).toBe(true);
      await keys.storeResponse(actorId, key, 201, randomUUID(), randomUUID());
    }
    const age = (key: string, interval: string) =>
      dataSource.query(`UPDATE idempotency_keys SET created_at = now() - $2::interval WHERE key = $1`, [key, interval]);
    await age('old', '24 hours 1 minute');
    await age('almost-old', '23 hours 59 minutes');

    await keys.purgeExpired();

    expect(await keys.find(actorId, 'old')).toBeNull();
    expect(await keys.find(actorId, 'almost-old')).toMatchObject({ requestHash: 'hash-almost-old', status: 201 });
    expect(await keys.find(actorId, 'fresh')).toMatchObject({ requestHash: 'hash-fresh', status: 201 });
    // The purged key is free again: a new request with it is served afresh, not refused as a reuse.
    expect(await keys.claim(actorId, 'old', 'another-request')).toBe(true);
    expect(await keys.claim(actorId, 'fresh', 'another-request')).toBe(false);
  });
});

import { appendAudit, createDataSource, inTransaction } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './support/database';

describe('audit trail', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As the owner: the triggers hold even against the tables' owner (test/app-role.int-spec.ts shows
    // that the app's own role is refused before they are reached).
    dataSource = createDataSource({ databaseUrl: db.ownerUrl, databasePoolSize: 2 });
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  const entry = {
    actorId: null,
    action: 'test.write',
    entityType: 'test',
    entityId: 'x',
    outcome: 'succeeded' as const,
    requestId: 'r1',
  };

  it('appends events within the caller’s transaction, and rolls them back with it', async () => {
    await inTransaction(dataSource, (m) => appendAudit(m, entry));
    await expect(
      inTransaction(dataSource, async (m) => {
        await appendAudit(m, { ...entry, action: 'test.rolled_back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await dataSource.query(`SELECT action FROM audit_events`);
    expect(rows).toEqual([{ action: 'test.write' }]);
  });

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'tampered'`],
    ['DELETE', `DELETE FROM audit_events`],
    ['TRUNCATE', `TRUNCATE audit_events`],
  ])('refuses %s', async (_op, sql) => {
    await expect(dataSource.query(sql)).rejects.toThrow(/audit_events is append-only/);
    expect(await dataSource.query(`SELECT action FROM audit_events`)).toEqual([{ action: 'test.write' }]);
  });
});

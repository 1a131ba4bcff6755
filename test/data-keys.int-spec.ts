import { DEVELOPMENT_KEY_ID, developmentKeyRing } from '@fh/config';
import type { DataKeyRing } from '@fh/config';
import { createDataSource, dataKeysByKek, rotateDataKeys, transferCipher, unwrapDataKey } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { withOwnerClient } from './support/services';

/**
 * Issue 12 item 11: every transfer gets its own data key when it is created, stored only wrapped by
 * the active key-encryption key; `keys:rotate` (rotateDataKeys) re-wraps every data key under the
 * newly active KEK without touching the data, is idempotent and audited.
 */
describe('per-transfer data keys and their rotation', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let rotated: DataSource;
  const ids: string[] = [];
  const next: DataKeyRing = {
    activeId: 'k2026b',
    keys: new Map([
      ['k2026b', Buffer.alloc(32, 42)],
      [DEVELOPMENT_KEY_ID, developmentKeyRing().keys.get(DEVELOPMENT_KEY_ID)!],
    ]),
    development: false,
  };

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    for (let i = 0; i < 3; i++) {
      const created = await api.call('POST', '/v1/transfers', {
        as: dir.birmingham.hv.practitioner.email,
        body: reviewFamily(dir.sandwell.hv.id),
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    rotated = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 2, dataKeys: next });
    await rotated.initialize();
  });
  afterAll(async () => {
    await rotated?.destroy();
    await api?.close();
  });

  const keyRows = () =>
    withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows } = await owner.query(
        `SELECT transfer_id AS "transferId", kek_id AS "kekId", wrapped_key AS "wrappedKey" FROM transfer_keys ORDER BY transfer_id`,
      );
      return rows as { transferId: string; kekId: string; wrappedKey: Buffer }[];
    });
  /** Everything stored about the families, as text: rotation must not change a byte of it. */
  const familyData = () =>
    withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows } = await owner.query(
        `SELECT (SELECT json_agg(t ORDER BY id)::text FROM transfers t) AS transfers,
                (SELECT json_agg(m ORDER BY id)::text FROM household_members m) AS members,
                (SELECT json_agg(c ORDER BY id)::text FROM concerns c) AS concerns`,
      );
      return rows[0];
    });

  it('makes one random data key per transfer, wrapped by the active KEK', async () => {
    const rows = await keyRows();
    expect(rows.map((r) => r.transferId).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.kekId))).toEqual(new Set([DEVELOPMENT_KEY_ID]));
    const dev = developmentKeyRing();
    const keys = rows.map((r) => unwrapDataKey(dev, r.transferId, r.kekId, r.wrappedKey).toString('hex'));
    expect(new Set(keys).size).toBe(3);
  });

  it('re-wraps every data key under the new active KEK, leaves the data alone, and a second run does nothing', async () => {
    const dev = developmentKeyRing();
    const before = await keyRows();
    const dataBefore = await familyData();
    const first = await rotateDataKeys(rotated, next);
    expect(first).toEqual({ rewrapped: 3, fromKeks: [DEVELOPMENT_KEY_ID], activeKek: 'k2026b' });
    const after = await keyRows();
    expect(after.map((r) => r.kekId)).toEqual(['k2026b', 'k2026b', 'k2026b']);
    after.forEach((row, i) => {
      expect(row.wrappedKey.equals(before[i].wrappedKey)).toBe(false);
      // The same data key, now under the new KEK: nothing encrypted under it needs touching.
      expect(unwrapDataKey(next, row.transferId, row.kekId, row.wrappedKey)).toEqual(
        unwrapDataKey(dev, before[i].transferId, before[i].kekId, before[i].wrappedKey),
      );
    });
    expect(await familyData()).toEqual(dataBefore);
    await expect(transferCipher(rotated.manager, ids[0])).resolves.toBeDefined();

    const second = await rotateDataKeys(rotated, next);
    expect(second).toEqual({ rewrapped: 0, fromKeks: [], activeKek: 'k2026b' });
    expect((await keyRows()).map((r) => r.wrappedKey.toString('hex'))).toEqual(
      after.map((r) => r.wrappedKey.toString('hex')),
    );
    expect(await dataKeysByKek(rotated.manager)).toEqual({ k2026b: 3 });
  });

  it('audits each run with counts and KEK ids only', async () => {
    const events = await withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows } = await owner.query(
        `SELECT actor_id AS "actorId", entity_type AS "entityType", entity_id AS "entityId", outcome, details
         FROM audit_events WHERE action = 'keys.rotate' ORDER BY id`,
      );
      return rows;
    });
    expect(events).toEqual([
      {
        actorId: null,
        entityType: 'data_key_ring',
        entityId: 'k2026b',
        outcome: 'succeeded',
        details: { activeKek: 'k2026b', rewrapped: 3, fromKeks: [DEVELOPMENT_KEY_ID] },
      },
      {
        actorId: null,
        entityType: 'data_key_ring',
        entityId: 'k2026b',
        outcome: 'succeeded',
        details: { activeKek: 'k2026b', rewrapped: 0, fromKeks: [] },
      },
    ]);
  });

  it('refuses to rotate when a data key is under a KEK that left the ring, and changes nothing', async () => {
    const without: DataKeyRing = {
      activeId: 'k2027',
      keys: new Map([['k2027', Buffer.alloc(32, 5)]]),
      development: false,
    };
    const before = await keyRows();
    await expect(rotateDataKeys(rotated, without)).rejects.toThrow(/k2026b, which is not in DATA_KEY_RING/);
    expect(await keyRows()).toEqual(before);
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { SystemClock } from '@fh/domain';
import { APP_GROUP_ROLE, appRoleProblems, createDataSource, ensureAppLogin, migrateAsOwner } from '@fh/persistence';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PacketGenerator } from '../apps/worker/src/packets/packet-generator.service';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { StartupService } from '../apps/api/src/startup.service';
import { RunningApi, startApi, testConfig } from './support/harness';
import { databaseUrlFor, ownerUrlFor, TEST_APP_ROLE, withAdminClient, withOwnerClient } from './support/services';

/**
 * Issue 12 item 10: the append-only trail and the immutable packets are enforced by PostgreSQL's
 * privileges, not only by triggers the tables' owner could disable. The API (and, through the same
 * test setup, every other test) connects as a LOGIN role that is a member of family_handover_app
 * and owns no table.
 */
describe('the app connects as a role that cannot rewrite history', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let app: DataSource;
  let transferId: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    app = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 2 });
    await app.initialize();
    const sender = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    transferId = created.body.id;
    expect((await api.call('POST', `/v1/transfers/${transferId}/initiate`, { as: sender })).status).toBe(200);
    // The packet job, as the worker runs it: on the app's role.
    const generated = await new PacketGenerator(app, new SystemClock()).generate(transferId, randomUUID());
    expect(generated).toEqual(expect.objectContaining({ outcome: 'created' }));
  });
  afterAll(async () => {
    await app?.destroy();
    await api?.close();
  });

  const counts = async () =>
    withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows } = await owner.query(
        `SELECT (SELECT count(*) FROM audit_events)::int AS audit, (SELECT count(*) FROM packets)::int AS packets,
                (SELECT count(*) FROM flag_acknowledgements)::int AS advice`,
      );
      return rows[0] as { audit: number; packets: number; advice: number };
    });

  it('is a plain member of the app role that owns no table, and the API works on it', async () => {
    const [role] = await app.query(
      `SELECT current_user AS name, rolsuper AS superuser, rolcreaterole AS createrole, rolcreatedb AS createdb,
              pg_has_role(current_user, $1, 'MEMBER') AS member
         FROM pg_roles WHERE rolname = current_user`,
      [APP_GROUP_ROLE],
    );
    expect(role).toEqual({ name: TEST_APP_ROLE, superuser: false, createrole: false, createdb: false, member: true });
    expect(await appRoleProblems(app)).toEqual([]);
    // The API wrote the transfer, its audit trail and its packet as this role.
    const trail = await api.call('GET', `/v1/transfers/${transferId}`, {
      as: dir.birmingham.hv.practitioner.email,
    });
    expect(trail.status).toBe(200);
    const [{ count }] = await app.query(`SELECT count(*)::int AS count FROM packets WHERE transfer_id = $1`, [
      transferId,
    ]);
    expect(count).toBe(1);
  });

  it('the API refuses to start in production on a role that could rewrite the trail, and starts on its own', async () => {
    const production = testConfig(api.config.databaseUrl, {
      NODE_ENV: 'production',
      ALLOW_SHARED_SECRET_AUTH: 'true',
      DATA_KEY_RING: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      DATA_KEY_ACTIVE: 'k1',
    });
    await expect(new StartupService(app, production).onApplicationBootstrap()).resolves.toBeUndefined();
    const owner = createDataSource({ databaseUrl: ownerUrlFor(api.config.databaseUrl), databasePoolSize: 2 });
    await owner.initialize();
    try {
      await expect(new StartupService(owner, production).onApplicationBootstrap()).rejects.toThrow(
        /^DATABASE_URL could rewrite the audit trail: it connects as \w+, a superuser; its role \w+ owns /,
      );
    } finally {
      await owner.destroy();
    }
  });

  it.each([
    ['disable the audit trigger', `ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`],
    ['disable every audit trigger', `ALTER TABLE audit_events DISABLE TRIGGER ALL`],
    ['disable the packet trigger', `ALTER TABLE packets DISABLE TRIGGER packets_no_update_delete`],
    ['drop the trigger', `DROP TRIGGER audit_events_no_update_delete ON audit_events`],
    ['drop the trail', `DROP TABLE audit_events`],
    ['give itself the table', `ALTER TABLE audit_events OWNER TO ${TEST_APP_ROLE}`],
  ])('cannot %s: only the owner may', async (_what, sql) => {
    await expect(app.query(sql)).rejects.toThrow(/must be owner of (table|relation) (audit_events|packets)/);
  });

  it.each([
    ['DELETE an audit event', `DELETE FROM audit_events`, 'audit_events'],
    ['UPDATE an audit event', `UPDATE audit_events SET action = 'tampered'`, 'audit_events'],
    ['TRUNCATE the trail', `TRUNCATE audit_events`, 'audit_events'],
    ['DELETE a packet', `DELETE FROM packets`, 'packets'],
    ['UPDATE a packet', `UPDATE packets SET format = 'tampered'`, 'packets'],
    ['TRUNCATE the packets', `TRUNCATE packets`, 'packets'],
    // Every safeguarding lead's advice is kept (issue 12 item 2): none can be replaced.
    ['UPDATE a lead’s advice', `UPDATE flag_acknowledgements SET advice = 'tampered'`, 'flag_acknowledgements'],
  ])('cannot %s: no such privilege', async (_what, sql, table) => {
    const before = await counts();
    await expect(app.query(sql)).rejects.toThrow(`permission denied for table ${table}`);
    expect(await counts()).toEqual(before);
  });

  it('cannot delete a lead’s advice on a transfer that has not ended (only retention erases it, issue 12 item 2)', async () => {
    await api.call('POST', `/v1/transfers/${transferId}/flags/NON_MOBILE_INFANT_BRUISING/acknowledge`, {
      as: dir.sandwell.lead.email,
      body: { advice: 'Child protection medical today' },
    });
    const before = await counts();
    expect(before.advice).toBeGreaterThan(0);
    await expect(app.query(`DELETE FROM flag_acknowledgements WHERE transfer_id = $1`, [transferId])).rejects.toThrow(
      'safeguarding advice is kept',
    );
    expect(await counts()).toEqual(before);
  });

  it('cannot step around the triggers or make tables of its own', async () => {
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE TABLE shadow (id int)`)).rejects.toThrow('permission denied for schema public');
    await expect(app.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'x')`)).rejects.toThrow(
      'permission denied for table migrations',
    );
  });
});

describe('the migrate step (migrateAsOwner: the migrate command and the tests’ template)', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `fh_roles_${suffix}`;
  const role = `fh_roles_app_${suffix}`;
  const appUrl = () => {
    const url = new URL(databaseUrlFor(database));
    url.username = role;
    url.password = `pw-${suffix}`;
    return url.toString();
  };

  beforeAll(async () => {
    await withAdminClient((client) => client.query(`CREATE DATABASE ${database}`));
  });
  afterAll(async () => {
    await withAdminClient(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  });

  it('creates the app’s LOGIN role with its password and grants it, idempotently', async () => {
    const first = await migrateAsOwner(databaseUrlFor(database), appUrl());
    expect(first.applied).toContain('AppRole1765134000000');
    expect(first.login).toBe('granted');
    expect(await migrateAsOwner(databaseUrlFor(database), appUrl())).toEqual({ applied: [], login: 'granted' });

    const client = new Client({ connectionString: appUrl() });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO audit_events (action, entity_type, outcome) VALUES ('test.write', 'test', 'succeeded')`,
      );
      await expect(client.query(`DELETE FROM audit_events`)).rejects.toThrow(
        'permission denied for table audit_events',
      );
      await expect(client.query(`ALTER TABLE audit_events DISABLE TRIGGER ALL`)).rejects.toThrow(
        'must be owner of table audit_events',
      );
    } finally {
      await client.end();
    }
  });

  it('refuses an app role that is a superuser or owns a table, and says when there is no split', async () => {
    const owner = createDataSource({ databaseUrl: databaseUrlFor(database), databasePoolSize: 1 });
    await owner.initialize();
    try {
      expect(await ensureAppLogin(owner, databaseUrlFor(database))).toBe('same-role');
      expect(await appRoleProblems(owner)).toEqual([
        expect.stringMatching(/a superuser$/),
        expect.stringMatching(/owns .*audit_events.*packets/),
      ]);
      await withAdminClient((client) => client.query(`ALTER ROLE ${role} SUPERUSER`));
      await expect(ensureAppLogin(owner, appUrl())).rejects.toThrow(`DATABASE_URL's role ${role} is a superuser`);
      await withAdminClient((client) => client.query(`ALTER ROLE ${role} NOSUPERUSER`));
      await owner.query(`ALTER TABLE emails OWNER TO ${role}`);
      await expect(ensureAppLogin(owner, appUrl())).rejects.toThrow(`DATABASE_URL's role ${role} owns emails`);
      await owner.query(`ALTER TABLE emails OWNER TO CURRENT_USER`);
      await expect(ensureAppLogin(owner, appUrl())).resolves.toBe('granted');
    } finally {
      await owner.destroy();
    }
  });
});

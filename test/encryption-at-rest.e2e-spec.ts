import { randomUUID } from 'node:crypto';
import { SystemClock } from '@fh/domain';
import { createDataSource } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { PacketGenerator } from '../apps/worker/src/packets/packet-generator.service';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { withOwnerClient } from './support/services';

/**
 * Issue 12 item 11: after the API has written the review family through every kind of write
 * (create, update, contact with flag understandings and agreed actions, dispute, advice, chase-item
 * evidence, appointment outcome, return, cancel — each with an Idempotency-Key) and the worker has
 * made its packets, the raw tables, read as their owner, hold none of the family's distinctive
 * values: not in transfers, the household, the contacts, the packets (document and PDF) or the
 * stored idempotent responses. The API still shows them all.
 */
describe('family data at rest is encrypted', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let worker: DataSource;
  let id: string;
  let cancelledId: string;

  const DISTINCT = {
    givenName: 'Zephyrine',
    familyName: 'Quillfeather',
    father: 'Thistlewood',
    nhsNumber: '9434765919',
    line1: 'Quillfeather Row',
    postcode: 'B70 9ZZ',
    dateOfBirth: '1999-03-14',
    reason: 'near father’s relatives',
    supportNote: 'maternal grandparents',
    involvement: 'supervision order, not engaging',
    concern: 'fading bruise left cheek',
    summary: 'Gallimaufry conversation about the bruise',
    understanding: 'Understood the Borborygmus point',
    action: 'Register Zephyrine at the Snickersnee practice',
    dispute: 'Not what we said: Collywobbles',
    advice: 'Strategy discussion with Widdershins today',
    returnReason: 'Living in Kerfuffle Close, Dudley',
    cancelReason: 'Did not move: Lollygag',
    evidenceNote: 'No longer needed: Flibbertigibbet moved on',
    updatedReason: 'Moved to be near Hullabaloo relatives',
  };

  const ok = async (response: Promise<{ status: number; body: any }>, status = 200) => {
    const r = await response;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    worker = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 2 });
    await worker.initialize();
    const sender = dir.birmingham.hv.practitioner.email;
    const receiver = dir.sandwell.hv.practitioner.email;
    const key = () => ({ 'idempotency-key': randomUUID() });
    const packet = () => new PacketGenerator(worker, new SystemClock()).generate(id, randomUUID());

    const createKey = key();
    const created = await ok(
      api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id), headers: createKey }),
      201,
    );
    id = created.id;
    // The stored response is only its status and resource: a replay renders the same transfer again.
    const replayed = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: reviewFamily(dir.sandwell.hv.id),
      headers: createKey,
    });
    expect([replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body.id]).toEqual([201, 'true', id]);
    expect(replayed.body.household.map((m: { givenName: string }) => m.givenName)).toEqual(
      created.household.map((m: { givenName: string }) => m.givenName),
    );
    await ok(api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender, headers: key() }));
    await packet();
    await ok(
      api.call('POST', `/v1/transfers/${id}/return`, {
        as: receiver,
        body: { reason: DISTINCT.returnReason },
        headers: key(),
      }),
    );
    const patched = await ok(
      api.call('PATCH', `/v1/transfers/${id}`, {
        as: sender,
        body: { reason: DISTINCT.updatedReason },
        headers: key(),
      }),
    );
    expect(patched.reason).toBe(DISTINCT.updatedReason);
    await ok(api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender, headers: key() }));

    const view = await ok(api.call('GET', `/v1/transfers/${id}`, { as: receiver }));
    const contact = (summary: string) =>
      ok(
        api.call('POST', `/v1/transfers/${id}/direct-contact`, {
          as: receiver,
          headers: key(),
          body: {
            occurredAt: new Date().toISOString(),
            method: 'phone',
            sendingPractitionerId: dir.birmingham.hv.practitioner.id,
            summary,
            flagAcknowledgements: view.riskFlags.map((f: { code: string }) => ({
              code: f.code,
              understanding: DISTINCT.understanding,
            })),
            agreedActions: [
              {
                description: DISTINCT.action,
                owner: 'receiving',
                dueOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
              },
            ],
          },
        }),
      );
    await contact(DISTINCT.summary);
    await ok(
      api.call('POST', `/v1/transfers/${id}/direct-contact/confirm`, {
        as: sender,
        body: { agree: false, comment: DISTINCT.dispute },
        headers: key(),
      }),
    );
    await contact(DISTINCT.summary);
    await ok(api.call('POST', `/v1/transfers/${id}/direct-contact/confirm`, { as: sender, body: { agree: true } }));
    for (const flag of view.riskFlags.filter((f: { severity: string }) => f.severity === 'critical')) {
      await ok(
        api.call('POST', `/v1/transfers/${id}/flags/${flag.code}/acknowledge`, {
          as: dir.sandwell.lead.email,
          body: { advice: DISTINCT.advice },
          headers: key(),
        }),
      );
    }
    const items = await ok(api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender }));
    const gp = items.find((i: { kind: string; status: string }) => i.kind === 'gp_registration' && i.status === 'open');
    await ok(
      api.call('POST', `/v1/chase-items/${gp.id}/close`, {
        as: sender,
        headers: key(),
        body: {
          resolution: 'registered',
          evidence: {
            practiceOds: 'M88007',
            practiceName: 'Erdington Health Centre',
            registeredOn: new Date().toISOString().slice(0, 10),
          },
        },
      }),
    );
    // A manager closes another loose end as no longer required, saying why (free text in the evidence).
    const other = items.find((i: { id: string; status: string }) => i.status === 'open' && i.id !== gp.id);
    const closedByManager = await ok(
      api.call('POST', `/v1/chase-items/${other.id}/close`, {
        as: dir.birmingham.hv.manager.email,
        headers: key(),
        body: { resolution: 'no_longer_required', reason: DISTINCT.evidenceNote },
      }),
    );
    expect(JSON.stringify(closedByManager.evidence)).toContain(DISTINCT.evidenceNote);
    await ok(
      api.call('POST', `/v1/appointments/${view.appointments[0].id}/outcome`, {
        as: sender,
        headers: key(),
        body: { status: 'was_not_brought', rebookedFor: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) },
      }),
    );
    await packet();

    cancelledId = (
      await ok(api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) }), 201)
    ).id;
    await ok(
      api.call('POST', `/v1/transfers/${cancelledId}/cancel`, {
        as: sender,
        body: { reason: DISTINCT.cancelReason },
        headers: key(),
      }),
    );
    // About thirty requests and two packets: on a loaded machine more than the 30 s default.
  }, 180_000);
  afterAll(async () => {
    await worker?.destroy();
    await api?.close();
  });

  /** Every row of every table in the database, as text, read as the tables' owner. */
  const everyRow = () =>
    withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows: tables } = await owner.query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      const out: { table: string; text: string }[] = [];
      for (const { name } of tables as { name: string }[]) {
        const { rows } = await owner.query(`SELECT t::text AS text FROM "${name}" t`);
        for (const row of rows as { text: string }[]) out.push({ table: name, text: row.text });
        // bytea columns appear hex-encoded in t::text; decode them so a PDF's text would be found too.
        const { rows: bytea } = await owner.query(
          `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND data_type = 'bytea'`,
          [name],
        );
        for (const { c } of bytea as { c: string }[]) {
          const { rows: blobs } = await owner.query(`SELECT "${c}" AS b FROM "${name}" WHERE "${c}" IS NOT NULL`);
          for (const { b } of blobs as { b: Buffer }[]) out.push({ table: `${name}.${c}`, text: b.toString('latin1') });
        }
      }
      return out;
    });

  it('wrote what the test looks for (the API shows it all back)', async () => {
    const view = await ok(api.call('GET', `/v1/transfers/${id}`, { as: dir.sandwell.hv.practitioner.email }));
    const shown = JSON.stringify(view);
    for (const value of [
      DISTINCT.givenName,
      DISTINCT.nhsNumber,
      DISTINCT.postcode,
      DISTINCT.updatedReason,
      DISTINCT.involvement,
      DISTINCT.concern,
      DISTINCT.summary,
      DISTINCT.understanding,
      DISTINCT.action,
      DISTINCT.advice,
    ])
      expect(shown).toContain(value);
    const packets = await withOwnerClient(
      api.config.databaseUrl,
      async (owner) =>
        (await owner.query(`SELECT count(*)::int AS n FROM packets WHERE transfer_id = $1`, [id])).rows[0].n,
    );
    expect(packets).toBe(2);
    const cancelled = await ok(
      api.call('GET', `/v1/transfers/${cancelledId}`, { as: dir.birmingham.hv.practitioner.email }),
    );
    expect(cancelled.cancelReason).toBe(DISTINCT.cancelReason);
  });

  it('finds none of the family’s distinctive values in any table, packets and idempotency rows included', async () => {
    const rows = await everyRow();
    expect(rows.some((r) => r.table === 'packets')).toBe(true);
    expect(rows.some((r) => r.table === 'idempotency_keys')).toBe(true);
    const found = Object.entries(DISTINCT).flatMap(([what, value]) =>
      rows.filter((r) => r.text.includes(value)).map((r) => `${what} in ${r.table}`),
    );
    expect(found).toEqual([]);
  });
});

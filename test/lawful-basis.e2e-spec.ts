/**
 * The lawful basis for sharing and the family informed over HTTP (issue 13 item 4), on real
 * PostgreSQL: both are taken on create and PATCH and required to send; a missing one is a 422
 * initiation refusal naming it, and changes nothing; malformed ones are a 400; sharing without
 * consent needs an active manager of the sending team; the free text is sealed at rest; the packet
 * shows both.
 */
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

describe('the lawful basis and the family informed (issue 13 item 4)', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.stop();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  const codes = (body: { reasons?: { code: string }[] }) => (body.reasons ?? []).map((r) => r.code);
  const draft = async (overrides: Record<string, unknown>) => {
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: reviewFamily(dir.sandwell.hv.id, { concerns: [], ...overrides }),
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; version: number };
  };
  const patch = (id: string, body: Record<string, unknown>) =>
    api.call('PATCH', `/v1/transfers/${id}`, { as: sender(), body });
  const initiate = (id: string) => api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });

  it('a transfer without either is refused at initiation, both named, and stays a draft', async () => {
    const t = await draft({ sharingBasis: null, familyInformed: null });
    const refused = await initiate(t.id);
    expect([refused.status, codes(refused.body)]).toEqual([422, ['SHARING_BASIS_MISSING', 'FAMILY_INFORMED_MISSING']]);
    expect(refused.body.reasons[0].message).toMatch(/lawful basis/);
    const after = (await api.call('GET', `/v1/transfers/${t.id}`, { as: sender() })).body;
    expect([after.status, after.version, after.sharingBasis, after.familyInformed]).toEqual([
      'draft',
      t.version,
      null,
      null,
    ]);
  });

  it('malformed ones are a 400 and change nothing', async () => {
    const t = await draft({ sharingBasis: null, familyInformed: null });
    const bad = [
      { sharingBasis: { basis: 'verbal' } },
      { sharingBasis: { basis: 'consent', givenOn: '2026-11-01' } },
      { sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: '1/11/2026' } },
      { sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: '2026-11-01', rationale: 'x' } },
      { sharingBasis: { basis: 'safeguarding_without_consent', rationale: 'risk', approvedById: 'a manager' } },
      { familyInformed: {} },
      { familyInformed: { on: '2026-11-01', notInformedReason: 'both' } },
      { familyInformed: { notInformedReason: '   ' } },
    ];
    for (const body of bad) {
      const response = await patch(t.id, body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    expect((await api.call('GET', `/v1/transfers/${t.id}`, { as: sender() })).body.version).toBe(t.version);
  });

  it('sharing without consent needs an active manager of the sending team; the family not told needs the reason', async () => {
    const t = await draft({
      sharingBasis: {
        basis: 'safeguarding_without_consent',
        rationale: 'telling the father would put Zephyrine at risk',
        approvedById: dir.birmingham.csc.manager.id,
      },
      familyInformed: { notInformedReason: 'strategy discussion on 12 November advised against it' },
    });
    const refused = await initiate(t.id);
    expect([refused.status, codes(refused.body)]).toEqual([422, ['SHARING_APPROVER_NOT_SENDING_MANAGER']]);
    // ...by the practitioner herself: refused too.
    let version = (
      await patch(t.id, {
        sharingBasis: {
          basis: 'safeguarding_without_consent',
          rationale: 'telling the father would put Zephyrine at risk',
          approvedById: dir.birmingham.hv.practitioner.id,
        },
      })
    ).body.version;
    expect(codes((await initiate(t.id)).body)).toEqual(['SHARING_APPROVER_NOT_SENDING_MANAGER']);
    const approved = await patch(t.id, {
      sharingBasis: {
        basis: 'safeguarding_without_consent',
        rationale: 'telling the father would put Zephyrine at risk',
        approvedById: dir.birmingham.hv.manager.id,
      },
    });
    expect(approved.status).toBe(200);
    version = approved.body.version;
    expect(approved.body.sharingBasis).toEqual({
      basis: 'safeguarding_without_consent',
      rationale: 'telling the father would put Zephyrine at risk',
      approvedById: dir.birmingham.hv.manager.id,
      approvedBy: { id: dir.birmingham.hv.manager.id, name: dir.birmingham.hv.manager.email.split('@')[0] },
    });
    const sent = await initiate(t.id);
    expect([sent.status, sent.body.status, sent.body.version]).toEqual([200, 'awaiting_contact', version + 1]);
    expect(sent.body.familyInformed).toEqual({
      notInformedReason: 'strategy discussion on 12 November advised against it',
    });

    // The free text is sealed at rest.
    const [raw] = await ds.query(
      `SELECT sharing_basis, sharing_rationale, family_not_informed_reason, sharing_approved_by_id FROM transfers WHERE id = $1`,
      [t.id],
    );
    expect(raw.sharing_basis).toBe('safeguarding_without_consent');
    expect(raw.sharing_approved_by_id).toBe(dir.birmingham.hv.manager.id);
    for (const column of [raw.sharing_rationale, raw.family_not_informed_reason]) {
      expect(column).toMatch(/^fh1:/);
      expect(column).not.toMatch(/Zephyrine|strategy/);
    }

    // The packet shows both.
    await waitFor(
      'the packet',
      async () => (await api.call('GET', `/v1/transfers/${t.id}/packet`, { as: sender() })).status === 200,
    );
    const packet = (await api.call('GET', `/v1/transfers/${t.id}/packet`, { as: sender() })).body;
    expect(packet.transfer.sharingBasis.text).toMatch(/^Shared WITHOUT consent, to safeguard the child, approved by /);
    expect(packet.transfer.familyInformed.text).toBe(
      'The family has NOT been told of the transfer: strategy discussion on 12 November advised against it',
    );
  });

  it('consent with who gave it and when, and the family told: sent; a PATCH of null clears it again', async () => {
    const t = await draft({});
    const view = (await api.call('GET', `/v1/transfers/${t.id}`, { as: sender() })).body;
    expect(view.sharingBasis).toEqual(
      expect.objectContaining({ basis: 'consent', givenBy: 'Philippa Quillfeather (mother)' }),
    );
    const cleared = await patch(t.id, { familyInformed: null });
    expect([cleared.status, cleared.body.familyInformed, cleared.body.sharingBasis.basis]).toEqual([
      200,
      null,
      'consent',
    ]);
    expect(codes((await initiate(t.id)).body)).toEqual(['FAMILY_INFORMED_MISSING']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await patch(t.id, { familyInformed: { on: today } })).status).toBe(200);
    expect((await initiate(t.id)).status).toBe(200);
  });
});

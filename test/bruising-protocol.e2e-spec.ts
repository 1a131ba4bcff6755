/**
 * The bruising protocol over HTTP (issue 14 item 4), on real PostgreSQL, Redis and SMTP: a mark that
 * might be a bruise on a 4-month-old raises NON_MOBILE_INFANT_BRUISING listing what the protocol
 * still lacks (health assessment, referral, multi-agency discussion, the parents' explanation); the
 * safeguarding lead's acknowledgement is refused (422 PROTOCOL_ITEMS_NOT_ADDRESSED) until it says
 * what was done about each missing item; recording the items clears the list; a third area is told
 * the transfer does not exist; the protocol's free text is in no email and is sealed at rest.
 */
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { withOwnerClient } from './support/services';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const ALL_FOUR = ['health_assessment', 'referral', 'multi_agency_discussion', 'parents_explanation'];

/** Values distinctive enough that finding one anywhere means it leaked. */
const DISTINCT = {
  assessor: 'Dr Pennyfeather-Scrimgeour',
  reference: 'MASH-QZX-80417',
  outcome: 'Strategy discussion: Vellichor section 47 enquiry',
  explanation: 'she bumped her ear on the Marchpane rocker',
  action: 'Child protection medical with Dr Snollygoster this afternoon',
};

/** The full protocol record of the bruise, observed 3 days ago. */
const FULL_RECORD = {
  healthAssessment: { by: DISTINCT.assessor, on: daysAgo(2) },
  referral: { on: daysAgo(2), reference: DISTINCT.reference },
  multiAgencyDiscussion: { on: daysAgo(1), outcome: DISTINCT.outcome },
  parentsExplanation: DISTINCT.explanation,
};

/**
 * The review family with one concern: a mark that might be a bruise on the 4-month-old (mobility
 * unknown: she is in scope by her age), with as much of the protocol's record as given.
 */
const bruiseWithoutProtocol = (receivingTeamId: string, record: Record<string, unknown> = {}) => {
  const family = reviewFamily(receivingTeamId);
  return {
    ...family,
    household: family.household.map((m) => (m.ref === 'baby' ? { ...m, mobility: 'unknown' } : m)),
    concerns: [
      {
        memberRef: 'baby',
        type: 'possible_bruise',
        observedOn: daysAgo(3),
        description: 'a mark behind the left ear',
        safeguardingAdviceSought: true,
        ...record,
      },
    ],
  };
};

type Flag = { code: string; severity: string; summary: string; missing?: string[]; safeguardingAcknowledgement: any };
const bruiseFlag = (transfer: { riskFlags: Flag[] }) =>
  transfer.riskFlags.find((f) => f.code === 'NON_MOBILE_INFANT_BRUISING');

describe('the bruising protocol', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let sender: string;
  let receiver: string;
  let lead: string;
  const transfers: string[] = [];

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
    lead = dir.sandwell.lead.email;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.stop();
  });

  const ok = async (response: Promise<{ status: number; body: any }>, status = 200) => {
    const r = await response;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const acknowledge = (id: string, body: Record<string, unknown>, as = lead) =>
    api.call('POST', `/v1/transfers/${id}/flags/NON_MOBILE_INFANT_BRUISING/acknowledge`, { as, body });
  const acknowledgements = async (id: string) =>
    (await ds.query(`SELECT count(*)::int AS n FROM flag_acknowledgements WHERE transfer_id = $1`, [id]))[0].n;

  it('a possible bruise on a 4-month-old with nothing recorded: the flag lists all four items missing, and the lead must say what was done about each', async () => {
    const created = await ok(
      api.call('POST', '/v1/transfers', { as: sender, body: bruiseWithoutProtocol(dir.sandwell.hv.id) }),
      201,
    );
    const id = created.id as string;
    transfers.push(id);
    expect(created.concerns[0]).toEqual(
      expect.objectContaining({
        type: 'possible_bruise',
        healthAssessment: null,
        referral: null,
        multiAgencyDiscussion: null,
        parentsExplanation: null,
        bruisingProtocol: { applies: true, missing: ALL_FOUR },
      }),
    );
    await ok(api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender }));

    const seen = await ok(api.call('GET', `/v1/transfers/${id}`, { as: receiver }));
    expect(bruiseFlag(seen)).toEqual(
      expect.objectContaining({
        severity: 'critical',
        missing: ALL_FOUR,
        summary:
          "bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol still missing: health assessment, referral to children's social care or MASH, multi-agency discussion, parents' explanation",
      }),
    );

    // Advice alone is refused, naming every missing item; so is addressing only some of them.
    const bare = await acknowledge(id, { advice: 'Seen today' });
    expect(bare.status).toBe(422);
    expect(bare.body.code).toBe('PRECONDITION_FAILED');
    expect(bare.body.reasons).toEqual([
      expect.objectContaining({ code: 'PROTOCOL_ITEMS_NOT_ADDRESSED', protocolItems: ALL_FOUR }),
    ]);
    const some = await acknowledge(id, {
      advice: 'Seen today',
      actions: [
        { item: 'health_assessment', action: DISTINCT.action },
        { item: 'referral', action: 'Referred to Sandwell MASH by phone' },
      ],
    });
    expect(some.status).toBe(422);
    expect(some.body.reasons[0]).toEqual(
      expect.objectContaining({
        code: 'PROTOCOL_ITEMS_NOT_ADDRESSED',
        protocolItems: ['multi_agency_discussion', 'parents_explanation'],
      }),
    );
    // An item that is not a protocol item is bad input.
    const unknown = await acknowledge(id, { advice: 'Seen today', actions: [{ item: 'x_ray', action: 'done' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(await acknowledgements(id)).toBe(0);

    // A third area: the transfer does not exist, for its practitioner and for its lead.
    expect((await api.call('GET', `/v1/transfers/${id}`, { as: dir.dudley.csc.practitioner.email })).status).toBe(404);
    const dudley = await acknowledge(
      id,
      { advice: 'x', actions: ALL_FOUR.map((item) => ({ item, action: 'done' })) },
      dir.dudley.lead.email,
    );
    expect(dudley.status).toBe(404);
    expect(await acknowledgements(id)).toBe(0);

    const actions = [
      { item: 'health_assessment', action: DISTINCT.action },
      { item: 'referral', action: 'Referred to Sandwell MASH by phone' },
      { item: 'multi_agency_discussion', action: 'Strategy discussion called for tomorrow 10am' },
      { item: 'parents_explanation', action: 'Health visitor to ask both parents at the visit today' },
    ];
    const acknowledged = await ok(acknowledge(id, { advice: 'Seen today', actions }));
    expect(bruiseFlag(acknowledged)!.safeguardingAcknowledgement).toEqual(
      expect.objectContaining({ advice: 'Seen today', actions, acknowledgedById: dir.sandwell.lead.id }),
    );
    // what the lead said stays on the transfer
    const again = await ok(api.call('GET', `/v1/transfers/${id}`, { as: sender }));
    expect(bruiseFlag(again)!.safeguardingAcknowledgement.actions).toEqual(actions);

    // The receiving side sends it back to have the record completed; the sending side records it and
    // sends it again: nothing is missing now, and the lead's advice needs no actions.
    await ok(
      api.call('POST', `/v1/transfers/${id}/return`, {
        as: receiver,
        body: { reason: 'Record the bruising protocol' },
      }),
    );
    const recorded = await ok(
      api.call('PATCH', `/v1/transfers/${id}`, {
        as: sender,
        body: bruiseWithoutProtocol(dir.sandwell.hv.id, FULL_RECORD),
      }),
    );
    expect(recorded.concerns[0]).toEqual(
      expect.objectContaining({ ...FULL_RECORD, bruisingProtocol: { applies: true, missing: [] } }),
    );
    const resent = await ok(api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender }));
    expect(bruiseFlag(resent)).toEqual(
      expect.objectContaining({
        severity: 'critical',
        missing: [],
        summary:
          'bruise or injury on 1 child not independently mobile: always serious, however minor; bruising protocol recorded',
      }),
    );
    const advised = await ok(acknowledge(id, { advice: 'Protocol followed; health visiting to review weekly' }));
    expect(bruiseFlag(advised)!.safeguardingAcknowledgement).toEqual(expect.objectContaining({ actions: [] }));
    // Actions for items that are not missing are refused (the record says exactly what was addressed).
    const extra = await acknowledge(id, { advice: 'again', actions: [{ item: 'referral', action: 'again' }] });
    expect(extra.status).toBe(422);
    expect(extra.body.reasons.map((r: { code: string }) => r.code)).toEqual(['PROTOCOL_ITEM_NOT_MISSING']);
  });

  it('recording the items on a draft clears them one by one from the list; a 7-month-old recorded mobile is not in scope', async () => {
    const draft = await ok(
      api.call('POST', '/v1/transfers', {
        as: sender,
        body: bruiseWithoutProtocol(dir.sandwell.hv.id, { healthAssessment: FULL_RECORD.healthAssessment }),
      }),
      201,
    );
    transfers.push(draft.id);
    expect(draft.concerns[0].bruisingProtocol.missing).toEqual([
      'referral',
      'multi_agency_discussion',
      'parents_explanation',
    ]);
    expect(bruiseFlag(draft)!.missing).toEqual(['referral', 'multi_agency_discussion', 'parents_explanation']);
    const more = await ok(
      api.call('PATCH', `/v1/transfers/${draft.id}`, {
        as: sender,
        body: bruiseWithoutProtocol(dir.sandwell.hv.id, {
          healthAssessment: FULL_RECORD.healthAssessment,
          referral: FULL_RECORD.referral,
          parentsExplanation: FULL_RECORD.parentsExplanation,
        }),
      }),
    );
    expect(bruiseFlag(more)!.missing).toEqual(['multi_agency_discussion']);
    const complete = await ok(
      api.call('PATCH', `/v1/transfers/${draft.id}`, {
        as: sender,
        body: bruiseWithoutProtocol(dir.sandwell.hv.id, FULL_RECORD),
      }),
    );
    expect(bruiseFlag(complete)!.missing).toEqual([]);

    // A 7-month-old recorded mobile: no flag, no protocol.
    const family = bruiseWithoutProtocol(dir.sandwell.hv.id);
    const crawler = await ok(
      api.call('POST', '/v1/transfers', {
        as: sender,
        body: {
          ...family,
          household: family.household.map((m) =>
            m.ref === 'baby' ? { ...m, dateOfBirth: daysAgo(215), mobility: 'mobile' } : m,
          ),
        },
      }),
      201,
    );
    expect(bruiseFlag(crawler)).toBeUndefined();
    expect(crawler.concerns[0].bruisingProtocol).toBeNull();
    // …unless recorded not independently mobile (a disabled or developmentally delayed child).
    const delayed = await ok(
      api.call('PATCH', `/v1/transfers/${crawler.id}`, {
        as: sender,
        body: {
          ...family,
          household: family.household.map((m) =>
            m.ref === 'baby'
              ? { ...m, dateOfBirth: daysAgo(215), mobility: 'mobile', notIndependentlyMobile: true }
              : m,
          ),
        },
      }),
    );
    expect(delayed.household[0].notIndependentlyMobile).toBe(true);
    expect(bruiseFlag(delayed)!.missing).toEqual(ALL_FOUR);
  });

  it('refuses a protocol record on a concern that is not a bruise, and a protocol date before the bruise was seen, changing nothing', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM transfers`))[0].n;
    const family = reviewFamily(dir.sandwell.hv.id);
    const misplaced = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: {
        ...family,
        concerns: [
          {
            memberRef: 'baby',
            type: 'weight_faltering',
            observedOn: daysAgo(3),
            parentsExplanation: 'x',
          },
        ],
      },
    });
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.message).toEqual([
      'concerns.0.parentsExplanation is for a bruise or injury only (type bruising, possible_bruise or injury)',
    ]);
    const early = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: bruiseWithoutProtocol(dir.sandwell.hv.id, { referral: { on: daysAgo(10), reference: 'R-1' } }),
    });
    expect(early.status).toBe(422);
    expect(early.body.reasons.map((r: { code: string }) => r.code)).toEqual(['PROTOCOL_DATE_BEFORE_CONCERN']);
    const badDate = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: bruiseWithoutProtocol(dir.sandwell.hv.id, { healthAssessment: { by: 'Dr A', on: '2026-02-30' } }),
    });
    expect(badDate.status).toBe(400);
    expect((await ds.query(`SELECT count(*)::int AS n FROM transfers`))[0].n).toBe(before);
  });

  it('puts none of the record in any email, and keeps it sealed at rest (the API still shows it)', async () => {
    const [id] = transfers;
    const shown = JSON.stringify(await ok(api.call('GET', `/v1/transfers/${id}`, { as: receiver })));
    const { action, ...record } = DISTINCT;
    for (const value of Object.values(record)) expect(shown).toContain(value);
    // the lead's actions of the first round are kept (the view shows the current round's)
    const stored = await ds.query(
      `SELECT round, protocol_actions AS actions FROM flag_acknowledgements WHERE transfer_id = $1 ORDER BY round`,
      [id],
    );
    expect(stored.map((r: { round: number; actions: string | null }) => [r.round, r.actions !== null])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(stored[0].actions).not.toContain(action);

    // The initiations emailed the receiving team and both areas' leads (the critical flag).
    await waitFor('every email to be sent', async () => {
      const rows = await ds.query(`SELECT status FROM emails WHERE transfer_id = ANY($1)`, [transfers]);
      return rows.length > 0 && rows.every((r: { status: string }) => r.status === 'sent');
    });
    const kinds = (await ds.query(`SELECT DISTINCT kind FROM emails WHERE transfer_id = $1 ORDER BY 1`, [id])).map(
      (r: { kind: string }) => r.kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['critical_flags', 'transfer.initiated']));
    expect(smtp.messages.length).toBeGreaterThan(0);
    for (const mail of smtp.messages) {
      for (const value of Object.values(DISTINCT)) expect(mail.raw).not.toContain(value);
      expect(mail.raw).not.toMatch(/bruis|protocol|parents/i);
    }

    const rows = await withOwnerClient(api.config.databaseUrl, async (owner) => {
      const { rows: tables } = await owner.query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const out: string[] = [];
      for (const { name } of tables as { name: string }[])
        for (const row of (await owner.query(`SELECT t::text AS text FROM "${name}" t`)).rows as { text: string }[])
          out.push(`${name}: ${row.text}`);
      return out;
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const value of Object.values(DISTINCT)) expect(rows.filter((r) => r.includes(value))).toEqual([]);
  });
});

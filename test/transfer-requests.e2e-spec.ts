/**
 * Transfer requests over HTTP (issue 14 item 3), on real PostgreSQL, Redis and SMTP: Sandwell health
 * visiting finds a family known to Birmingham and asks Birmingham children's social care to
 * transfer it. Create, list both directions, read, answer both ways (will transfer → the linked
 * draft, pre-filled with the children; declined with a reason → the requester and both areas'
 * leads told), a third area gets 404, every email without personal data, every read and write
 * audited, the family data sealed at rest, and an unanswered request chased up the ladder.
 */
import { DataSource } from 'typeorm';
import { ChaseSweeper } from '../apps/worker/src/chasing/chase-sweeper.service';
import { RetentionSweeper } from '../apps/worker/src/retention/retention.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

// Monday 30 November 2026, 10:00 London (GMT): the answer is due Wednesday 2 December, 10:00.
const MONDAY = '2026-11-30T10:00:00.000Z';
const DUE = '2026-12-02T10:00:00.000Z';

const baby = { givenName: 'Kaia', familyName: 'Okonkwo-Reyes', dateOfBirth: '2026-07-01', nhsNumber: '9434765919' };
const sibling = { givenName: 'Tomasz', familyName: 'Okonkwo-Reyes', dateOfBirth: '2023-02-14' };
const HOW_KNOWN = 'Mother said a Birmingham social worker visited weekly until the move';
const CONCERN = 'Baby not registered with a GP; faint mark on the cheek seen at the new-birth visit';
const DECLINE = 'Closed to Birmingham in 2024 after a single assessment; no open involvement';
const PERSONAL = [
  baby.givenName,
  baby.familyName,
  sibling.givenName,
  baby.nhsNumber,
  baby.dateOfBirth,
  '01/07/2026',
  HOW_KNOWN,
  CONCERN,
  DECLINE,
  'Okonkwo',
  'cheek',
];

describe('transfer requests: a family found by the receiving side', () => {
  const clock = new TestClock(new Date(MONDAY));
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '86400' }, undefined, clock);
    worker = await startWorker(api.config, { clock });
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.stop();
  });

  const requester = () => dir.sandwell.hv.practitioner.email;
  const originator = () => dir.birmingham.csc.practitioner.email;

  async function opened(body: Record<string, unknown> = {}) {
    clock.set(MONDAY);
    const response = await api.call('POST', '/v1/transfer-requests', {
      as: requester(),
      body: {
        originatingTeamId: dir.birmingham.csc.id,
        children: [baby, sibling],
        howKnown: HOW_KNOWN,
        concern: CONCERN,
        ...body,
      },
    });
    expect([response.status, response.body.code]).toEqual([201, undefined]);
    return response.body;
  }

  const auditOf = async (id: string) =>
    (
      await ds.query(
        `SELECT action, outcome, reason_code AS "reasonCode" FROM audit_events WHERE entity_type = 'transfer_request' AND entity_id = $1 ORDER BY id`,
        [id],
      )
    ).map((e: { action: string; outcome: string; reasonCode: string | null }) =>
      [e.action, e.outcome, e.reasonCode].filter(Boolean).join(' '),
    );

  it('opens a request due in 2 working days, tells the originating team without personal data, and seals the family data', async () => {
    const request = await opened();
    expect(request).toEqual(
      expect.objectContaining({
        reference: expect.stringMatching(/^TR-2026-\d{6}$/),
        status: 'open',
        dueAt: DUE,
        overdue: false,
        children: [{ ...baby }, { ...sibling, nhsNumber: null }],
        howKnown: HOW_KNOWN,
        concern: CONCERN,
        requesterTeam: expect.objectContaining({ id: dir.sandwell.hv.id, name: 'Sandwell Health Visiting' }),
        originatingTeam: expect.objectContaining({ id: dir.birmingham.csc.id }),
        transferId: null,
        availableActions: [
          { action: 'respond', allowed: false, reasons: [expect.objectContaining({ code: 'NOT_ORIGINATING_TEAM' })] },
        ],
      }),
    );

    await waitFor('the request email', () => smtp.messages.some((m) => m.subject.includes(request.reference)), 30_000);
    const mail = smtp.messages.find((m) => m.subject.includes(request.reference))!;
    expect(mail.to).toEqual(['csc@birmingham.test']);
    expect(mail.subject).toBe(
      `[Family Handover] ${request.reference}: transfer request — answer by Wednesday, 2 December 2026 at 10:00`,
    );
    expect(mail.text).toContain(`/transfer-requests/${request.id}`);
    for (const value of PERSONAL) expect([value, mail.raw.includes(value)]).toEqual([value, false]);

    // At rest: every personal value is fh1: ciphertext.
    const [row] = await ds.query(`SELECT how_known, concern FROM transfer_requests WHERE id = $1`, [request.id]);
    const children = await ds.query(
      `SELECT given_name, family_name, date_of_birth, nhs_number FROM transfer_request_children WHERE transfer_request_id = $1 ORDER BY position`,
      [request.id],
    );
    const stored = JSON.stringify([row, children]);
    for (const value of PERSONAL) expect([value, stored.includes(value)]).toEqual([value, false]);
    expect(row.how_known).toMatch(/^fh1:/);
    expect(children[0].given_name).toMatch(/^fh1:/);
    expect(children[1].nhs_number).toBeNull();
  }, 60_000);

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const before = (await ds.query(`SELECT count(*)::int AS n FROM transfer_requests`))[0].n;
    const post = (as: string, body: Record<string, unknown>) => api.call('POST', '/v1/transfer-requests', { as, body });
    const valid = { originatingTeamId: dir.birmingham.csc.id, children: [baby], howKnown: 'x', concern: 'y' };
    const sameArea = await post(requester(), { ...valid, originatingTeamId: dir.sandwell.csc.id });
    expect([sameArea.status, sameArea.body.reasons?.[0]?.code]).toEqual([422, 'ORIGINATING_TEAM_IN_SAME_AREA']);
    const noChild = await post(requester(), { ...valid, children: [] });
    expect([noChild.status, noChild.body.reasons?.[0]?.code]).toEqual([422, 'REQUEST_CHILD_MISSING']);
    const blank = await post(requester(), { ...valid, howKnown: ' ', concern: '' });
    expect(blank.status).toBe(422);
    expect(blank.body.reasons.map((r: { code: string }) => r.code)).toEqual(['HOW_KNOWN_REQUIRED', 'CONCERN_REQUIRED']);
    const badNhs = await post(requester(), { ...valid, children: [{ ...baby, nhsNumber: '1234567890' }] });
    expect(badNhs.status).toBe(400);
    const noTeam = await post(requester(), { ...valid, originatingTeamId: '00000000-0000-4000-8000-000000000000' });
    expect(noTeam.status).toBe(400);
    const admin = await post(ADMIN_EMAIL, valid);
    expect(admin.status).toBe(403);
    expect((await ds.query(`SELECT count(*)::int AS n FROM transfer_requests`))[0].n).toBe(before);
  });

  it('monitoring counts the requests awaiting an answer, and the overdue ones, in each person’s scope (no family data)', async () => {
    // One open request so far (the first test's).
    clock.set(MONDAY);
    const summary = async (as: string, query = '') => {
      const response = await api.call('GET', `/v1/monitoring/summary${query}`, { as });
      expect([as, response.status]).toEqual([as, 200]);
      return response.body.transferRequestsAwaitingAnswer;
    };
    expect(await summary(dir.birmingham.csc.manager.email)).toEqual({ total: 1, overdue: 0 });
    expect(await summary(dir.sandwell.hv.manager.email)).toEqual({ total: 1, overdue: 0 });
    expect(await summary(dir.birmingham.lead.email)).toEqual({ total: 1, overdue: 0 });
    expect(await summary(ADMIN_EMAIL)).toEqual({ total: 1, overdue: 0 });
    expect(await summary(ADMIN_EMAIL, '?area=dudley')).toEqual({ total: 0, overdue: 0 });
    expect(await summary(dir.birmingham.hv.manager.email)).toEqual({ total: 0, overdue: 0 });
    expect(await summary(dir.dudley.lead.email)).toEqual({ total: 0, overdue: 0 });
    expect((await api.call('GET', '/v1/monitoring/summary', { as: requester() })).status).toBe(403);
    clock.set(DUE);
    expect(await summary(dir.birmingham.csc.manager.email)).toEqual({ total: 1, overdue: 1 });
    expect(await summary(dir.sandwell.lead.email)).toEqual({ total: 1, overdue: 1 });
    clock.set(MONDAY);
  });

  it('lists outgoing for the requester and incoming for the originating team; a third area sees nothing and gets 404', async () => {
    const request = await opened();
    const ids = async (as: string, query = '') =>
      (await api.call('GET', `/v1/transfer-requests${query}`, { as })).body.items.map((r: { id: string }) => r.id);
    expect(await ids(requester(), '?direction=outgoing')).toContain(request.id);
    expect(await ids(requester(), '?direction=incoming')).not.toContain(request.id);
    expect(await ids(originator(), '?direction=incoming')).toContain(request.id);
    expect(await ids(originator(), '?direction=outgoing')).not.toContain(request.id);
    expect(await ids(dir.sandwell.lead.email)).toContain(request.id);
    expect(await ids(dir.birmingham.lead.email, '?direction=incoming')).toContain(request.id);
    expect(await ids(dir.dudley.lead.email)).toEqual([]);
    expect(await ids(dir.dudley.csc.practitioner.email)).toEqual([]);
    expect(await ids(dir.birmingham.hv.practitioner.email)).toEqual([]);

    const list = await api.call('GET', '/v1/transfer-requests?direction=incoming', { as: originator() });
    const item = list.body.items.find((r: { id: string }) => r.id === request.id);
    expect(item).toEqual(expect.objectContaining({ childCount: 2, status: 'open', dueAt: DUE, overdue: false }));
    expect(JSON.stringify(item)).not.toContain(baby.givenName);

    // Cursor pagination like /v1/transfers.
    const page1 = await api.call('GET', '/v1/transfer-requests?direction=outgoing&limit=1', { as: requester() });
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api.call(
      'GET',
      `/v1/transfer-requests?direction=outgoing&limit=1&cursor=${page1.body.nextCursor}`,
      {
        as: requester(),
      },
    );
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect((await api.call('GET', '/v1/transfer-requests?cursor=nonsense', { as: requester() })).status).toBe(400);
    expect((await api.call('GET', '/v1/transfer-requests?direction=sideways', { as: requester() })).status).toBe(400);

    for (const as of [dir.dudley.lead.email, dir.dudley.csc.practitioner.email, ADMIN_EMAIL]) {
      expect([as, (await api.call('GET', `/v1/transfer-requests/${request.id}`, { as })).status]).toEqual([as, 404]);
      const answer = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
        as,
        body: { decision: 'will_transfer' },
      });
      expect([as, answer.status]).toEqual([as, 404]);
    }
    expect((await api.call('GET', '/v1/transfer-requests/not-a-uuid', { as: requester() })).status).toBe(404);
    for (const as of [requester(), originator(), dir.sandwell.lead.email, dir.birmingham.lead.email])
      expect([as, (await api.call('GET', `/v1/transfer-requests/${request.id}`, { as })).status]).toEqual([as, 200]);

    const trail = await auditOf(request.id);
    expect(trail).toContain('transfer_request.create succeeded');
    expect(trail).toContain('transfer_request.list_view succeeded');
    expect(trail).toContain('transfer_request.view succeeded');
    expect(trail).toContain('transfer_request.view refused NOT_FOUND');
    expect(trail).toContain('transfer_request.respond refused NOT_FOUND');
  });

  it('answered "will transfer": a linked draft from Birmingham to Sandwell with the children; once only; replayable', async () => {
    const request = await opened();
    // The requester cannot answer their own request.
    const own = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: requester(),
      body: { decision: 'will_transfer' },
    });
    expect([own.status, own.body.reasons?.[0]?.code]).toEqual([403, 'NOT_ORIGINATING_TEAM']);

    clock.set('2026-12-01T11:00:00.000Z');
    const headers = { 'idempotency-key': `will-${request.id}` };
    const answered = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: originator(),
      headers,
      body: { decision: 'will_transfer', involvement: 'child_in_need' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual(
      expect.objectContaining({
        status: 'will_transfer',
        transferId: expect.any(String),
        respondedAt: '2026-12-01T11:00:00.000Z',
        respondedBy: { id: dir.birmingham.csc.practitioner.id, name: expect.any(String) },
        availableActions: [
          {
            action: 'respond',
            allowed: false,
            reasons: [expect.objectContaining({ code: 'NOT_ALLOWED_FROM_STATUS' })],
          },
        ],
      }),
    );
    const transferId = answered.body.transferId;

    const draft = await api.call('GET', `/v1/transfers/${transferId}`, { as: originator() });
    expect(draft.status).toBe(200);
    expect(draft.body).toEqual(
      expect.objectContaining({
        status: 'draft',
        involvement: 'child_in_need',
        moveType: 'unknown',
        moveDate: '2026-11-30',
      }),
    );
    expect(draft.body.sending.teamId).toBe(dir.birmingham.csc.id);
    expect(draft.body.receiving.teamId).toBe(dir.sandwell.hv.id);
    expect(draft.body.accountablePractitioner.id).toBe(dir.birmingham.csc.practitioner.id);
    expect(
      draft.body.household.map((m: Record<string, unknown>) => [
        m.role,
        m.givenName,
        m.familyName,
        m.dateOfBirth,
        m.nhsNumber,
      ]),
    ).toEqual([
      ['child', baby.givenName, baby.familyName, baby.dateOfBirth, baby.nhsNumber],
      ['child', sibling.givenName, sibling.familyName, sibling.dateOfBirth, null],
    ]);
    // A draft: the receiving side does not see it until the originating side initiates it.
    expect((await api.call('GET', `/v1/transfers/${transferId}`, { as: requester() })).status).toBe(404);
    const created = await ds.query(
      `SELECT details FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.create'`,
      [transferId],
    );
    expect(created).toEqual([{ details: expect.objectContaining({ fromTransferRequest: request.id }) }]);

    const replay = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: originator(),
      headers,
      body: { decision: 'will_transfer', involvement: 'child_in_need' },
    });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.transferId]).toEqual([
      200,
      'true',
      transferId,
    ]);
    const again = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: dir.birmingham.csc.manager.email,
      body: { decision: 'declined', reason: 'second thoughts' },
    });
    expect([again.status, again.body.code]).toEqual([409, 'INVALID_STATE']);
    expect((await ds.query(`SELECT count(*)::int AS n FROM transfers WHERE id = $1`, [transferId]))[0].n).toBe(1);

    await waitFor(
      'the will-transfer email',
      () =>
        smtp.messages.some(
          (m) => m.subject === `[Family Handover] ${request.reference}: transfer request answered — will transfer`,
        ),
      30_000,
    );
    const told = smtp.messages.filter((m) => m.subject.includes(`${request.reference}: transfer request answered`));
    expect(told.flatMap((m) => m.to)).toEqual([requester()]);
    for (const m of told) for (const value of PERSONAL) expect([value, m.raw.includes(value)]).toEqual([value, false]);
    expect(await auditOf(request.id)).toEqual(
      expect.arrayContaining(['transfer_request.respond succeeded', 'transfer_request.respond.replay succeeded']),
    );
  }, 60_000);

  it('answered "declined": needs a reason; the requester and both areas’ leads are told, without personal data', async () => {
    const request = await opened();
    const noReason = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: dir.birmingham.csc.manager.email,
      body: { decision: 'declined' },
    });
    expect([noReason.status, noReason.body.reasons?.[0]?.code]).toEqual([422, 'REASON_REQUIRED']);
    const nonsense = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: dir.birmingham.csc.manager.email,
      body: { decision: 'perhaps' },
    });
    expect([nonsense.status, nonsense.body.reasons?.[0]?.code]).toEqual([422, 'REQUEST_DECISION_INVALID']);
    const declined = await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: dir.birmingham.csc.manager.email,
      body: { decision: 'declined', reason: DECLINE },
    });
    expect(declined.status).toBe(200);
    expect(declined.body).toEqual(expect.objectContaining({ status: 'declined', reason: DECLINE, transferId: null }));
    const read = await api.call('GET', `/v1/transfer-requests/${request.id}`, { as: requester() });
    expect(read.body.reason).toBe(DECLINE);
    const [row] = await ds.query(`SELECT decline_reason FROM transfer_requests WHERE id = $1`, [request.id]);
    expect(row.decline_reason).toMatch(/^fh1:/);

    const subject = `[Family Handover] ${request.reference}: transfer request declined`;
    await waitFor('the decline emails', () => smtp.messages.filter((m) => m.subject === subject).length >= 3, 30_000);
    const told = smtp.messages.filter((m) => m.subject === subject);
    expect(told.flatMap((m) => m.to).sort()).toEqual(
      [requester(), dir.birmingham.lead.email, dir.sandwell.lead.email].sort(),
    );
    for (const m of told) for (const value of PERSONAL) expect([value, m.raw.includes(value)]).toEqual([value, false]);
  }, 60_000);

  it('an unanswered request is chased from its due time, every working day, up to both areas’ leads', async () => {
    const request = await opened();
    const sweeper = worker.app.get(ChaseSweeper);
    const recipientsOf = async (n: number) =>
      (
        await ds.query(`SELECT recipient FROM emails WHERE dedupe_key LIKE $1 ORDER BY recipient`, [
          `reminder:request:${request.id}:${n}:%`,
        ])
      ).map((r: { recipient: string }) => r.recipient);
    const sweepAt = async (iso: string) => {
      clock.set(iso);
      await sweeper.sweep();
    };
    await sweepAt('2026-12-02T09:59:00.000Z');
    expect(await recipientsOf(1)).toEqual([]);
    expect((await api.call('GET', `/v1/transfer-requests/${request.id}`, { as: requester() })).body.overdue).toBe(
      false,
    );
    await sweepAt(DUE);
    expect(await recipientsOf(1)).toEqual(['csc@birmingham.test']);
    expect((await api.call('GET', `/v1/transfer-requests/${request.id}`, { as: requester() })).body).toEqual(
      expect.objectContaining({ overdue: true, reminders: 1, escalationLevel: 0 }),
    );
    // Not again the same day; Thursday 09:00, Friday 09:00 (to the managers: reminder 3), Monday, Tuesday (the leads).
    await sweepAt('2026-12-02T16:00:00.000Z');
    expect(await recipientsOf(2)).toEqual([]);
    await sweepAt('2026-12-03T09:00:00.000Z');
    expect(await recipientsOf(2)).toEqual(['csc@birmingham.test']);
    await sweepAt('2026-12-04T09:00:00.000Z');
    expect(await recipientsOf(3)).toEqual(['csc.manager@birmingham.test', 'csc@birmingham.test']);
    await sweepAt('2026-12-05T09:00:00.000Z'); // Saturday: nothing
    expect(await recipientsOf(4)).toEqual([]);
    await sweepAt('2026-12-07T09:00:00.000Z');
    expect(await recipientsOf(4)).toEqual(['csc.manager@birmingham.test', 'csc@birmingham.test']);
    await sweepAt('2026-12-08T09:00:00.000Z');
    expect(await recipientsOf(5)).toEqual(
      ['csc.manager@birmingham.test', 'csc@birmingham.test', dir.birmingham.lead.email, dir.sandwell.lead.email].sort(),
    );
    const [escalation] = await ds.query(`SELECT subject, body FROM emails WHERE dedupe_key LIKE $1 LIMIT 1`, [
      `reminder:request:${request.id}:5:%`,
    ]);
    expect(escalation.subject).toBe(
      `[Family Handover] ${request.reference}: escalation to the safeguarding leads of both areas (5) — transfer request not answered`,
    );
    for (const value of PERSONAL)
      expect([value, `${escalation.subject}${escalation.body}`.includes(value)]).toEqual([value, false]);

    // Answered, it is chased no more.
    await api.call('POST', `/v1/transfer-requests/${request.id}/respond`, {
      as: originator(),
      body: { decision: 'declined', reason: DECLINE },
    });
    await sweepAt('2026-12-09T09:00:00.000Z');
    expect(await recipientsOf(6)).toEqual([]);
  }, 90_000);

  it('retention: an answered request is erased RETENTION_DAYS after its answer (key destroyed, children gone, 410); an open one is kept', async () => {
    const declined = await opened();
    const open = await opened();
    clock.set('2026-12-10T12:00:00.000Z');
    const answer = await api.call('POST', `/v1/transfer-requests/${declined.id}/respond`, {
      as: originator(),
      body: { decision: 'declined', reason: DECLINE },
    });
    expect(answer.status).toBe(200);
    const sweep = () => worker.app.get(RetentionSweeper).sweep();
    // A day short of two years: kept.
    clock.set(new Date(Date.parse('2026-12-10T12:00:00.000Z') + 729 * 86_400_000));
    await sweep();
    expect((await api.call('GET', `/v1/transfer-requests/${declined.id}`, { as: requester() })).status).toBe(200);

    clock.set(new Date(Date.parse('2026-12-10T12:00:00.000Z') + 730 * 86_400_000));
    const outcome = await sweep();
    expect(outcome.erasedRequests).toBeGreaterThanOrEqual(1);
    const gone = await api.call('GET', `/v1/transfer-requests/${declined.id}`, { as: requester() });
    expect([gone.status, gone.body.code]).toEqual([410, 'ERASED']);
    expect(
      (
        await ds.query(`SELECT count(*)::int AS n FROM transfer_request_keys WHERE transfer_request_id = $1`, [
          declined.id,
        ])
      )[0].n,
    ).toBe(0);
    expect(
      (
        await ds.query(`SELECT count(*)::int AS n FROM transfer_request_children WHERE transfer_request_id = $1`, [
          declined.id,
        ])
      )[0].n,
    ).toBe(0);
    const [row] = await ds.query(
      `SELECT reference, status, how_known, concern, decline_reason, erased_at FROM transfer_requests WHERE id = $1`,
      [declined.id],
    );
    expect(row).toEqual(
      expect.objectContaining({
        reference: declined.reference,
        status: 'declined',
        how_known: null,
        concern: null,
        decline_reason: null,
      }),
    );
    expect(row.erased_at).not.toBeNull();
    expect(await auditOf(declined.id)).toContain('transfer_request.erase succeeded');
    // Still open (still being chased): kept whatever its age.
    expect((await api.call('GET', `/v1/transfer-requests/${open.id}`, { as: requester() })).body.children).toHaveLength(
      2,
    );
    // A second sweep erases nothing twice.
    expect((await sweep()).erasedRequests).toBe(0);
  }, 60_000);
});

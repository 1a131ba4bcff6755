/**
 * The family not reached over HTTP (issue 14 item 2), on real PostgreSQL, Redis and SMTP: the
 * receiving side reports its failed attempts — the critical flag FAMILY_NOT_REACHED, both areas'
 * safeguarding leads emailed at once (no personal data), the locate checklist and the national
 * alert decision as chase items; accept refused while the route is open; each check closed with what
 * was found; the national alert decision a lead's only; the family found ends the route (kept in
 * the view) and the transfer can be accepted. A third area is told the transfer does not exist; bad
 * input is a 400 (or a 422 with reasons) that changes nothing.
 */
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const today = () => new Date().toISOString().slice(0, 10);
const NOTE = 'No answer at Flat 3; a neighbour said they left for Leeds with Grandma Quillfeather';
const FOUND = 'Seen by the health visitor at the refuge in Leeds';

describe('the family not reached (issue 14 item 2)', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let receiver: string;
  let sender: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
    receiver = dir.sandwell.hv.practitioner.email;
    sender = dir.birmingham.hv.practitioner.email;
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  /** A transfer ready to be accepted: contact recorded and checked back, every critical flag acknowledged. */
  const ready = (overrides: Record<string, unknown> = {}) =>
    scenario(api, dir).created(overrides).initiated().contactRecorded().confirmed().acknowledged();
  const report = (id: string, as: string, body: unknown, headers: Record<string, string> = {}) =>
    api.call('POST', `/v1/transfers/${id}/family-not-reached`, { as, body, headers });
  const visit = () => ({ on: today(), method: 'home_visit_no_access', note: NOTE });
  const chaseItems = (id: string) =>
    ds.query(
      `SELECT kind, status, resolution, escalation_level AS "escalationLevel", next_chase_at AS "nextChaseAt"
       FROM chase_items WHERE transfer_id = $1 AND (kind LIKE 'locate_%' OR kind = 'national_alert') ORDER BY kind`,
      [id],
    );
  const emails = (id: string, kind: string) =>
    ds.query(
      `SELECT recipient, status, message_id AS "messageId" FROM emails WHERE transfer_id = $1 AND kind = $2 ORDER BY recipient`,
      [id, kind],
    );
  const codes = (body: { reasons?: { code: string }[] }) => (body.reasons ?? []).map((r) => r.code);
  const accept = (id: string) =>
    api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver,
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });

  it('raised by the receiving side: flag, both leads emailed at once without personal data, checklist; accept refused while open; checks closed; found; then accepted', async () => {
    const t = await ready();

    const raised = await report(t.id, receiver, {
      attempts: [visit(), { on: today(), method: 'phone_no_answer' }],
    });
    expect(raised.status).toBe(200);
    expect(raised.body.version).toBe(t.version + 1);
    expect(raised.body.familyNotReached).toEqual(
      expect.objectContaining({
        open: true,
        openedById: dir.sandwell.hv.practitioner.id,
        attempts: [
          { on: today(), method: 'home_visit_no_access', note: NOTE },
          { on: today(), method: 'phone_no_answer', note: null },
        ],
        found: null,
      }),
    );
    expect(
      raised.body.familyNotReached.checklist.map((c: { check: string; open: boolean }) => [c.check, c.open]),
    ).toEqual([
      ['family_members', true],
      ['education_setting', true],
      ['health_registration', true],
      ['police_welfare_check', true],
      ['strategy_discussion', true],
    ]);
    expect(raised.body.familyNotReached.nationalAlert).toEqual(expect.objectContaining({ due: false, decision: null }));
    expect(raised.body.riskFlags).toContainEqual(
      expect.objectContaining({ code: 'FAMILY_NOT_REACHED', severity: 'critical' }),
    );
    expect(raised.body.familyNotReached.flag).toEqual(expect.objectContaining({ active: true }));

    // the checklist and the alert decision are chase items; the decision is escalated to the leads from the start
    const items = await chaseItems(t.id);
    expect(items.map((i: { kind: string; status: string }) => [i.kind, i.status])).toEqual([
      ['locate_education_setting', 'open'],
      ['locate_family_members', 'open'],
      ['locate_health_registration', 'open'],
      ['locate_police_welfare_check', 'open'],
      ['locate_strategy_discussion', 'open'],
      ['national_alert', 'open'],
    ]);
    const alertItem = items.find((i: { kind: string }) => i.kind === 'national_alert');
    expect(alertItem.escalationLevel).toBe(2);
    expect(new Date(alertItem.nextChaseAt).toISOString()).toBe(raised.body.familyNotReached.nationalAlert.dueAt);
    // five working days: at least a week of calendar time
    expect(new Date(alertItem.nextChaseAt).getTime() - Date.now()).toBeGreaterThan(6 * 86_400_000);

    // both areas' safeguarding leads, at once, with nothing about the family
    await waitFor('both leads’ emails to be sent', async () => {
      const rows = await emails(t.id, 'family_not_reached');
      return rows.length === 2 && rows.every((r: { status: string }) => r.status === 'sent');
    });
    const rows = await emails(t.id, 'family_not_reached');
    expect(rows.map((r: { recipient: string }) => r.recipient)).toEqual(['lead@birmingham.test', 'lead@sandwell.test']);
    const family = reviewFamily('x');
    const forbidden = [
      ...family.household.flatMap((m) => [
        m.givenName,
        m.familyName,
        m.dateOfBirth,
        (m as { nhsNumber?: string }).nhsNumber,
      ]),
      family.newAddress.line1,
      family.newAddress.postcode,
      'Quillfeather',
      'Flat 3',
      'Leeds',
      'home_visit_no_access',
    ].filter((s): s is string => typeof s === 'string');
    for (const row of rows) {
      const mail = smtp.messages.find((m) => m.messageId === row.messageId)!;
      expect(mail).toBeDefined();
      expect(mail.subject).toMatch(/HT-\d{4}-\d{6}: the family has not been reached/);
      for (const secret of forbidden) expect(mail.raw.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(mail.raw).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
    }
    // a family not on a plan: the alert decision is not due at once, so no "due now" email
    expect(await emails(t.id, 'national_alert_due')).toEqual([]);

    // the attempts are sealed at rest
    const [stored] = await ds.query(`SELECT attempts, checks FROM not_reached_routes WHERE transfer_id = $1`, [t.id]);
    expect(stored.attempts).toMatch(/^fh1:/);
    expect(stored.checks).toMatch(/^fh1:/);
    expect(JSON.stringify(stored)).not.toContain('Quillfeather');

    // accept refused while the route is open
    const refused = await accept(t.id);
    expect(refused.status).toBe(422);
    expect(codes(refused.body)).toEqual(['FAMILY_NOT_REACHED_OPEN']);

    // the sending side may report too: its attempts are added, no second email, no second checklist
    const more = await report(t.id, sender, { attempts: [{ on: today(), method: 'letter_returned' }] });
    expect(more.status).toBe(200);
    expect(more.body.familyNotReached.attempts).toHaveLength(3);
    expect(await chaseItems(t.id)).toHaveLength(6);

    // each check closed with what was found; the education setting says whether the pupil file moved
    const close = (check: string, body: unknown, as = receiver) =>
      api.call('POST', `/v1/transfers/${t.id}/locate-checks/${check}/close`, { as, body });
    const noPupilAnswer = await close('education_setting', { found: 'Not on roll since Friday' });
    expect([noPupilAnswer.status, codes(noPupilAnswer.body)]).toEqual([422, ['PUPIL_FILE_ANSWER_REQUIRED']]);
    expect((await close('neighbours', { found: 'x' })).status).toBe(404);
    expect((await close('family_members', { found: ' ' })).status).toBe(400);
    const school = await close(
      'education_setting',
      { found: 'Not on roll since Friday', pupilFileMoved: false },
      sender,
    );
    expect(school.status).toBe(200);
    expect(school.body.familyNotReached.checklist[1]).toEqual(
      expect.objectContaining({
        check: 'education_setting',
        open: false,
        found: 'Not on roll since Friday',
        pupilFileMoved: false,
        closedById: dir.birmingham.hv.practitioner.id,
      }),
    );
    const again = await close('education_setting', { found: 'again', pupilFileMoved: true });
    expect([again.status, codes(again.body)]).toEqual([422, ['LOCATE_CHECK_CLOSED']]);
    const police = await close('police_welfare_check', { found: 'West Yorkshire Police visited: nobody home' });
    expect(police.status).toBe(200);

    // the national alert decision: a lead's only, and not before it is due
    const byPractitioner = await api.call('POST', `/v1/transfers/${t.id}/national-alert`, {
      as: receiver,
      body: { raised: false, reason: 'found within hours' },
    });
    expect([byPractitioner.status, codes(byPractitioner.body)]).toEqual([403, ['NOT_SAFEGUARDING_LEAD']]);
    const early = await api.call('POST', `/v1/transfers/${t.id}/national-alert`, {
      as: dir.sandwell.lead.email,
      body: { raised: false, reason: 'too early' },
    });
    expect([early.status, codes(early.body)]).toEqual([422, ['NATIONAL_ALERT_NOT_DUE']]);

    // found: the route ends, its record stays; the checks still open and the alert decision close
    const found = await api.call('POST', `/v1/transfers/${t.id}/family-found`, {
      as: receiver,
      body: { on: today(), how: FOUND },
    });
    expect(found.status).toBe(200);
    expect(found.body.familyNotReached).toEqual(
      expect.objectContaining({
        open: false,
        found: { on: today(), how: FOUND, recordedById: dir.sandwell.hv.practitioner.id },
      }),
    );
    expect(found.body.familyNotReached.attempts).toHaveLength(3);
    expect(found.body.riskFlags.map((f: { code: string }) => f.code)).not.toContain('FAMILY_NOT_REACHED');
    // …but the flag the route raised stays in its history
    expect(found.body.familyNotReached.flag).toEqual({
      code: 'FAMILY_NOT_REACHED',
      severity: 'critical',
      raisedAt: raised.body.familyNotReached.openedAt,
      active: false,
    });
    expect(
      (await chaseItems(t.id)).map((i: { kind: string; status: string; resolution: string }) => [
        i.kind,
        i.status,
        i.resolution,
      ]),
    ).toEqual([
      ['locate_education_setting', 'closed', 'checked'],
      ['locate_family_members', 'closed', 'family_found'],
      ['locate_health_registration', 'closed', 'family_found'],
      ['locate_police_welfare_check', 'closed', 'checked'],
      ['locate_strategy_discussion', 'closed', 'family_found'],
      ['national_alert', 'closed', 'family_found'],
    ]);
    const [sealed] = await ds.query(`SELECT found_how FROM not_reached_routes WHERE transfer_id = $1`, [t.id]);
    expect(sealed.found_how).toMatch(/^fh1:/);
    const foundAgain = await api.call('POST', `/v1/transfers/${t.id}/family-found`, {
      as: receiver,
      body: { on: today(), how: FOUND },
    });
    expect([foundAgain.status, codes(foundAgain.body)]).toEqual([422, ['NO_NOT_REACHED_ROUTE']]);

    // the packet's next version keeps the route: attempts, checks, how the family was found
    const packetRoute = async () =>
      (await api.call('GET', `/v1/transfers/${t.id}/packet`, { as: receiver })).body?.transfer?.familyNotReached;
    await waitFor('the packet to show the family found', async () => (await packetRoute())?.open === false);
    const inPacket = await packetRoute();
    expect(inPacket.attempts).toHaveLength(3);
    expect(inPacket.foundText).toBe(`Found on ${inPacket.foundText.match(/^Found on (.+?):/)[1]}: ${FOUND}`);
    expect(inPacket.checks.filter((c: { done: boolean }) => c.done).length).toBeGreaterThan(0);

    // the family reached: the transfer can be accepted, and the route is still shown
    const accepted = await accept(t.id);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect(accepted.body.familyNotReached.found.on).toBe(today());

    // audited: the route's commands are on the transfer's trail, with ids and codes only
    const trail = await api.call('GET', `/v1/transfers/${t.id}/audit`, { as: dir.sandwell.lead.email });
    expect(trail.status).toBe(200);
    const actions = (trail.body as { action: string }[]).map((e) => e.action);
    for (const action of ['transfer.family_not_reached', 'transfer.close_locate_check', 'transfer.family_found'])
      expect(actions).toContain(action);
    expect(JSON.stringify(trail.body)).not.toContain('Quillfeather');
  });

  it('child protection: the national alert decision is due at once — the leads are told, and a lead records it', async () => {
    const t = await ready({ involvement: 'child_protection' });
    const raised = await report(t.id, receiver, { attempts: [visit()] });
    expect(raised.status).toBe(200);
    expect(raised.body.familyNotReached.nationalAlert.due).toBe(true);
    await waitFor('the “decision due now” emails', async () => (await emails(t.id, 'national_alert_due')).length === 2);

    const noReference = await api.call('POST', `/v1/transfers/${t.id}/national-alert`, {
      as: dir.birmingham.lead.email,
      body: { raised: true },
    });
    expect(noReference.status).toBe(400);
    const decided = await api.call('POST', `/v1/transfers/${t.id}/national-alert`, {
      as: dir.birmingham.lead.email,
      body: { raised: true, reference: 'NA-2026-0042' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.familyNotReached.nationalAlert).toEqual(
      expect.objectContaining({
        due: false,
        decision: expect.objectContaining({
          raised: true,
          reference: 'NA-2026-0042',
          decidedById: dir.birmingham.lead.id,
        }),
      }),
    );
    const twice = await api.call('POST', `/v1/transfers/${t.id}/national-alert`, {
      as: dir.sandwell.lead.email,
      body: { raised: false, reason: 'changed my mind' },
    });
    expect([twice.status, codes(twice.body)]).toEqual([422, ['NATIONAL_ALERT_RECORDED']]);
    const item = (await chaseItems(t.id)).find((i: { kind: string }) => i.kind === 'national_alert');
    expect([item.status, item.resolution]).toEqual(['closed', 'decided']);
    const [row] = await ds.query(`SELECT national_alert_detail FROM not_reached_routes WHERE transfer_id = $1`, [t.id]);
    expect(row.national_alert_detail).toMatch(/^fh1:/);
  });

  it('a third area is told the transfer does not exist; bad input is refused and changes nothing; a replay does not report twice', async () => {
    const t = await ready();
    const before = (await api.call('GET', `/v1/transfers/${t.id}`, { as: receiver })).body;

    for (const as of [dir.dudley.lead.email, dir.dudley.csc.practitioner.email]) {
      expect((await report(t.id, as, { attempts: [visit()] })).status).toBe(404);
      expect(
        (await api.call('POST', `/v1/transfers/${t.id}/family-found`, { as, body: { on: today(), how: 'x' } })).status,
      ).toBe(404);
      expect(
        (await api.call('POST', `/v1/transfers/${t.id}/national-alert`, { as, body: { raised: false, reason: 'x' } }))
          .status,
      ).toBe(404);
    }

    const bad: [unknown, number][] = [
      [{}, 400],
      [{ attempts: [] }, 400],
      [{ attempts: [{ on: today(), method: 'email' }] }, 400],
      [{ attempts: [{ on: '2026-02-30', method: 'phone_no_answer' }] }, 400],
      [{ attempts: [{ method: 'phone_no_answer' }] }, 400],
      [{ attempts: [visit()], childName: 'x' }, 400],
      [{ attempts: 'tried' }, 400],
      [{ attempts: [{ on: '2099-01-01', method: 'phone_no_answer' }] }, 422],
      [{ attempts: [{ on: today(), method: 'other' }] }, 422],
    ];
    for (const [body, status] of bad) {
      const answer = await report(t.id, receiver, body);
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(answer.body).toEqual(expect.objectContaining({ statusCode: status, message: expect.any(Array) }));
    }
    expect(
      (
        await api.call('POST', `/v1/transfers/${t.id}/family-found`, {
          as: receiver,
          body: { on: today(), how: FOUND },
        })
      ).status,
    ).toBe(422);
    const after = (await api.call('GET', `/v1/transfers/${t.id}`, { as: receiver })).body;
    expect([after.version, after.familyNotReached]).toEqual([before.version, null]);
    expect(await chaseItems(t.id)).toEqual([]);
    expect((await ds.query(`SELECT 1 FROM not_reached_routes WHERE transfer_id = $1`, [t.id])).length).toBe(0);

    // the same Idempotency-Key and body: the first answer again, one route, one set of emails
    const headers = { 'idempotency-key': `not-reached-${t.id}` };
    const first = await report(t.id, receiver, { attempts: [visit()] }, headers);
    const replay = await report(t.id, receiver, { attempts: [visit()] }, headers);
    expect(first.status).toBe(200);
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.id]).toEqual([200, 'true', t.id]);
    expect(replay.body.familyNotReached.attempts).toHaveLength(1);
    expect(replay.body.version).toBe(first.body.version);
    expect((await ds.query(`SELECT 1 FROM not_reached_routes WHERE transfer_id = $1`, [t.id])).length).toBe(1);
  });

  it('monitoring counts the families not reached, and those whose national alert decision is due, in each person’s scope', async () => {
    // So far (the tests above): one route found (not counted), two open — the child-protection one with
    // its decision recorded, and the replayed report's, not yet due. One more, on a plan: due at once.
    const t = await ready({ involvement: 'child_protection' });
    expect((await report(t.id, sender, { attempts: [visit()] })).status).toBe(200);
    const summary = async (as: string, query = '') => {
      const response = await api.call('GET', `/v1/monitoring/summary${query}`, { as });
      expect([as, response.status]).toEqual([as, 200]);
      expect(JSON.stringify(response.body)).not.toContain('Quillfeather');
      return response.body.familiesNotReached;
    };
    expect(await summary(dir.sandwell.lead.email)).toEqual({ total: 3, alertDecisionDue: 1 });
    expect(await summary(dir.birmingham.hv.manager.email)).toEqual({ total: 3, alertDecisionDue: 1 });
    expect(await summary(dir.dudley.lead.email)).toEqual({ total: 0, alertDecisionDue: 0 });
    expect(await summary(dir.birmingham.csc.manager.email)).toEqual({ total: 0, alertDecisionDue: 0 });
    expect(await summary(ADMIN_EMAIL, '?area=dudley')).toEqual({ total: 0, alertDecisionDue: 0 });
    expect(await summary(ADMIN_EMAIL)).toEqual({ total: 3, alertDecisionDue: 1 });
    expect((await api.call('GET', '/v1/monitoring/summary', { as: receiver })).status).toBe(403);
  });
});

import { DataSource } from 'typeorm';
import { ChaseSweeper } from '../apps/worker/src/chasing/chase-sweeper.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';

/**
 * Issue 13 items 2 and 3 over HTTP: a host notification (a child under a care order) from creation
 * to acknowledgement, with accept refused and the sending practitioner accountable throughout; and
 * a temporary move reaching its review on a test clock, answered "still temporary", then "permanent".
 */
describe('host notifications and temporary moves, over HTTP', () => {
  const clock = new TestClock(new Date('2026-12-01T10:00:00Z'));
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
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  const receiver = () => dir.sandwell.hv.practitioner.email;
  const at = (iso: string) => clock.set(iso);
  type Item = {
    id: string;
    kind: string;
    status: string;
    resolution: string | null;
    ownerId: string;
    nextChaseAt: string;
  };
  const items = async (id: string) =>
    (await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender() })).body as Item[];

  /** Record the conversation, check it back, and have the Sandwell lead advise on every critical flag. */
  async function converse(id: string): Promise<void> {
    const t = (await api.call('GET', `/v1/transfers/${id}`, { as: receiver() })).body;
    const contact = await api.call('POST', `/v1/transfers/${id}/direct-contact`, {
      as: receiver(),
      body: {
        occurredAt: new Date(clock.now().getTime() - 60_000).toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Talked through the order, the bruise and the GP position',
        flagAcknowledgements: t.riskFlags.map((f: { code: string }) => ({ code: f.code, understanding: 'discussed' })),
      },
    });
    expect(contact.status).toBe(200);
    expect(
      (await api.call('POST', `/v1/transfers/${id}/direct-contact/confirm`, { as: sender(), body: { agree: true } }))
        .status,
    ).toBe(200);
    for (const f of t.riskFlags.filter((x: { severity: string }) => x.severity === 'critical')) {
      const ack = await api.call('POST', `/v1/transfers/${id}/flags/${f.code}/acknowledge`, {
        as: dir.sandwell.lead.email,
        body: { advice: 'strategy discussion today' },
      });
      expect(ack.status).toBe(200);
    }
  }

  it('a child under a care order makes a host notification: never accepted, acknowledged naming a contact, the sender accountable', async () => {
    at('2026-12-01T10:00:00Z');
    const family = reviewFamily(dir.sandwell.hv.id, { moveDate: '2026-11-25' });
    const household = (family.household as { ref: string }[]).map((m) =>
      m.ref === 'baby' ? { ...m, statutoryOrder: 'care_order' } : m,
    );
    const created = await api.call('POST', '/v1/transfers', { as: sender(), body: { ...family, household } });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('host_notification');
    expect(created.body.hostNotificationGrounds).toEqual(['statutory_order']);
    expect(created.body.household.find((m: { ref: string }) => m.ref === 'baby').statutoryOrder).toBe('care_order');
    const id = created.body.id as string;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() })).status).toBe(200);
    at('2026-12-01T12:00:00Z');
    await converse(id);

    const accept = await api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver(),
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(accept.status).toBe(422);
    expect(accept.body.code).toBe('PRECONDITION_FAILED');
    expect(accept.body.message.join(' ')).toMatch(/host notification .*statutory order.*never accepted/);

    const wrong = await api.call('POST', `/v1/transfers/${id}/acknowledge-notification`, {
      as: receiver(),
      body: { contactPractitionerId: dir.birmingham.hv.practitioner.id },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message.join(' ')).toMatch(/contact must be a practitioner in the receiving team/);
    expect(
      (await api.call('POST', `/v1/transfers/${id}/acknowledge-notification`, { as: receiver(), body: {} })).status,
    ).toBe(400);

    const acked = await api.call('POST', `/v1/transfers/${id}/acknowledge-notification`, {
      as: receiver(),
      body: { contactPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(acked.status).toBe(200);
    expect(acked.body.status).toBe('notification_acknowledged');
    expect(acked.body.hostContact).toEqual({ id: dir.sandwell.hv.practitioner.id, name: expect.any(String) });
    expect(acked.body.notificationAcknowledgedAt).not.toBeNull();
    expect(acked.body.accountablePractitioner.id).toBe(dir.birmingham.hv.practitioner.id);

    // The direct-contact chase closed as acknowledged; every other loose end stays with the sender.
    const after = await items(id);
    expect(after.find((i) => i.kind === 'direct_contact')).toEqual(
      expect.objectContaining({ status: 'closed', resolution: 'acknowledged' }),
    );
    const open = after.filter((i) => i.status === 'open' && i.kind !== 'child_seen');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((i) => i.ownerId === dir.birmingham.hv.practitioner.id)).toBe(true);
    // …but the children to be seen (issue 14 item 1) are the host team's: its named contact's.
    const toSee = after.filter((i) => i.status === 'open' && i.kind === 'child_seen');
    expect(toSee.length).toBeGreaterThan(0);
    expect(toSee.every((i) => i.ownerId === dir.sandwell.hv.practitioner.id)).toBe(true);
    // …and the audit trail names the command.
    const audit = await api.call('GET', `/v1/transfers/${id}/audit`, { as: dir.sandwell.lead.email });
    expect(audit.body.map((e: { action: string }) => e.action)).toContain('transfer.acknowledge_notification');

    // Monitoring lists host notifications apart, with the host contact, and counts them apart.
    const listed = await api.call('GET', '/v1/monitoring/host-notifications', { as: dir.birmingham.hv.manager.email });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id,
        status: 'notification_acknowledged',
        hostContact: { id: dir.sandwell.hv.practitioner.id, name: expect.any(String) },
        overdue: false,
      }),
    ]);
    expect(
      (await api.call('GET', '/v1/monitoring/host-notifications', { as: dir.birmingham.hv.practitioner.email })).status,
    ).toBe(403);
    const summary = await api.call('GET', '/v1/monitoring/summary', { as: dir.sandwell.lead.email });
    expect(summary.body.hostNotificationsByStatus).toEqual({ notification_acknowledged: 1 });
  });

  it('a transfer of responsibility is not acknowledged as a notification', async () => {
    at('2026-12-01T10:00:00Z');
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: reviewFamily(dir.sandwell.hv.id, { moveDate: '2026-11-25' }),
    });
    expect(created.body.kind).toBe('transfer');
    const id = created.body.id as string;
    await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    at('2026-12-01T12:00:00Z');
    await converse(id);
    const refused = await api.call('POST', `/v1/transfers/${id}/acknowledge-notification`, {
      as: receiver(),
      body: { contactPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message.join(' ')).toMatch(/not a host notification/);
  });

  it('a short temporary stay needs the sending side’s choice; recorded as a host notification, it is one', async () => {
    at('2026-12-01T10:00:00Z');
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: reviewFamily(dir.sandwell.hv.id, { moveDate: '2026-11-28', moveType: 'temporary' }),
    });
    const id = created.body.id as string;
    const noDates = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    expect(noDates.status).toBe(422);
    expect(noDates.body.message.join(' ')).toMatch(/expectedUntil.*reviewOn/);
    await api.call('PATCH', `/v1/transfers/${id}`, { as: sender(), body: { expectedUntil: '2026-12-08' } });
    const noChoice = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    expect(noChoice.status).toBe(422);
    expect(noChoice.body.message.join(' ')).toMatch(/under 15 days/);
    const chosen = await api.call('PATCH', `/v1/transfers/${id}`, {
      as: sender(),
      body: { shortStayChoice: { recordAs: 'host_notification', reason: 'ten days in the refuge, then home' } },
    });
    expect(chosen.status).toBe(200);
    expect(chosen.body.kind).toBe('host_notification');
    expect(chosen.body.shortStayChoice).toEqual({
      recordAs: 'host_notification',
      reason: 'ten days in the refuge, then home',
    });
    const sent = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    expect(sent.status).toBe(200);
    expect((await items(id)).some((i) => i.kind === 'move_review')).toBe(false);
  });

  it('a temporary transfer reaches its review: chased then, answered still temporary, then permanent', async () => {
    at('2026-12-01T10:00:00Z');
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: reviewFamily(dir.sandwell.hv.id, {
        moveDate: '2026-11-30',
        moveType: 'temporary',
        expectedUntil: '2027-06-30',
      }),
    });
    const id = created.body.id as string;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() })).status).toBe(200);
    const review = (await items(id)).find((i) => i.kind === 'move_review')!;
    // 12 weeks after Monday 30 November 2026: Monday 22 February 2027, 09:00 London.
    expect(new Date(review.nextChaseAt).toISOString()).toBe('2027-02-22T09:00:00.000Z');
    expect(review.ownerId).toBe(dir.birmingham.hv.practitioner.id);

    const sweeper = worker.app.get(ChaseSweeper);
    const reminders = async () =>
      (await ds.query(`SELECT count(*)::int AS n FROM emails WHERE dedupe_key LIKE $1`, [`reminder:${review.id}:%`]))[0]
        .n as number;
    at('2027-02-22T08:59:00Z');
    await sweeper.sweep();
    expect(await reminders()).toBe(0);
    at('2027-02-22T09:00:00Z');
    await sweeper.sweep();
    expect(await reminders()).toBeGreaterThan(0);
    const [email] = await ds.query(`SELECT subject, body FROM emails WHERE dedupe_key LIKE $1 LIMIT 1`, [
      `reminder:${review.id}:%`,
    ]);
    expect(`${email.subject}\n${email.body}`).toMatch(/Is the move now permanent\?/);

    const badAnswer = await api.call('POST', `/v1/chase-items/${review.id}/close`, {
      as: sender(),
      body: { resolution: 'still_temporary', evidence: { note: 'still with relatives' } },
    });
    expect(badAnswer.status).toBe(422);
    const still = await api.call('POST', `/v1/chase-items/${review.id}/close`, {
      as: sender(),
      body: { resolution: 'still_temporary', evidence: { note: 'still with relatives', nextReviewOn: '2027-03-22' } },
    });
    expect(still.status).toBe(200);
    expect(still.body).toEqual(expect.objectContaining({ status: 'closed', resolution: 'still_temporary' }));
    const next = (await items(id)).find((i) => i.kind === 'move_review' && i.status === 'open')!;
    expect(new Date(next.nextChaseAt).toISOString()).toBe('2027-03-22T09:00:00.000Z');
    expect((await api.call('GET', `/v1/transfers/${id}`, { as: sender() })).body.moveType).toBe('temporary');

    const permanent = await api.call('POST', `/v1/chase-items/${next.id}/close`, {
      as: receiver(),
      body: { resolution: 'now_permanent', evidence: { note: 'tenancy signed in Sandwell' } },
    });
    expect(permanent.status).toBe(200);
    const t = (await api.call('GET', `/v1/transfers/${id}`, { as: sender() })).body;
    expect(t.moveType).toBe('permanent');
    expect((await items(id)).filter((i) => i.kind === 'move_review' && i.status === 'open')).toEqual([]);
  });
});

/**
 * Child protection over HTTP (issue 13 item 1): accept is "transfer-in accepted" (status
 * awaiting_conference, the sender stays accountable, the lead is interim lead and owns the loose
 * ends), the receiving side records the transfer-in conference, and only the sending side's
 * confirmation of its written outcome passes accountability. The conference falling overdue raises
 * a high flag and shows on monitoring.
 */
import { addWorkingDays, londonDate } from '@fh/domain';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { TestClock } from './support/clock';
import { RunningApi, startApi } from './support/harness';

describe('child protection: transfer-in conference and written confirmation', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let sender: string;
  let receiver: string;
  const t0 = new Date();
  const clock = new TestClock(t0);
  const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

  beforeAll(async () => {
    api = await startApi({}, undefined, clock);
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
  });
  afterAll(() => api.close());

  const db = () => api.app.get(DataSource);

  /** A child-protection family (no critical flag), initiated, its conversation recorded and checked back. */
  async function confirmedCp(): Promise<string> {
    clock.set(t0);
    const created = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: reviewFamily(dir.sandwell.hv.id, { involvement: 'child_protection', concerns: [] }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const initiated = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender });
    expect(initiated.status).toBe(200);
    clock.set(minutes(2));
    const contact = await api.call('POST', `/v1/transfers/${id}/direct-contact`, {
      as: receiver,
      body: {
        occurredAt: minutes(1).toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Talked through the plan',
        flagAcknowledgements: initiated.body.riskFlags.map((f: { code: string }) => ({
          code: f.code,
          understanding: 'understood',
        })),
      },
    });
    expect(contact.status).toBe(200);
    const agreed = await api.call('POST', `/v1/transfers/${id}/direct-contact/confirm`, {
      as: sender,
      body: { agree: true },
    });
    expect(agreed.status).toBe(200);
    return id;
  }

  it('walks accept → conference → written confirmation, and only the confirmation passes accountability', async () => {
    const id = await confirmedCp();
    const sendingPractitioner = dir.birmingham.hv.practitioner;
    const lead = dir.sandwell.hv.practitioner;

    // Due 15 working days from initiation (the default clock start), chased from that day.
    const before = await api.call('GET', `/v1/transfers/${id}`, { as: receiver });
    const due = addWorkingDays(new Date(before.body.initiatedAt), 15);
    expect(before.body.conference).toEqual(expect.objectContaining({ dueAt: due.toISOString(), heldOn: null }));

    const accepted = await api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver,
      body: { leadPractitionerId: lead.id },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('awaiting_conference');
    expect(accepted.body.accountablePractitioner.id).toBe(sendingPractitioner.id);
    expect(accepted.body.interimLead).toEqual(expect.objectContaining({ id: lead.id, teamId: dir.sandwell.hv.id }));
    // The loose ends are the interim lead's now; the conference's among them.
    const open = await db().query(
      `SELECT kind, owner_id AS "ownerId" FROM chase_items WHERE transfer_id = $1 AND status = 'open' ORDER BY kind`,
      [id],
    );
    expect(open.length).toBeGreaterThan(1);
    expect(open.map((r: { kind: string }) => r.kind)).toContain('transfer_in_conference');
    expect(open.every((r: { ownerId: string }) => r.ownerId === lead.id)).toBe(true);
    // The receiving side may record the conference; the sending side's confirmation waits for it.
    const actions = (view: { availableActions: { action: string; allowed: boolean }[] }) =>
      Object.fromEntries(view.availableActions.map((a) => [a.action, a.allowed]));
    expect(actions(accepted.body)).toMatchObject({ recordConference: true });
    const senderView = await api.call('GET', `/v1/transfers/${id}`, { as: sender });
    expect(actions(senderView.body)).toMatchObject({ confirmConference: false });

    // Confirming before the conference is recorded: refused, and nothing changes.
    const early = await api.call('POST', `/v1/transfers/${id}/conference/confirm`, {
      as: sender,
      body: { receivedOn: londonDate(clock.now()) },
    });
    expect(early.status).toBe(422);
    expect(early.body.reasons.map((r: { code: string }) => r.code)).toEqual(['CONFERENCE_NOT_RECORDED']);

    // The conference, recorded by the receiving side (once, whatever the retries).
    clock.set(minutes(60));
    const body = {
      heldOn: londonDate(clock.now()),
      outcome: 'plan_continues',
      chair: 'Independent reviewing officer',
      notes: 'Plan continues under Sandwell; core group in 10 days',
    };
    const key = { 'idempotency-key': `conf-${id}` };
    const held = await api.call('POST', `/v1/transfers/${id}/conference`, { as: receiver, body, headers: key });
    expect(held.status).toBe(200);
    const again = await api.call('POST', `/v1/transfers/${id}/conference`, { as: receiver, body, headers: key });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(held.body.version);
    expect(held.body.status).toBe('awaiting_conference');
    expect(held.body.accountablePractitioner.id).toBe(sendingPractitioner.id);
    expect(held.body.conference).toEqual(
      expect.objectContaining({
        heldOn: body.heldOn,
        outcome: 'plan_continues',
        chair: body.chair,
        notes: body.notes,
        recordedById: dir.sandwell.hv.practitioner.id,
        writtenOutcome: null,
      }),
    );
    const conferenceItem = await db().query(
      `SELECT status, resolution FROM chase_items WHERE transfer_id = $1 AND kind = 'transfer_in_conference'`,
      [id],
    );
    expect(conferenceItem).toEqual([{ status: 'closed', resolution: 'held' }]);

    // The written outcome, confirmed by the sending side (with the version it read): accountability passes.
    const stale = await api.call('POST', `/v1/transfers/${id}/conference/confirm`, {
      as: sender,
      body: { receivedOn: londonDate(clock.now()) },
      headers: { 'if-match': String(accepted.body.version) },
    });
    expect(stale.status).toBe(409);
    const confirmed = await api.call('POST', `/v1/transfers/${id}/conference/confirm`, {
      as: sender,
      body: { receivedOn: londonDate(clock.now()) },
      headers: { 'if-match': String(held.body.version) },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('accepted');
    expect(confirmed.body.accountablePractitioner.id).toBe(lead.id);
    expect(confirmed.body.interimLead).toBeNull();
    expect(confirmed.body.conference.writtenOutcome).toEqual(
      expect.objectContaining({ receivedOn: londonDate(clock.now()), confirmedById: sendingPractitioner.id }),
    );

    const audit = await db().query(
      `SELECT action, outcome FROM audit_events WHERE transfer_id = $1 AND action LIKE 'transfer.%conference' ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'transfer.confirm_conference', outcome: 'refused' },
      { action: 'transfer.record_conference', outcome: 'succeeded' },
      { action: 'transfer.confirm_conference', outcome: 'refused' },
      { action: 'transfer.confirm_conference', outcome: 'succeeded' },
    ]);
  });

  it('refuses the wrong side, bad input and people who cannot see it, in the error shape, changing nothing', async () => {
    const id = await confirmedCp();
    const accepted = await api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver,
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(accepted.status).toBe(200);
    const good = { heldOn: londonDate(clock.now()), outcome: 'plan_continues', chair: 'Chair' };

    const bySender = await api.call('POST', `/v1/transfers/${id}/conference`, { as: sender, body: good });
    expect(bySender.status).toBe(403);
    expect(bySender.body.code).toBe('FORBIDDEN');
    const outsider = await api.call('POST', `/v1/transfers/${id}/conference`, {
      as: dir.dudley.csc.practitioner.email,
      body: good,
    });
    expect(outsider.status).toBe(404);
    const bad = await api.call('POST', `/v1/transfers/${id}/conference`, {
      as: receiver,
      body: { heldOn: 'next week', outcome: 'adjourned', chair: ' ' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.reasons.map((r: { code: string }) => r.code)).toEqual([
      'CONFERENCE_DATE_INVALID',
      'CONFERENCE_OUTCOME_INVALID',
      'CHAIR_REQUIRED',
    ]);
    expect((await api.call('POST', `/v1/transfers/${id}/conference`, { as: receiver, body: {} })).status).toBe(400);
    const byReceiver = await api.call('POST', `/v1/transfers/${id}/conference/confirm`, {
      as: receiver,
      body: { receivedOn: good.heldOn },
    });
    expect(byReceiver.status).toBe(403);

    const now = await api.call('GET', `/v1/transfers/${id}`, { as: receiver });
    expect(now.body.version).toBe(accepted.body.version);
    expect(now.body.conference.heldOn).toBeNull();

    // Not a child-protection family: there is no conference to record.
    clock.set(t0);
    const cin = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: reviewFamily(dir.sandwell.hv.id, { concerns: [] }),
    });
    await api.call('POST', `/v1/transfers/${cin.body.id}/initiate`, { as: sender });
    const notCp = await api.call('POST', `/v1/transfers/${cin.body.id}/conference`, { as: receiver, body: good });
    expect(notCp.status).toBe(409);
  });

  it('raises a high flag and counts on monitoring once a conference is not held by its date', async () => {
    const id = await confirmedCp();
    const accepted = await api.call('POST', `/v1/transfers/${id}/accept`, {
      as: receiver,
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(accepted.body.riskFlags.map((f: { code: string }) => f.code)).not.toContain('CONFERENCE_OVERDUE');
    const manager = dir.sandwell.hv.manager.email;
    const onTime = await api.call('GET', '/v1/monitoring/summary', { as: manager });
    expect(onTime.status).toBe(200);
    expect(onTime.body.awaitingConference).toBeGreaterThanOrEqual(1);
    const overdueBefore = onTime.body.conferencesOverdue as number;

    clock.set(new Date(new Date(accepted.body.conference.dueAt).getTime() + 60_000));
    const late = await api.call('GET', `/v1/transfers/${id}`, { as: receiver });
    expect(late.body.conference.overdue).toBe(true);
    expect(late.body.riskFlags).toContainEqual(
      expect.objectContaining({ code: 'CONFERENCE_OVERDUE', severity: 'high' }),
    );
    const list = await api.call('GET', '/v1/transfers?direction=incoming&status=awaiting_conference', {
      as: receiver,
    });
    expect(list.body.items.find((t: { id: string }) => t.id === id).riskFlags).toContainEqual({
      code: 'CONFERENCE_OVERDUE',
      severity: 'high',
    });
    const summary = await api.call('GET', '/v1/monitoring/summary', { as: manager });
    expect(summary.body.conferencesOverdue).toBeGreaterThan(overdueBefore);
    expect(summary.body.countsByStatus.awaiting_conference).toBe(summary.body.awaitingConference);

    // Held (late): the flag goes.
    const held = await api.call('POST', `/v1/transfers/${id}/conference`, {
      as: receiver,
      body: { heldOn: londonDate(clock.now()), outcome: 'plan_not_continued', chair: 'Chair' },
    });
    expect(held.status).toBe(200);
    expect(held.body.riskFlags.map((f: { code: string }) => f.code)).not.toContain('CONFERENCE_OVERDUE');
    expect(held.body.conference.overdue).toBe(false);
  });
});

/**
 * The child seen over HTTP (issue 14 item 1), on real PostgreSQL, Redis and SMTP: every child has a
 * child_seen chase item from initiation, due 5 working days after the move for a baby and 10 for an
 * older child without a critical flag, owned by the receiving side (its team, before anyone there
 * holds the transfer). A receiving practitioner records the child seen and the item closes; the
 * sending side may not (403), a third area cannot see the transfer (404); bad input changes nothing.
 * Monitoring counts and lists the children not seen and the overdue; reminders reach the receiving
 * team without personal data; an accepted transfer only closes once each child has been seen.
 */
import { addWorkingDaysToDate, londonDate, workingDaysBetweenDates } from '@fh/domain';
import { DataSource } from 'typeorm';
import { ChaseSweeper } from '../apps/worker/src/chasing/chase-sweeper.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

describe('the child seen (issue 14 item 1)', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '86400' });
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
  const receiver = () => dir.sandwell.hv.practitioner.email;
  const today = () => londonDate(new Date());

  /** The review family without its concerns (so no critical flag): a baby and a 2-year-old. */
  async function initiated(overrides: Record<string, unknown> = { concerns: [] }) {
    const s = scenario(api, dir);
    const t = await s.created(overrides).initiated();
    const children = Object.fromEntries(
      t.household
        .filter((m: { role: string }) => m.role === 'child')
        .map((m: { ref: string; id: string }) => [m.ref, m.id]),
    ) as { baby: string; sibling: string };
    return { s, t, children };
  }

  const seen = (id: string, memberId: string, as: string, body: Record<string, unknown> = {}) =>
    api.call('POST', `/v1/transfers/${id}/children/${memberId}/seen`, {
      as,
      body: {
        seenOn: today(),
        seenById: dir.sandwell.hv.practitioner.id,
        where: 'home',
        seenAlone: true,
        note: 'Seen in her cot; Philippa present throughout',
        ...body,
      },
    });

  const childSeenItems = async (id: string) =>
    (await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: receiver() })).body.filter(
      (i: { kind: string }) => i.kind === 'child_seen',
    );

  it('opens a child_seen item per child at initiation: a baby due in 5 working days, a 2-year-old in 10, owned by the receiving team', async () => {
    const { t, children } = await initiated();
    expect(t.riskFlags.filter((f) => f.severity === 'critical')).toEqual([]);
    const items = await childSeenItems(t.id);
    const dueOf = (memberId: string) => items.find((i: { memberId: string }) => i.memberId === memberId)?.dueOn;
    expect(items).toHaveLength(2);
    expect(dueOf(children.baby)).toBe(addWorkingDaysToDate(t.moveDate, 5));
    expect(dueOf(children.sibling)).toBe(addWorkingDaysToDate(t.moveDate, 10));
    for (const item of items) expect(item).toEqual(expect.objectContaining({ status: 'open', ownerId: null }));

    // The transfer page's facts: each child, seen or not, and the working days since the move.
    const view = await api.call('GET', `/v1/transfers/${t.id}`, { as: receiver() });
    expect(view.body.childrenSeen).toEqual([
      expect.objectContaining({
        memberId: children.baby,
        memberRef: 'baby',
        seen: false,
        dueOn: addWorkingDaysToDate(t.moveDate, 5),
        overdue: today() > addWorkingDaysToDate(t.moveDate, 5),
        workingDaysSinceMove: workingDaysBetweenDates(t.moveDate, today()),
        itemStatus: 'open',
      }),
      expect.objectContaining({ memberId: children.sibling, seen: false, dueOn: addWorkingDaysToDate(t.moveDate, 10) }),
    ]);
  });

  it('with a critical flag every child is due in 5 working days', async () => {
    const { t, children } = await initiated({});
    expect(t.riskFlags.some((f) => f.severity === 'critical')).toBe(true);
    const items = await childSeenItems(t.id);
    expect(items.map((i: { memberId: string; dueOn: string }) => [i.memberId, i.dueOn]).sort()).toEqual(
      [
        [children.baby, addWorkingDaysToDate(t.moveDate, 5)],
        [children.sibling, addWorkingDaysToDate(t.moveDate, 5)],
      ].sort(),
    );
  });

  it('a receiving practitioner records the child seen: the item closes with the record, sealed; once only', async () => {
    const { t, children } = await initiated();
    const before = (await api.call('GET', `/v1/transfers/${t.id}`, { as: receiver() })).body;
    const recorded = await seen(t.id, children.sibling, dir.sandwell.hv.manager.email, { seenAlone: false });
    expect([recorded.status, recorded.body.message]).toEqual([200, undefined]);
    expect(recorded.body.status).toBe('awaiting_contact');
    expect(recorded.body.version).toBe(before.version + 1);
    const sibling = recorded.body.childrenSeen.find((c: { memberId: string }) => c.memberId === children.sibling);
    expect(sibling).toEqual(
      expect.objectContaining({
        seen: true,
        overdue: false,
        seenOn: today(),
        where: 'home',
        seenAlone: false,
        note: 'Seen in her cot; Philippa present throughout',
        seenBy: { id: dir.sandwell.hv.practitioner.id, name: dir.sandwell.hv.practitioner.email.split('@')[0] },
        recordedById: dir.sandwell.hv.manager.id,
        workingDaysSinceMove: workingDaysBetweenDates(t.moveDate, today()),
        itemStatus: 'closed',
        resolution: 'seen',
      }),
    );
    expect(recorded.body.childrenSeen.find((c: { memberId: string }) => c.memberId === children.baby).seen).toBe(false);
    const item = (await childSeenItems(t.id)).find((i: { memberId: string }) => i.memberId === children.sibling);
    expect(item).toEqual(
      expect.objectContaining({
        status: 'closed',
        resolution: 'seen',
        closedById: dir.sandwell.hv.manager.id,
        evidence: expect.objectContaining({ seenOn: today(), where: 'home', seenAlone: false }),
      }),
    );
    // The note is free text: sealed at rest like all evidence.
    const [raw] = await ds.query(`SELECT evidence FROM chase_items WHERE id = $1`, [item.id]);
    expect(raw.evidence).toMatch(/^fh1:/);
    expect(raw.evidence).not.toContain('Philippa');
    // Audited as its own action.
    const [audit] = await ds.query(
      `SELECT outcome FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.record_child_seen'`,
      [t.id],
    );
    expect(audit).toEqual({ outcome: 'succeeded' });
    // The packet's next version says so, for each child (the worker makes it).
    const packetSeen = async () => {
      const packet = await api.call('GET', `/v1/transfers/${t.id}/packet`, { as: receiver() });
      const section = packet.body?.sections?.find((x: { key: string }) => x.key === 'children');
      return Object.fromEntries(
        (section?.children ?? []).map((c: { memberId: string; seenInNewArea?: { status: string } }) => [
          c.memberId,
          c.seenInNewArea?.status,
        ]),
      );
    };
    await waitFor('the packet to show the sibling seen', async () => (await packetSeen())[children.sibling] === 'seen');
    expect(await packetSeen()).toEqual({ [children.baby]: 'not_seen', [children.sibling]: 'seen' });
    // A second record for the same child is refused.
    const again = await seen(t.id, children.sibling, receiver());
    expect([again.status, again.body.reasons.map((r: { code: string }) => r.code)]).toEqual([
      422,
      ['CHILD_ALREADY_SEEN'],
    ]);
  });

  it('the sending side may not record it (403), a lead may not (403), a third area cannot see the transfer (404); nothing changes', async () => {
    const { t, children } = await initiated();
    const refusedBy = async (as: string) => {
      const r = await seen(t.id, children.baby, as);
      return [r.status, r.body.error ?? r.body.code ?? null];
    };
    expect((await refusedBy(sender()))[0]).toBe(403);
    expect((await refusedBy(dir.birmingham.hv.manager.email))[0]).toBe(403);
    expect((await refusedBy(dir.sandwell.lead.email))[0]).toBe(403);
    expect((await refusedBy(dir.dudley.csc.practitioner.email))[0]).toBe(404);
    expect((await refusedBy(dir.dudley.lead.email))[0]).toBe(404);
    const items = await childSeenItems(t.id);
    expect(items.every((i: { status: string }) => i.status === 'open')).toBe(true);
  });

  it('bad input is a clear 4xx and changes nothing', async () => {
    const { t, children } = await initiated();
    const adult = t.household.find((m: { ref: string }) => m.ref === 'mother').id;
    const codes = async (memberId: string, body: Record<string, unknown>) => {
      const r = await seen(t.id, memberId, receiver(), body);
      return [r.status, r.body.reasons?.map((x: { code: string }) => x.code) ?? r.body.message];
    };
    expect(await codes(adult, {})).toEqual([422, ['NOT_A_CHILD_OF_TRANSFER']]);
    expect(await codes(children.baby, { where: 'car' })).toEqual([422, ['SEEN_WHERE_INVALID']]);
    expect(await codes(children.baby, { seenOn: addWorkingDaysToDate(today(), 1) })).toEqual([422, ['SEEN_IN_FUTURE']]);
    expect(await codes(children.baby, { seenOn: '2020-01-01' })).toEqual([422, ['SEEN_BEFORE_MOVE']]);
    expect(await codes(children.baby, { seenOn: 'yesterday' })).toEqual([422, ['SEEN_DATE_INVALID']]);
    expect(await codes(children.baby, { seenById: dir.birmingham.hv.practitioner.id })).toEqual([
      422,
      ['SEEN_BY_NOT_IN_RECEIVING_TEAM'],
    ]);
    const [missing, message] = await codes(children.baby, { seenAlone: 'yes', seenById: 'someone' });
    expect(missing).toBe(400);
    expect(message).toEqual(
      expect.arrayContaining([expect.stringMatching(/seenAlone/), expect.stringMatching(/seenById/)]),
    );
    expect((await seen(t.id, 'not-a-uuid', receiver())).status).toBe(404);
    expect((await childSeenItems(t.id)).every((i: { status: string }) => i.status === 'open')).toBe(true);
    // The generic close endpoint does not close it with evidence.
    const item = (await childSeenItems(t.id))[0];
    const closed = await api.call('POST', `/v1/chase-items/${item.id}/close`, {
      as: receiver(),
      body: { resolution: 'completed', evidence: { note: 'seen' } },
    });
    expect([closed.status, closed.body.reasons.map((r: { code: string }) => r.code)]).toEqual([
      422,
      ['CHILD_SEEN_RECORDED_ON_ITS_OWN'],
    ]);
  });

  it('monitoring counts and lists the children not seen and the overdue — ids, never names', async () => {
    const as = dir.sandwell.lead.email;
    // A move 20 calendar days ago: the baby (5 working days) and the sibling (10) are both overdue.
    const { t, children } = await initiated({
      concerns: [],
      moveDate: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
    });
    const list = await api.call('GET', '/v1/monitoring/children-not-seen?overdue=true', { as });
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((i: { transferId: string }) => i.transferId === t.id);
    expect(mine.map((i: { memberId: string }) => i.memberId).sort()).toEqual([children.baby, children.sibling].sort());
    for (const i of mine) {
      expect(i).toEqual(
        expect.objectContaining({
          reference: t.reference,
          overdue: true,
          owner: null,
          receiving: expect.objectContaining({ teamId: dir.sandwell.hv.id }),
          workingDaysSinceMove: workingDaysBetweenDates(t.moveDate, today()),
        }),
      );
    }
    expect(JSON.stringify(list.body)).not.toMatch(/Zephyrine|Octavian|Quillfeather|9434765919/);
    // Every child not seen, in the summary's counts (the summary is shared for 10 s: read it fresh).
    const summary = await api.call('GET', '/v1/monitoring/summary?area=sandwell', {
      as: dir.sandwell.hv.manager.email,
    });
    expect(summary.status).toBe(200);
    const [counts] = await ds.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.due_on < $1::date)::int AS overdue
       FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
       WHERE c.kind = 'child_seen' AND c.status = 'open' AND t.status NOT IN ('cancelled', 'closed')`,
      [today()],
    );
    expect(summary.body).toEqual(
      expect.objectContaining({ childrenNotSeen: counts.n, childrenNotSeenOverdue: counts.overdue }),
    );
    expect(counts.overdue).toBeGreaterThanOrEqual(2);
    // Once seen, the child leaves the list.
    expect((await seen(t.id, children.baby, receiver())).status).toBe(200);
    const after = await api.call('GET', '/v1/monitoring/children-not-seen', { as });
    expect(
      after.body.items
        .filter((i: { transferId: string }) => i.transferId === t.id)
        .map((i: { memberId: string }) => i.memberId),
    ).toEqual([children.sibling]);
    // Practitioners do not monitor.
    expect((await api.call('GET', '/v1/monitoring/children-not-seen', { as: receiver() })).status).toBe(403);
    expect((await api.call('GET', '/v1/monitoring/children-not-seen?overdue=soon', { as })).status).toBe(400);
  });

  it("an overdue child is chased: the receiving team's mailbox hears, with no personal data", async () => {
    const { t, children } = await initiated({
      concerns: [],
      moveDate: new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10),
    });
    const item = (await childSeenItems(t.id)).find((i: { memberId: string }) => i.memberId === children.baby);
    await worker.app.get(ChaseSweeper).sweep(new Date());
    const reminders = await ds.query(
      `SELECT recipient, subject, body FROM emails WHERE dedupe_key LIKE $1 ORDER BY recipient`,
      [`reminder:${item.id}:1:%`],
    );
    const [mailbox] = await ds.query(`SELECT mailbox FROM teams WHERE id = $1`, [dir.sandwell.hv.id]);
    expect(reminders.map((r: { recipient: string }) => r.recipient)).toEqual([mailbox.mailbox]);
    expect(reminders[0].body).toContain('not yet been seen');
    await waitFor('the reminder to leave through SMTP', () =>
      smtp.messages.some((m) => m.to.includes(mailbox.mailbox) && /child seen/.test(m.subject)),
    );
    const sent = smtp.messages.filter((m) => m.raw.includes(t.reference));
    expect(sent.length).toBeGreaterThan(0);
    for (const m of sent)
      expect(m.raw).not.toMatch(
        /Zephyrine|Octavian|Quillfeather|Philippa|Thistlewood|9434765919|Quillfeather Row|B70 9ZZ/,
      );
  });

  it('an accepted transfer closes only once every child has been seen', async () => {
    // One child, GP registered, no concerns or appointments: the only loose end left after acceptance is the child seen.
    const s = scenario(api, dir);
    await s.created({
      concerns: [],
      appointments: [],
      household: [
        {
          ref: 'sibling',
          role: 'child',
          givenName: 'Octavian',
          familyName: 'Quillfeather',
          dateOfBirth: '2022-05-01',
          sex: 'male',
          nhsNumber: '9434765919',
          mobility: 'mobile',
          gp: { status: 'registered', practiceOds: 'M88006', practiceName: 'Erdington Health Centre' },
        },
        {
          ref: 'father',
          role: 'father',
          givenName: 'Barnaby',
          familyName: 'Thistlewood',
          sex: 'male',
          engaged: true,
          gp: { status: 'registered' },
        },
      ],
    });
    const accepted = await s.initiated().contactRecorded().confirmed().acknowledged().accepted();
    expect(accepted.status).toBe('accepted');
    const open = (await api.call('GET', `/v1/transfers/${accepted.id}/chase-items`, { as: receiver() })).body.filter(
      (i: { status: string }) => i.status === 'open',
    );
    // The child's item is now the receiving lead's.
    expect(open).toEqual([expect.objectContaining({ kind: 'child_seen', ownerId: dir.sandwell.hv.practitioner.id })]);
    const closed = await s.childrenSeen();
    expect(closed.status).toBe('closed');
    expect(closed.childrenSeen).toEqual([expect.objectContaining({ seen: true, itemStatus: 'closed' })]);
  });
});

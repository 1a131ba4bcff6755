import { DataSource } from 'typeorm';
import { ChaseSweeper, DUE_ITEMS_SQL } from '../apps/worker/src/chasing/chase-sweeper.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { gpOnlyFamily, reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { withOwnerClient } from './support/services';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

describe('chasing, driven by a test clock', () => {
  const clock = new TestClock(new Date('2026-12-18T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let workers: RunningWorker[];
  let dir: SeededDirectory;
  let ds: DataSource;
  let sweeper: ChaseSweeper;
  let transferId: string;
  let gpItemId: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '86400' }, undefined, clock);
    workers = [await startWorker(api.config, { clock }), await startWorker(api.config, { clock })];
    sweeper = workers[0].app.get(ChaseSweeper);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await api.close();
    await smtp.stop();
  });

  const sender = () => dir.birmingham.hv.practitioner.email;
  const receiver = () => dir.sandwell.hv.practitioner.email;
  const item = async (id: string) =>
    (
      await ds.query(
        `SELECT status, reminders, escalation_level AS level, next_chase_at AS "nextChaseAt", owner_id AS "ownerId" FROM chase_items WHERE id = $1`,
        [id],
      )
    )[0];
  const reminderRecipients = async (id: string, n: number) =>
    (
      await ds.query(`SELECT recipient FROM emails WHERE dedupe_key LIKE $1 ORDER BY recipient`, [
        `reminder:${id}:${n}:%`,
      ])
    ).map((r: { recipient: string }) => r.recipient);
  const sweepAt = async (iso: string) => {
    clock.set(iso);
    return sweeper.sweep();
  };

  it('first chases GP registration 5 working days after the move, skipping Christmas and Boxing Day', async () => {
    transferId = (
      await api.call('POST', '/v1/transfers', { as: sender(), body: gpOnlyFamily(dir.sandwell.hv.id, '2026-12-18') })
    ).body.id;
    expect((await api.call('POST', `/v1/transfers/${transferId}/initiate`, { as: sender() })).status).toBe(200);
    const items = await api.call('GET', `/v1/transfers/${transferId}/chase-items`, { as: sender() });
    expect(items.status).toBe(200);
    const gp = items.body.find((i: { kind: string }) => i.kind === 'gp_registration');
    gpItemId = gp.id;
    // Mon 21, Tue 22, Wed 23, Thu 24 — Fri 25 Christmas, Mon 28 Boxing Day (substitute) — Tue 29.
    expect(new Date(gp.nextChaseAt).toISOString()).toBe('2026-12-29T09:00:00.000Z');
    expect(gp).toEqual(
      expect.objectContaining({
        status: 'open',
        reminders: 0,
        escalationLevel: 0,
        ownerId: dir.birmingham.hv.practitioner.id,
      }),
    );
  });

  it('sends nothing before it is due, then reminder 1 to the owner on the due working day', async () => {
    await sweepAt('2026-12-29T08:59:00Z');
    expect((await item(gpItemId)).reminders).toBe(0);
    await sweepAt('2026-12-29T09:00:00Z');
    expect(await item(gpItemId)).toEqual(
      expect.objectContaining({ reminders: 1, level: 0, nextChaseAt: new Date('2027-01-04T09:00:00Z') }),
    );
    expect(await reminderRecipients(gpItemId, 1)).toEqual([dir.birmingham.hv.practitioner.email]);
    // Its link opens the console's page for the transfer, at this chase item.
    const [reminder] = await ds.query(`SELECT body FROM emails WHERE dedupe_key LIKE $1`, [`reminder:${gpItemId}:1:%`]);
    expect(reminder.body).toContain(
      `Open the transfer: http://handover.test/transfers/${transferId}#chase-${gpItemId}\n`,
    );
    // Sweeping again at the same moment changes nothing.
    await sweepAt('2026-12-29T09:00:00Z');
    expect((await item(gpItemId)).reminders).toBe(1);
  });

  it('reminds every 3 working days (over New Year) and escalates to the manager after 2 unanswered reminders', async () => {
    await sweepAt('2027-01-04T09:00:00Z'); // Wed 30, Thu 31, (Fri 1 Jan holiday, weekend) Mon 4
    expect(await item(gpItemId)).toEqual(
      expect.objectContaining({ reminders: 2, level: 0, nextChaseAt: new Date('2027-01-07T09:00:00Z') }),
    );
    expect(await reminderRecipients(gpItemId, 2)).toEqual([dir.birmingham.hv.practitioner.email]);
    await sweepAt('2027-01-07T09:00:00Z');
    expect(await item(gpItemId)).toEqual(expect.objectContaining({ reminders: 3, level: 1 }));
    expect(await reminderRecipients(gpItemId, 3)).toEqual(
      [dir.birmingham.hv.manager.email, dir.birmingham.hv.practitioner.email].sort(),
    );
  });

  it('follows ownership across acceptance, and reaches both areas’ safeguarding leads after 4', async () => {
    clock.set('2027-01-08T10:00:00Z');
    const flags = (await api.call('GET', `/v1/transfers/${transferId}`, { as: receiver() })).body.riskFlags.map(
      (f: { code: string }) => ({
        code: f.code,
        understanding: 'understood',
      }),
    );
    const contact = await api.call('POST', `/v1/transfers/${transferId}/direct-contact`, {
      as: receiver(),
      body: {
        occurredAt: '2027-01-08T09:30:00Z',
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Spoke',
        flagAcknowledgements: flags,
      },
    });
    expect(contact.status).toBe(200);
    expect(
      (
        await api.call('POST', `/v1/transfers/${transferId}/direct-contact/confirm`, {
          as: sender(),
          body: { agree: true },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call('POST', `/v1/transfers/${transferId}/accept`, {
          as: receiver(),
          body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
        })
      ).status,
    ).toBe(200);
    expect((await item(gpItemId)).ownerId).toBe(dir.sandwell.hv.practitioner.id);

    await sweepAt('2027-01-12T09:00:00Z'); // Fri 8, Mon 11, Tue 12
    expect(await item(gpItemId)).toEqual(expect.objectContaining({ reminders: 4, level: 1 }));
    expect(await reminderRecipients(gpItemId, 4)).toEqual(
      [dir.sandwell.hv.manager.email, dir.sandwell.hv.practitioner.email].sort(),
    );
    await sweepAt('2027-01-15T09:00:00Z');
    expect(await item(gpItemId)).toEqual(expect.objectContaining({ reminders: 5, level: 2 }));
    expect(await reminderRecipients(gpItemId, 5)).toEqual(
      [
        dir.birmingham.lead.email,
        dir.sandwell.hv.manager.email,
        dir.sandwell.hv.practitioner.email,
        dir.sandwell.lead.email,
      ].sort(),
    );
    // and the reminders really leave through SMTP, with no family details
    await waitFor('reminder 5 delivered', () =>
      smtp.messages.some((m) => m.to.includes(dir.sandwell.lead.email) && /reminder|escalation/i.test(m.subject)),
    );
    expect(smtp.messages.every((m) => !/Baby|Chase family|2026-09-01/.test(m.raw))).toBe(true);
  });

  it('stops chasing once the item is closed with evidence, and then closes the transfer', async () => {
    const refused = await api.call('POST', `/v1/chase-items/${gpItemId}/close`, {
      as: receiver(),
      body: {
        resolution: 'registered',
        evidence: { practiceOds: 'bad', practiceName: 'x', registeredOn: '2027-01-15' },
      },
    });
    // An ODS code of the wrong shape is a bad field (400), not an unmet precondition.
    expect(refused.status).toBe(400);
    expect(refused.body.message).toEqual([
      'evidence.practiceOds must be an ODS code: a capital letter then 5 digits, e.g. M88006',
    ]);
    // The baby has been seen in Sandwell (issue 14 item 1): recorded through the API, its child_seen
    // item closes — the transfer stays accepted while the GP registration is open.
    const babyId = (await api.call('GET', `/v1/transfers/${transferId}`, { as: receiver() })).body.household.find(
      (m: { ref: string }) => m.ref === 'baby',
    ).id;
    const seen = await api.call('POST', `/v1/transfers/${transferId}/children/${babyId}/seen`, {
      as: receiver(),
      body: { seenOn: '2027-01-14', seenById: dir.sandwell.hv.practitioner.id, where: 'clinic', seenAlone: false },
    });
    expect([seen.status, seen.body.status]).toEqual([200, 'accepted']);
    const closed = await api.call('POST', `/v1/chase-items/${gpItemId}/close`, {
      as: receiver(),
      body: {
        resolution: 'registered',
        evidence: { practiceOds: 'M88006', practiceName: 'Oldbury Surgery', registeredOn: '2027-01-14' },
      },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual(expect.objectContaining({ status: 'closed', resolution: 'registered' }));
    const transfer = await api.call('GET', `/v1/transfers/${transferId}`, { as: receiver() });
    expect(transfer.body.household.find((m: { ref: string }) => m.ref === 'baby').gp).toEqual({
      status: 'registered',
      practiceOds: 'M88006',
      practiceName: 'Oldbury Surgery',
    });
    expect(transfer.body.riskFlags.map((f: { code: string }) => f.code)).not.toContain('NO_GP_REGISTRATION');
    // Nothing else was open (the direct-contact item closed at acceptance, the child seen): the transfer closed itself.
    expect(transfer.body.status).toBe('closed');
    await sweepAt('2027-02-15T09:00:00Z');
    expect((await item(gpItemId)).reminders).toBe(5);
    expect(await reminderRecipients(gpItemId, 6)).toEqual([]);
    expect(
      (
        await api.call('POST', `/v1/chase-items/${gpItemId}/close`, {
          as: receiver(),
          body: { resolution: 'no_longer_required', reason: 'x' },
        })
      ).status,
    ).toBe(409);
  });

  it('escalates a was-not-brought appointment at once and raises WAS_NOT_BROUGHT', async () => {
    clock.set('2027-02-01T10:00:00Z');
    const body = reviewFamily(dir.sandwell.hv.id, {
      moveDate: '2027-01-25',
      concerns: [],
      appointments: [{ memberRef: 'sibling', kind: 'immunisation', dueOn: '2027-02-03', status: 'scheduled' }],
    });
    const id = (await api.call('POST', '/v1/transfers', { as: sender(), body })).body.id;
    const initiated = await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() });
    expect(initiated.body.riskFlags.map((f: { code: string }) => f.code)).not.toContain('WAS_NOT_BROUGHT');
    const appointmentId = initiated.body.appointments[0].id;
    clock.set('2027-02-04T10:00:00Z');
    const outcome = await api.call('POST', `/v1/appointments/${appointmentId}/outcome`, {
      as: receiver(),
      body: { status: 'was_not_brought', rebookedFor: '2027-02-10' },
    });
    expect(outcome.status).toBe(200);
    expect(outcome.body).toEqual(expect.objectContaining({ status: 'was_not_brought', rebookedFor: '2027-02-10' }));
    expect(outcome.body.chaseItem).toEqual(expect.objectContaining({ status: 'open', escalationLevel: 1 }));
    expect(new Date(outcome.body.chaseItem.nextChaseAt).toISOString()).toBe('2027-02-11T09:00:00.000Z');
    const after = await api.call('GET', `/v1/transfers/${id}`, { as: receiver() });
    expect(after.body.riskFlags.map((f: { code: string }) => f.code)).toContain('WAS_NOT_BROUGHT');
    const attended = await api.call('POST', `/v1/appointments/${appointmentId}/outcome`, {
      as: receiver(),
      body: { status: 'attended', attendedOn: '2027-02-04' },
    });
    expect(attended.body.chaseItem).toEqual(expect.objectContaining({ status: 'closed', resolution: 'attended' }));
    expect(
      (
        await api.call('POST', `/v1/appointments/${appointmentId}/outcome`, {
          as: dir.dudley.csc.practitioner.email,
          body: { status: 'attended', attendedOn: '2027-02-04' },
        })
      ).status,
    ).toBe(404);
  });

  it('resumes correctly after a sweep dies mid-batch, and two workers sweeping at once send no duplicate', async () => {
    clock.set('2027-03-01T10:00:00Z');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = (
        await api.call('POST', '/v1/transfers', {
          as: sender(),
          body: reviewFamily(dir.sandwell.hv.id, { moveDate: '2027-02-01', concerns: [] }),
        })
      ).body.id;
      expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender() })).status).toBe(200);
      ids.push(id);
    }
    const due = async () =>
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM chase_items WHERE transfer_id = ANY($1::uuid[]) AND status = 'open' AND next_chase_at <= $2`,
          [ids, clock.now()],
        )
      )[0].n;
    const before = await due();
    expect(before).toBeGreaterThan(10);
    const dueAnywhere = async () =>
      (
        await ds.query(`SELECT count(*)::int AS n FROM chase_items WHERE status = 'open' AND next_chase_at <= $1`, [
          clock.now(),
        ])
      )[0].n;
    const allBefore = await dueAnywhere();

    let handled = 0;
    await expect(
      sweeper.sweep(clock.now(), {
        batchSize: 500,
        afterItem: () => {
          if (++handled === 5) throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    // The dying batch left nothing behind: no reminder counted, no email queued.
    expect(await due()).toBe(before);
    expect(
      (
        await ds.query(
          `SELECT count(*)::int AS n FROM emails WHERE transfer_id = ANY($1::uuid[]) AND kind LIKE 'reminder.%'`,
          [ids],
        )
      )[0].n,
    ).toBe(0);

    const [a, b] = await Promise.all(workers.map((w) => w.app.get(ChaseSweeper).sweep(clock.now(), { batchSize: 3 })));
    expect(a + b).toBe(allBefore);
    expect(await dueAnywhere()).toBe(0);
    const perItem = await ds.query(
      `SELECT c.id, c.reminders, count(DISTINCT split_part(e.dedupe_key, ':', 3)) AS numbers
       FROM chase_items c LEFT JOIN emails e ON e.chase_item_id = c.id WHERE c.transfer_id = ANY($1::uuid[]) GROUP BY c.id, c.reminders`,
      [ids],
    );
    for (const row of perItem) expect(Number(row.numbers)).toBe(row.reminders);
    expect(perItem.filter((r: { reminders: number }) => r.reminders === 1)).toHaveLength(before);
  });

  it('finds due items through the partial index, whatever is open', async () => {
    await ds.query(
      `INSERT INTO chase_items (transfer_id, kind, owner_id, next_chase_at)
       SELECT $1, 'agreed_action', $2, now() + make_interval(days => 30 + g % 300) FROM generate_series(1, 20000) g`,
      [transferId, dir.sandwell.hv.practitioner.id],
    );
    await withOwnerClient(api.config.databaseUrl, (owner) => owner.query(`ANALYZE chase_items`)); // owner only
    const [{ 'QUERY PLAN': plan }] = await ds.query(`EXPLAIN (FORMAT JSON) ${DUE_ITEMS_SQL}`, [clock.now(), 200]);
    expect(JSON.stringify(plan)).toContain('"Index Name":"chase_items_due_idx"');
  });
});

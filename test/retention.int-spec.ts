import { randomUUID } from 'node:crypto';
import { DataKeyMissingError, ERASED_TABLE_NAMES, REQUEST_ERASED_TABLE_NAMES, transferCipher } from '@fh/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ChaseSweepProcessor, RETENTION_SWEEP_SCHEDULER_ID } from '../apps/worker/src/chasing/chase-sweep.processor';
import { RetentionSweeper } from '../apps/worker/src/retention/retention.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { gpOnlyFamily, reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { redisUrl } from './support/services';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

/** Tables whose rows of a transfer hold its family data, and how many rows of `transferId` each holds. */
const FAMILY_TABLES = [
  'household_members',
  'member_involvements',
  'concerns',
  'appointments',
  'direct_contacts',
  'agreed_actions',
  'flag_acknowledgements',
  'chase_items',
  'emails',
];
const DAY = 24 * 3600 * 1000;

describe('retention: erasing a transfer’s family data, pruning what was delivered (issue 12 item 12)', () => {
  // Every lifecycle time is the service clock’s: closed_at and cancelled_at are the test clock’s time
  // (closed at +24 h, cancelled at +72 h: two years and a day after the close, the cancel is a day short).
  const start = new Date();
  const at = (hours: number) => new Date(start.getTime() + hours * 3600 * 1000);
  const dateOf = (d: Date) => d.toISOString().slice(0, 10);
  const clock = new TestClock(start);
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let closedId: string;
  let cancelledId: string;
  let liveId: string;
  let closedAt: Date;

  beforeAll(async () => {
    // No reconciliation turn during the test: the pruning fixtures below include a queued email.
    smtp = await new TestSmtpServer().start();
    api = await startApi(
      { SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '86400', RECONCILE_SECONDS: '3600' },
      undefined,
      clock,
    );
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
  const rowsOf = async (transferId: string) => {
    const counts: Record<string, number> = {};
    for (const table of FAMILY_TABLES)
      counts[table] = Number(
        (await ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE transfer_id = $1`, [transferId]))[0].n,
      );
    return counts;
  };
  const erasures = (transferId: string) =>
    ds.query(
      `SELECT actor_id AS "actorId", outcome, details FROM audit_events WHERE action = 'transfer.erase' AND transfer_id = $1`,
      [transferId],
    );
  const sweep = () => worker.app.get(RetentionSweeper).sweep();

  it('walks a transfer to closed and another to cancelled two days later; with packets, emails and chase items', async () => {
    const created = await api.call('POST', '/v1/transfers', {
      as: sender(),
      body: gpOnlyFamily(dir.sandwell.hv.id, dateOf(at(-72))),
    });
    expect(created.status).toBe(201);
    closedId = created.body.id;
    expect((await api.call('POST', `/v1/transfers/${closedId}/initiate`, { as: sender() })).status).toBe(200);
    const flags = (await api.call('GET', `/v1/transfers/${closedId}`, { as: receiver() })).body.riskFlags.map(
      (f: { code: string }) => ({ code: f.code, understanding: 'understood' }),
    );
    clock.set(at(1));
    const contact = await api.call('POST', `/v1/transfers/${closedId}/direct-contact`, {
      as: receiver(),
      body: {
        occurredAt: at(0.5).toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 'Talked through the Quillfeather household',
        flagAcknowledgements: flags,
        agreedActions: [{ description: 'Register the baby with a GP', owner: 'receiving', dueOn: dateOf(at(96)) }],
      },
    });
    expect([contact.status, contact.body.message]).toEqual([200, undefined]);
    const confirm = await api.call('POST', `/v1/transfers/${closedId}/direct-contact/confirm`, {
      as: sender(),
      body: { agree: true },
    });
    expect(confirm.status).toBe(200);
    const accept = await api.call('POST', `/v1/transfers/${closedId}/accept`, {
      as: receiver(),
      body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
    });
    expect(accept.status).toBe(200);
    clock.set(at(24));
    const items = await api.call('GET', `/v1/transfers/${closedId}/chase-items`, { as: receiver() });
    // Each child recorded as seen (issue 14 item 1) through its own endpoint; the other loose ends closed with evidence.
    for (const item of items.body.filter(
      (i: { status: string; kind: string }) => i.status === 'open' && i.kind === 'child_seen',
    )) {
      const seen = await api.call('POST', `/v1/transfers/${closedId}/children/${item.memberId}/seen`, {
        as: receiver(),
        body: { seenOn: dateOf(at(-24)), seenById: dir.sandwell.hv.practitioner.id, where: 'home', seenAlone: true },
      });
      expect([seen.status, seen.body.message]).toEqual([200, undefined]);
    }
    for (const item of items.body.filter(
      (i: { status: string; kind: string }) => i.status === 'open' && i.kind !== 'child_seen',
    )) {
      const body =
        item.kind === 'gp_registration'
          ? {
              resolution: 'registered',
              evidence: { practiceOds: 'M88006', practiceName: 'Oldbury Surgery', registeredOn: dateOf(at(-24)) },
            }
          : { resolution: 'completed', evidence: { note: 'registered at Oldbury Surgery' } };
      const closed = await api.call('POST', `/v1/chase-items/${item.id}/close`, { as: receiver(), body });
      expect([closed.status, closed.body]).toEqual([200, expect.objectContaining({ status: 'closed' })]);
    }
    const closedTransfer = await api.call('GET', `/v1/transfers/${closedId}`, { as: receiver() });
    expect(closedTransfer.body.status).toBe('closed');
    closedAt = new Date(closedTransfer.body.closedAt);
    // closed by the last chase item's close, at the service clock's time, not the database's
    expect(closedAt).toEqual(at(24));

    clock.set(at(72));
    cancelledId = (await api.call('POST', '/v1/transfers', { as: sender(), body: reviewFamily(dir.sandwell.hv.id) }))
      .body.id;
    expect((await api.call('POST', `/v1/transfers/${cancelledId}/initiate`, { as: sender() })).status).toBe(200);
    const cancel = await api.call('POST', `/v1/transfers/${cancelledId}/cancel`, {
      as: sender(),
      body: { reason: 'the family stayed in Birmingham' },
    });
    expect([cancel.status, cancel.body.status]).toEqual([200, 'cancelled']);
    const cancelled = await api.call('GET', `/v1/transfers/${cancelledId}`, { as: sender() });
    expect(new Date(cancelled.body.cancelledAt)).toEqual(at(72));

    liveId = (await api.call('POST', '/v1/transfers', { as: sender(), body: reviewFamily(dir.sandwell.hv.id) })).body
      .id;
    expect((await api.call('POST', `/v1/transfers/${liveId}/initiate`, { as: sender() })).status).toBe(200);

    await waitFor(
      'a packet of the closed transfer',
      async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [closedId])).length > 0,
      60_000, // the packet job under a loaded machine (a full run)
    );
    await waitFor(
      'no email still queued',
      async () => (await ds.query(`SELECT 1 FROM emails WHERE status = 'queued'`)).length === 0,
      60_000,
    );
    const before = await rowsOf(closedId);
    for (const table of ['household_members', 'direct_contacts', 'agreed_actions', 'chase_items', 'emails'])
      expect([table, before[table]]).toEqual([table, expect.any(Number)]);
    expect(before.household_members).toBeGreaterThan(0);
    expect(before.emails).toBeGreaterThan(0);
    expect(before.chase_items).toBeGreaterThan(0);
    expect((await rowsOf(cancelledId)).household_members).toBeGreaterThan(0);
  }, 180_000);

  it('erases a transfer closed 2 years and 1 day ago, not one cancelled a day short of it, nor a live one', async () => {
    // The stored packet is sealed under the transfer's data key, and opens before…
    const packetDocument = async () =>
      (await ds.query(`SELECT document FROM packets WHERE transfer_id = $1 ORDER BY version LIMIT 1`, [closedId]))[0]
        .document as string;
    const stored = await packetDocument();
    expect(stored.startsWith('fh1:')).toBe(true);
    expect((await transferCipher(ds.manager, closedId)).open('packets.document', stored)).toContain('Quillfeather');
    clock.set(new Date(closedAt.getTime() + 731 * DAY));
    const outcome = await sweep();
    expect(outcome.erased).toBe(1);

    // …and never after: the data key is destroyed (crypto-shredding), while the packet rows stay as they were.
    expect(await ds.query(`SELECT 1 FROM transfer_keys WHERE transfer_id = $1`, [closedId])).toEqual([]);
    await expect(transferCipher(ds.manager, closedId)).rejects.toBeInstanceOf(DataKeyMissingError);
    expect(await packetDocument()).toBe(stored);
    expect(await ds.query(`SELECT 1 FROM transfer_keys WHERE transfer_id = $1`, [cancelledId])).toHaveLength(1);

    // Every mutable row holding the family's data is gone…
    expect(Object.values(await rowsOf(closedId)).every((n) => n === 0)).toBe(true);
    // …and the row left is the tombstone: reference, areas, teams, status, dates and flag codes only.
    const [tomb] = await ds.query(
      `SELECT reference, status, sending_area_id, receiving_area_id, sending_team_id, receiving_team_id, closed_at, created_at,
              erased_at, reason, new_address, support_network_note, previous_address_area, short_stay_reason, cancel_reason, risk_flags
       FROM transfers WHERE id = $1`,
      [closedId],
    );
    expect(tomb).toEqual(
      expect.objectContaining({
        status: 'closed',
        sending_team_id: dir.birmingham.hv.id,
        receiving_team_id: dir.sandwell.hv.id,
        closed_at: closedAt,
        erased_at: new Date(closedAt.getTime() + 731 * DAY),
        reason: null,
        new_address: null,
        support_network_note: null,
        previous_address_area: null,
        short_stay_reason: null,
        cancel_reason: null,
      }),
    );
    expect(tomb.reference).toMatch(/^HT-/);
    for (const flag of tomb.risk_flags)
      expect(flag).toEqual({ code: expect.any(String), severity: expect.any(String), memberIds: [], summary: '' });
    expect(JSON.stringify(tomb)).not.toMatch(/Quillfeather|Baby|Chase|B70 9ZZ/);

    // The erasure is audited, by the system, with counts only.
    const [event, ...more] = await erasures(closedId);
    expect(more).toEqual([]);
    expect(event).toEqual(
      expect.objectContaining({
        actorId: null,
        outcome: 'succeeded',
        details: expect.objectContaining({
          retentionDays: 730,
          dataKeyDestroyed: true,
          deleted: expect.objectContaining({ householdMembers: expect.any(Number), emails: expect.any(Number) }),
        }),
      }),
    );
    expect(event.details.deleted.householdMembers).toBeGreaterThan(0);

    // The cancelled one (729 days) and the live one keep everything.
    expect((await rowsOf(cancelledId)).household_members).toBeGreaterThan(0);
    expect((await rowsOf(liveId)).household_members).toBeGreaterThan(0);
    expect(await erasures(cancelledId)).toEqual([]);
  });

  it('answers 410 for the erased transfer and its packets (audited as refused), keeps it in the lists', async () => {
    const view = await api.call('GET', `/v1/transfers/${closedId}`, { as: receiver() });
    expect(view.status).toBe(410);
    expect(view.body).toEqual({
      statusCode: 410,
      error: 'Gone',
      code: 'ERASED',
      message: [
        expect.stringMatching(
          /^the family data of transfer HT-\S+ was erased on \d{4}-\d\d-\d\d at the end of its retention period/,
        ),
      ],
    });
    for (const path of ['packet', 'packet.pdf', 'packets/1']) {
      const packet = await api.call('GET', `/v1/transfers/${closedId}/${path}`, { as: receiver() });
      expect([path, packet.status, packet.body.code]).toEqual([path, 410, 'ERASED']);
    }
    // Someone who could never see it still gets 404, as for any transfer they may not see.
    expect((await api.call('GET', `/v1/transfers/${closedId}`, { as: dir.dudley.lead.email })).status).toBe(404);
    const refusals = await ds.query(
      `SELECT action FROM audit_events WHERE transfer_id = $1 AND outcome = 'refused' AND reason_code = 'ERASED' ORDER BY id`,
      [closedId],
    );
    expect(refusals.map((r: { action: string }) => r.action)).toEqual([
      'transfer.view',
      'packet.view',
      'packet.pdf_view',
      'packet.view',
    ]);
    // The not-yet-erased one still answers in full.
    expect((await api.call('GET', `/v1/transfers/${cancelledId}`, { as: sender() })).status).toBe(200);
    // Lists and statistics keep counting it, from the tombstone.
    const list = await api.call('GET', '/v1/transfers?direction=incoming&status=closed', { as: receiver() });
    expect(list.body.items.map((t: { id: string }) => t.id)).toContain(closedId);
    const summary = await api.call('GET', '/v1/monitoring/summary', { as: dir.sandwell.hv.manager.email });
    expect([summary.status, summary.body.countsByStatus]).toEqual([
      200,
      expect.objectContaining({ closed: 1, cancelled: 1, awaiting_contact: 1 }),
    ]);
    // Its audit trail (ids and codes only) stays readable by managers and leads.
    expect((await api.call('GET', `/v1/transfers/${closedId}/audit`, { as: dir.sandwell.lead.email })).status).toBe(
      200,
    );
  });

  it('is a no-op run again, and erases the cancelled one when its day comes', async () => {
    expect((await sweep()).erased).toBe(0);
    expect(await erasures(closedId)).toHaveLength(1);
    clock.set(new Date(at(72).getTime() + 731 * DAY));
    expect((await sweep()).erased).toBe(1);
    expect(Object.values(await rowsOf(cancelledId)).every((n) => n === 0)).toBe(true);
    expect(await ds.query(`SELECT 1 FROM transfer_keys WHERE transfer_id = $1`, [cancelledId])).toEqual([]);
    expect(await erasures(cancelledId)).toHaveLength(1);
    expect((await rowsOf(liveId)).household_members).toBeGreaterThan(0);
    expect((await sweep()).erased).toBe(0);
  });

  it('prunes sent emails and dispatched outbox rows past DELIVERED_RETENTION_DAYS, never one still to do', async () => {
    const now = clock.now().getTime();
    const ago = (days: number) => new Date(now - days * DAY);
    const email = async (status: string, sentDaysAgo: number | null, createdDaysAgo: number) => {
      const id = randomUUID();
      await ds.query(
        `INSERT INTO emails (id, kind, recipient, subject, body, message_id, dedupe_key, status, created_at, sent_at)
         VALUES ($1, 'test', 'someone@handover.test', 's', 'b', $2, $3, $4, $5, $6)`,
        [
          id,
          `<${id}@handover.test>`,
          `test:${id}`,
          status,
          ago(createdDaysAgo),
          sentDaysAgo === null ? null : ago(sentDaysAgo),
        ],
      );
      return id;
    };
    const outbox = async (payload: object, dispatchedDaysAgo: number | null, jobName = 'email.send') => {
      const [{ id }] = await ds.query(
        `INSERT INTO outbox (job_name, payload, available_at, created_at, dispatched_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [
          jobName,
          JSON.stringify(payload),
          dispatchedDaysAgo === null ? new Date('2099-01-01T00:00:00Z') : ago(dispatchedDaysAgo + 1),
          ago((dispatchedDaysAgo ?? 100) + 1),
          dispatchedDaysAgo === null ? null : ago(dispatchedDaysAgo),
        ],
      );
      return id as string;
    };
    const sentOld = await email('sent', 31, 31);
    const sentRecent = await email('sent', 29, 29);
    const queuedOld = await email('queued', null, 100);
    const failedOld = await email('failed', null, 100);
    const outboxOld = await outbox({ emailId: sentOld }, 31);
    const outboxRecent = await outbox({ emailId: sentRecent }, 29);
    const outboxOfQueued = await outbox({ emailId: queuedOld }, 100);
    const outboxPacketOld = await outbox({ transferId: liveId }, 40, 'packet.generate');
    const outboxPending = await outbox({ transferId: liveId }, null, 'packet.generate');

    const outcome = await sweep();
    expect(outcome.erased).toBe(0);
    const emailsLeft = (
      await ds.query(`SELECT id FROM emails WHERE id = ANY($1)`, [[sentOld, sentRecent, queuedOld, failedOld]])
    ).map((r: { id: string }) => r.id);
    expect(emailsLeft.sort()).toEqual([sentRecent, queuedOld, failedOld].sort());
    const outboxLeft = (
      await ds.query(`SELECT id FROM outbox WHERE id = ANY($1)`, [
        [outboxOld, outboxRecent, outboxOfQueued, outboxPacketOld, outboxPending],
      ])
    ).map((r: { id: string }) => r.id);
    expect(outboxLeft.sort()).toEqual([outboxRecent, outboxOfQueued, outboxPending].sort());
    expect(outcome.emails).toBeGreaterThanOrEqual(1);
    expect(outcome.outbox).toBeGreaterThanOrEqual(2);
    // Run again: nothing more goes.
    expect(await sweep()).toEqual({ erased: 0, erasedRequests: 0, outbox: 0, emails: 0 });
  });

  it('runs nightly from a BullMQ schedule, put back if Redis forgets it', async () => {
    const queue = new Queue('chasing', { connection: { url: redisUrl() }, prefix: api.config.queuePrefix });
    try {
      await waitFor('the retention schedule', async () =>
        Boolean(await queue.getJobScheduler(RETENTION_SWEEP_SCHEDULER_ID)),
      );
      expect(await queue.getJobScheduler(RETENTION_SWEEP_SCHEDULER_ID)).toEqual(
        expect.objectContaining({ name: 'retention.sweep', pattern: '30 2 * * *', tz: 'Europe/London' }),
      );
      await queue.removeJobScheduler(RETENTION_SWEEP_SCHEDULER_ID);
      expect(await worker.app.get(ChaseSweepProcessor).rescheduleIfForgotten()).toBe(true);
      expect(await queue.getJobScheduler(RETENTION_SWEEP_SCHEDULER_ID)).toBeTruthy();
      expect(await worker.app.get(ChaseSweepProcessor).rescheduleIfForgotten()).toBe(false);
    } finally {
      await queue.close();
    }
  });

  it('leaves out no table that refers to a transfer: each is erased, is the key destroyed, or is immutable and shredded by it', async () => {
    const referencing = await ds.query(
      `SELECT DISTINCT c.conrelid::regclass::text AS table FROM pg_constraint c
       WHERE c.contype = 'f' AND c.confrelid = 'transfers'::regclass ORDER BY 1`,
    );
    // packets: immutable, unreadable once transfer_keys' row (the data key) is destroyed.
    const immutable = ['packets', 'transfer_keys'];
    // transfer_requests (its linked draft): erased by its own rule (eraseTransferRequestData), below.
    for (const { table } of referencing)
      expect([
        table,
        ERASED_TABLE_NAMES.includes(table) || immutable.includes(table) || REQUEST_ERASED_TABLE_NAMES.includes(table),
      ]).toEqual([table, true]);
  });

  it('finds what it deletes through indexes: every foreign key into a table rows are deleted from, and the transfer_id an erasure deletes by, leads an index', async () => {
    // A foreign key with no index leading with its column makes every deleted row it refers to a
    // whole-table scan of the referencing table (PostgreSQL's cascade, set-null and no-action checks).
    const unindexed = await ds.query(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.confrelid::regclass::text = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
       UNION ALL
       SELECT a.attrelid::regclass::text, a.attname FROM pg_attribute a
       WHERE a.attrelid::regclass::text = ANY($2) AND a.attname = 'transfer_id' AND NOT a.attisdropped
         AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indkey[0] = a.attnum)
       ORDER BY 1, 2`,
      [[...ERASED_TABLE_NAMES, ...REQUEST_ERASED_TABLE_NAMES], ERASED_TABLE_NAMES],
    );
    expect(unindexed).toEqual([]);
  });

  it('leaves out no table that refers to a transfer request (issue 14 item 3): each is erased with it', async () => {
    const referencing = await ds.query(
      `SELECT DISTINCT c.conrelid::regclass::text AS table FROM pg_constraint c
       WHERE c.contype = 'f' AND c.confrelid = 'transfer_requests'::regclass ORDER BY 1`,
    );
    expect(referencing.length).toBeGreaterThan(0);
    for (const { table } of referencing)
      expect([table, REQUEST_ERASED_TABLE_NAMES.includes(table)]).toEqual([table, true]);
  });
});

/**
 * Signs of non-engagement over HTTP (issue 14 item 5), on real PostgreSQL, Redis and SMTP: a single
 * no-access visit for a child on a child protection plan emails both areas' safeguarding leads at
 * once (no personal data); carer cancellations and reschedules across the family raise the high flag
 * REPEATED_CANCELLATIONS; a third area is told the appointment does not exist.
 */
import { RISK_FLAG_TITLES } from '@fh/domain';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('appointment outcomes: no access, cancelled by the carer, rescheduled', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let sender: string;
  let receiver: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
    sender = dir.birmingham.hv.practitioner.email;
    receiver = dir.sandwell.hv.practitioner.email;
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  /** An initiated transfer with three scheduled appointments: the baby's two, the sibling's one. */
  const initiated = async (overrides: Record<string, unknown> = {}) => {
    const body = reviewFamily(dir.sandwell.hv.id, {
      concerns: [],
      appointments: [
        { memberRef: 'baby', kind: 'health_visitor_review', provider: 'HV', dueOn: inDays(1), status: 'scheduled' },
        { memberRef: 'baby', kind: 'immunisation', provider: 'GP', dueOn: inDays(2), status: 'scheduled' },
        { memberRef: 'sibling', kind: 'immunisation', provider: 'GP', dueOn: inDays(3), status: 'scheduled' },
      ],
      ...overrides,
    });
    const created = await api.call('POST', '/v1/transfers', { as: sender, body });
    expect(created.status).toBe(201);
    const started = await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender });
    expect(started.status).toBe(200);
    return started.body as { id: string; appointments: { id: string; memberId: string }[] };
  };
  const emails = (transferId: string) =>
    ds.query(
      `SELECT kind, recipient, status, message_id AS "messageId" FROM emails WHERE transfer_id = $1 ORDER BY recipient`,
      [transferId],
    );
  const codes = async (id: string) =>
    (await api.call('GET', `/v1/transfers/${id}`, { as: receiver })).body.riskFlags.map(
      (f: { code: string }) => f.code,
    );

  it('a single no-access visit for a child on a plan emails both areas’ safeguarding leads at once, with no personal data', async () => {
    const transfer = await initiated({ involvement: 'child_protection' });
    const [visit] = transfer.appointments;
    const outcome = await api.call('POST', `/v1/appointments/${visit!.id}/outcome`, {
      as: receiver,
      body: { status: 'no_access' },
    });
    expect(outcome.status).toBe(200);
    expect(outcome.body).toEqual(expect.objectContaining({ status: 'no_access', rebookedFor: null }));
    // to the top of the ladder: owner, manager and both areas' leads
    expect(outcome.body.chaseItem).toEqual(expect.objectContaining({ status: 'open', escalationLevel: 2 }));
    const flags = (await api.call('GET', `/v1/transfers/${transfer.id}`, { as: sender })).body.riskFlags;
    expect(flags.find((f: { code: string }) => f.code === 'WAS_NOT_BROUGHT')).toEqual(
      expect.objectContaining({ severity: 'high', summary: 'no access at 1 home visit for 1 child' }),
    );

    const alerted = async () =>
      (await emails(transfer.id)).filter((e: { kind: string }) => e.kind === 'appointment.missed_on_plan');
    await waitFor('the leads’ emails to be sent', async () => {
      const rows = await alerted();
      return rows.length === 2 && rows.every((r: { status: string }) => r.status === 'sent');
    });
    const rows = await alerted();
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
      'health_visitor_review',
    ].filter((s): s is string => typeof s === 'string');
    for (const row of rows) {
      const mail = smtp.messages.find((m) => m.messageId === row.messageId)!;
      expect(mail).toBeDefined();
      expect(mail.subject).toMatch(/HT-\d{4}-\d{6}: a child on a child protection plan was not seen at an appointment/);
      for (const secret of forbidden) expect(mail.raw.toLowerCase()).not.toContain(secret.toLowerCase());
      for (const { title } of Object.values(RISK_FLAG_TITLES)) expect(mail.raw).not.toContain(title);
      expect(mail.raw).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
    }

    // The same outcome for a family not on a plan alerts nobody at once (escalated one level only).
    const other = await initiated();
    const quiet = await api.call('POST', `/v1/appointments/${other.appointments[0]!.id}/outcome`, {
      as: receiver,
      body: { status: 'no_access' },
    });
    expect(quiet.body.chaseItem).toEqual(expect.objectContaining({ escalationLevel: 1 }));
    expect((await emails(other.id)).filter((e: { kind: string }) => e.kind === 'appointment.missed_on_plan')).toEqual(
      [],
    );
  });

  it('three reschedules across two siblings raise REPEATED_CANCELLATIONS; a reschedule needs its date; a third area gets 404', async () => {
    const transfer = await initiated();
    const [a, b, c] = transfer.appointments;
    expect(await codes(transfer.id)).not.toContain('REPEATED_CANCELLATIONS');
    const noDate = await api.call('POST', `/v1/appointments/${a!.id}/outcome`, {
      as: receiver,
      body: { status: 'rescheduled' },
    });
    expect(noDate.status).toBe(422);
    expect(noDate.body.message).toEqual(['give rescheduledFor as YYYY-MM-DD']);
    const badDate = await api.call('POST', `/v1/appointments/${a!.id}/outcome`, {
      as: receiver,
      body: { status: 'rescheduled', rescheduledFor: '2026-02-30' },
    });
    expect(badDate.status).toBe(400);

    const moved = await api.call('POST', `/v1/appointments/${a!.id}/outcome`, {
      as: receiver,
      body: { status: 'rescheduled', rescheduledFor: inDays(10) },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual(expect.objectContaining({ status: 'rescheduled', rescheduledFor: inDays(10) }));
    expect(moved.body.chaseItem).toEqual(expect.objectContaining({ status: 'open', escalationLevel: 0 }));
    expect(await codes(transfer.id)).not.toContain('REPEATED_CANCELLATIONS');
    for (const [appointment, by] of [
      [b!, sender],
      [c!, receiver],
    ] as const) {
      const r = await api.call('POST', `/v1/appointments/${appointment.id}/outcome`, {
        as: by,
        body: { status: 'rescheduled', rescheduledFor: inDays(12) },
      });
      expect(r.status).toBe(200);
    }
    const view = (await api.call('GET', `/v1/transfers/${transfer.id}`, { as: receiver })).body;
    const flag = view.riskFlags.find((f: { code: string }) => f.code === 'REPEATED_CANCELLATIONS');
    expect(flag).toEqual(
      expect.objectContaining({
        severity: 'high',
        summary:
          'possible disguised compliance: 3 appointments cancelled or rescheduled by the carer across 2 children',
      }),
    );
    expect(view.appointments.map((x: { status: string }) => x.status)).toEqual([
      'rescheduled',
      'rescheduled',
      'rescheduled',
    ]);
    // Not a critical flag: nobody's advice is needed before acceptance, and no email went to the leads.
    expect(flag.severity).not.toBe('critical');

    // Attending later does not erase the carer's cancellations.
    expect(
      (
        await api.call('POST', `/v1/appointments/${a!.id}/outcome`, {
          as: receiver,
          body: { status: 'attended', attendedOn: today() },
        })
      ).body.chaseItem,
    ).toEqual(expect.objectContaining({ status: 'closed', resolution: 'attended' }));
    expect(await codes(transfer.id)).toContain('REPEATED_CANCELLATIONS');

    // A carer's cancellation: kept open, at its level, with the rebooked date.
    const cancelled = await api.call('POST', `/v1/appointments/${b!.id}/outcome`, {
      as: receiver,
      body: { status: 'cancelled_by_carer', rebookedFor: inDays(20) },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual(expect.objectContaining({ status: 'cancelled_by_carer', rebookedFor: inDays(20) }));
    const stored = await ds.query(`SELECT carer_cancellations AS n FROM appointments WHERE id = $1`, [b!.id]);
    expect(stored[0].n).toBe(2);

    // A third area: the appointment does not exist for them, and nothing changed.
    const dudley = await api.call('POST', `/v1/appointments/${c!.id}/outcome`, {
      as: dir.dudley.csc.practitioner.email,
      body: { status: 'no_access' },
    });
    expect(dudley.status).toBe(404);
    const lead = await api.call('POST', `/v1/appointments/${c!.id}/outcome`, {
      as: dir.dudley.lead.email,
      body: { status: 'no_access' },
    });
    expect(lead.status).toBe(404);
    expect((await ds.query(`SELECT status FROM appointments WHERE id = $1`, [c!.id]))[0].status).toBe('rescheduled');
  });

  it('a cancellation and a reschedule given when the transfer is created count too, and attending later keeps them', async () => {
    const transfer = await initiated({
      appointments: [
        { memberRef: 'baby', kind: 'immunisation', provider: 'GP', dueOn: inDays(-10), status: 'cancelled_by_carer' },
        { memberRef: 'sibling', kind: 'immunisation', provider: 'GP', dueOn: inDays(-5), status: 'rescheduled' },
      ],
    });
    expect(await codes(transfer.id)).toContain('REPEATED_CANCELLATIONS');
    for (const appointment of transfer.appointments) {
      const r = await api.call('POST', `/v1/appointments/${appointment.id}/outcome`, {
        as: receiver,
        body: { status: 'attended', attendedOn: today() },
      });
      expect(r.status).toBe(200);
    }
    expect(await codes(transfer.id)).toContain('REPEATED_CANCELLATIONS');
  });
});

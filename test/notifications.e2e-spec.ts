import { RISK_FLAG_TITLES } from '@fh/domain';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

describe('notifications through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  let sender: string;
  let receiver: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    // The console has its own public URL: every email's link opens a page there, not the API.
    api = await startApi({ SMTP_URL: smtp.url(), WEB_BASE_URL: 'https://console.handover.test/' });
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

  const emailRows = (transferId: string) =>
    ds.query(
      `SELECT id, kind, recipient, status, attempts, message_id AS "messageId", last_error AS "lastError" FROM emails WHERE transfer_id = $1 ORDER BY created_at, recipient`,
      [transferId],
    );
  const settled = async (transferId: string) =>
    (await emailRows(transferId)).every((e: { status: string }) => e.status !== 'queued');
  const create = async (overrides: Record<string, unknown> = {}) => {
    const response = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: reviewFamily(dir.sandwell.hv.id, overrides),
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const initiate = async (id: string) =>
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);

  it('tells the receiving team on initiation, and both areas’ safeguarding leads about critical flags', async () => {
    const id = await create();
    await initiate(id);
    await waitFor('the emails to be sent', () => settled(id));
    const rows = await emailRows(id);
    expect(
      rows
        .map((r: { kind: string; recipient: string; status: string }) => `${r.kind} → ${r.recipient}: ${r.status}`)
        .sort(),
    ).toEqual(
      [
        'critical_flags → lead@birmingham.test: sent',
        'critical_flags → lead@sandwell.test: sent',
        'transfer.initiated → hv@sandwell.test: sent',
      ].sort(),
    );
    const initiated = smtp.messages.find(
      (m) => m.messageId === rows.find((r: { kind: string }) => r.kind === 'transfer.initiated').messageId,
    );
    expect(initiated).toBeDefined();
    expect(initiated!.to).toEqual(['hv@sandwell.test']);
    expect(initiated!.subject).toMatch(/HT-\d{4}-\d{6}: a family has moved into your area — direct contact needed by/);
    expect(initiated!.text).toContain(`Open the transfer: https://console.handover.test/transfers/${id}\n`);
    expect(initiated!.text).not.toContain('/v1/');
    expect(initiated!.text).not.toContain('http://handover.test');
  });

  it('tells the safeguarding leads that critical flags need them without naming the kind of concern', async () => {
    const id = await create();
    await initiate(id);
    await waitFor('the emails to be sent', () => settled(id));
    const rows = await emailRows(id);
    const critical = rows
      .filter((r: { kind: string }) => r.kind === 'critical_flags')
      .map((r: { messageId: string }) => smtp.messages.find((m) => m.messageId === r.messageId));
    expect(critical).toHaveLength(2);
    const reference = (await api.call('GET', `/v1/transfers/${id}`, { as: sender })).body.reference as string;
    for (const mail of critical) {
      expect(mail).toBeDefined();
      const said = `${mail!.subject}\n${mail!.text}`;
      expect(mail!.subject).toContain(reference);
      expect(mail!.text).toContain('carries 2 critical flags');
      // Neither a flag's title nor its explanation, in any wording: the kind of concern is family data.
      for (const { title, why } of Object.values(RISK_FLAG_TITLES)) {
        expect(said).not.toContain(title);
        expect(said).not.toContain(why);
      }
      for (const code of Object.keys(RISK_FLAG_TITLES)) expect(mail!.raw).not.toContain(code);
      expect(said).not.toMatch(/bruis|injur|baby|non-mobile|not yet mobile|not independently mobile/i);
    }
  });

  it('retries a 452 reply and then delivers once', async () => {
    smtp.reply(452, 'Requested action not taken: insufficient system storage', 2);
    const before = smtp.messages.length;
    const id = await create({ concerns: [] });
    await initiate(id);
    await waitFor('delivery after the 452s', () => settled(id));
    const [row] = await emailRows(id);
    expect(row).toEqual(
      expect.objectContaining({ kind: 'transfer.initiated', status: 'sent', attempts: 3, lastError: null }),
    );
    expect(smtp.messages.slice(before).filter((m) => m.messageId === row.messageId)).toHaveLength(1);
  });

  it('marks a 550 reply failed, without a retry storm', async () => {
    smtp.reply(550, 'No such mailbox', 1);
    const attemptsBefore = smtp.attempts;
    const id = await create({ concerns: [] });
    await initiate(id);
    await waitFor('the failure', () => settled(id));
    await new Promise((r) => setTimeout(r, 3_000));
    const [row] = await emailRows(id);
    expect(row).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550') }),
    );
    expect(smtp.attempts - attemptsBefore).toBe(1);
    const metrics = await fetch(`http://127.0.0.1:${(worker.server.address() as { port: number }).port}/metrics`).then(
      (r) => r.text(),
    );
    expect(metrics).toMatch(/emails_failed_total\{service="worker"\} [1-9]/);
  });

  it('delivers the backlog exactly once when the mail server comes back', async () => {
    await smtp.stop();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await create({ concerns: [] }));
      await initiate(ids[i]);
    }
    await new Promise((r) => setTimeout(r, 2_500));
    const waiting = (await Promise.all(ids.map(emailRows))).flat();
    expect(waiting.every((e: { status: string }) => e.status === 'queued')).toBe(true);
    expect(waiting.some((e: { attempts: number }) => e.attempts > 0)).toBe(true);

    await smtp.start();
    await waitFor('the backlog', async () => (await Promise.all(ids.map(settled))).every(Boolean), 60_000);
    const rows = (await Promise.all(ids.map(emailRows))).flat();
    expect(rows.every((e: { status: string }) => e.status === 'sent')).toBe(true);
    for (const row of rows) expect(smtp.messages.filter((m) => m.messageId === row.messageId)).toHaveLength(1);
  }, 90_000);

  it('never puts a name, date of birth, NHS number or address in any email', async () => {
    // Every notification the service sends, for a family with distinctive details.
    const a = await create();
    await initiate(a);
    const flags = (await api.call('GET', `/v1/transfers/${a}`, { as: receiver })).body.riskFlags.map(
      (f: { code: string }) => ({
        code: f.code,
        understanding: 'understood',
      }),
    );
    const contact = (method = 'phone') =>
      api.call('POST', `/v1/transfers/${a}/direct-contact`, {
        as: receiver,
        body: {
          occurredAt: new Date().toISOString(),
          method,
          sendingPractitionerId: dir.birmingham.hv.practitioner.id,
          summary: 'Talked about Zephyrine and Barnaby',
          flagAcknowledgements: flags,
        },
      });
    expect((await contact()).status).toBe(200);
    expect(
      (
        await api.call('POST', `/v1/transfers/${a}/direct-contact/confirm`, {
          as: sender,
          body: { agree: false, comment: 'Barnaby Thistlewood’s order was not discussed' },
        })
      ).status,
    ).toBe(200);
    expect((await contact('video')).status).toBe(200);
    expect(
      (await api.call('POST', `/v1/transfers/${a}/direct-contact/confirm`, { as: sender, body: { agree: true } }))
        .status,
    ).toBe(200);
    for (const code of ['NON_MOBILE_INFANT_BRUISING', 'SAFEGUARDING_ADVICE_NOT_SOUGHT']) {
      expect(
        (
          await api.call('POST', `/v1/transfers/${a}/flags/${code}/acknowledge`, {
            as: dir.sandwell.lead.email,
            body: { advice: 'medical for Zephyrine' },
          })
        ).status,
      ).toBe(200);
    }
    expect(
      (
        await api.call('POST', `/v1/transfers/${a}/accept`, {
          as: receiver,
          body: { leadPractitionerId: dir.sandwell.hv.practitioner.id },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api.call('POST', `/v1/transfers/${a}/reassign`, {
          as: dir.sandwell.hv.manager.email,
          body: { practitionerId: dir.sandwell.hv.manager.id },
        })
      ).status,
    ).toBe(200);
    const b = await create();
    await initiate(b);
    expect(
      (
        await api.call('POST', `/v1/transfers/${b}/return`, {
          as: receiver,
          body: { reason: 'Zephyrine lives at 12 Quillfeather Row' },
        })
      ).status,
    ).toBe(200);
    const c = await create();
    await initiate(c);
    expect(
      (
        await api.call('POST', `/v1/transfers/${c}/cancel`, {
          as: sender,
          body: { reason: 'Quillfeather family did not move' },
        })
      ).status,
    ).toBe(200);
    await waitFor('every email', async () => (await Promise.all([a, b, c].map(settled))).every(Boolean));

    const kinds = new Set((await Promise.all([a, b, c].map(emailRows))).flat().map((e: { kind: string }) => e.kind));
    expect([...kinds].sort()).toEqual(
      [
        'contact.check_back',
        'contact.confirmed',
        'contact.disputed',
        'critical_flags',
        'transfer.accepted',
        'transfer.cancelled',
        'transfer.initiated',
        'transfer.reassigned',
        'transfer.returned',
      ].sort(),
    );
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
      family.newAddress.town,
      'Quillfeather',
      'Zephyrine',
      'Barnaby',
      'fading bruise',
      'maternal grandparents',
    ].filter((s): s is string => typeof s === 'string');
    expect(smtp.messages.length).toBeGreaterThan(10);
    for (const message of smtp.messages) {
      for (const secret of forbidden)
        expect({
          subject: message.subject,
          leaked: message.raw.toLowerCase().includes(secret.toLowerCase()) ? secret : null,
        }).toEqual({
          subject: message.subject,
          leaked: null,
        });
      // dates of birth in other common formats too
      expect(message.raw).not.toMatch(/\b(19|20)\d\d-\d\d-\d\d\b/);
    }
  }, 60_000);
});

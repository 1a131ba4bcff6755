import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const OUTAGE_MS = 10_000;

/**
 * SMTP unreachable (connections refused) for an outage long enough for many retries — the backoff is
 * shortened to 50 ms, doubling, by EMAIL_RETRY_BASE_MS — then back: every email is delivered, once.
 */
describe('fault: SMTP unreachable for a long outage, then back', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), EMAIL_RETRY_BASE_MS: '50' });
    worker = await startWorker(api.config);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.stop();
  }, 60_000);

  it('delivers every email exactly once after the outage', async () => {
    const dir = await seedDirectory(api);
    await smtp.stop();
    const downAt = Date.now();
    const sender = dir.birmingham.hv.practitioner.email;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
      expect(created.status).toBe(201);
      expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender })).status).toBe(200);
      ids.push(created.body.id);
    }
    const ds = api.app.get(DataSource);
    const rows = async () =>
      (await ds.query(
        `SELECT id, status, attempts, message_id AS "messageId" FROM emails WHERE transfer_id = ANY($1)`,
        [ids],
      )) as {
        id: string;
        status: string;
        attempts: number;
        messageId: string;
      }[];
    await waitFor(
      'every email to have failed to connect at least once',
      async () => (await rows()).every((r) => r.attempts >= 1),
      20_000,
    );
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
    const during = await rows();
    expect(during.every((r) => r.status === 'queued')).toBe(true);
    expect(smtp.messages).toHaveLength(0);

    await smtp.start();
    const upAt = Date.now();
    await waitFor('every email to be sent', async () => (await rows()).every((r) => r.status === 'sent'), 60_000);
    const deliveredAfterMs = Date.now() - upAt;
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would arrive now

    const after = await rows();
    const received = smtp.messages.map((m) => m.messageId);
    expect(received.sort()).toEqual(after.map((r) => r.messageId).sort());
    expect(new Set(received).size).toBe(received.length);
    expect(smtp.errors).toEqual([]);

    const attempts = during.map((r) => r.attempts);
    reportFigures({
      fault: 'smtp-outage',
      emails: after.length,
      outageMs: upAt - downAt,
      failedAttemptsDuringOutage: { min: Math.min(...attempts), max: Math.max(...attempts) },
      allDeliveredAfterMs: deliveredAfterMs,
      delivered: received.length,
      duplicates: received.length - new Set(received).size,
      lost: after.length - received.length,
    });
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

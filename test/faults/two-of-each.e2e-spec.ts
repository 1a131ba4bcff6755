import { QUEUES } from '@fh/queues';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const SWEEP_SECONDS = 1;
const WINDOW_MS = 8_000;

/**
 * Two APIs and two workers on the same PostgreSQL, Redis and queue prefix: the job schedulers are
 * not multiplied (each worker upserts the same ids), the chase sweep runs once per interval, not
 * once per worker, and no email is sent twice although both workers relay and send.
 */
describe('fault: two APIs and two workers on the same PostgreSQL and Redis', () => {
  let smtp: TestSmtpServer;
  const apis: RunningApi[] = [];
  const workers: RunningWorker[] = [];
  let chasing: Queue;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    const first = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: String(SWEEP_SECONDS) });
    apis.push(first);
    apis.push(
      await startApi(
        { SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: String(SWEEP_SECONDS), QUEUE_PREFIX: first.config.queuePrefix },
        first.config.databaseUrl,
      ),
    );
    workers.push(await startWorker(first.config), await startWorker(first.config));
    chasing = new Queue(QUEUES.chasing, {
      connection: { url: first.config.redisUrl },
      prefix: first.config.queuePrefix,
    });
  }, 60_000);
  afterAll(async () => {
    await chasing?.close();
    await Promise.all(workers.map((w) => w.close()));
    await apis[1]?.close();
    await apis[0]?.close();
    await smtp?.stop();
  }, 60_000);

  it('one schedule each, one sweep per interval, no duplicate email', async () => {
    const [a, b] = apis;
    const dir = await seedDirectory(a);
    const sender = dir.birmingham.hv.practitioner.email;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const via = i % 2 ? b : a;
      const created = await via.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
      expect(created.status).toBe(201);
      expect(
        (await (i % 2 ? a : b).call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender })).status,
      ).toBe(200);
      ids.push(created.body.id);
    }

    await waitFor('the three schedulers', async () => (await chasing.getJobSchedulersCount()) === 3, 20_000);
    const windowStart = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const windowEnd = Date.now();
    const schedulers = await chasing.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['chase-sweep', 'daily-digest', 'retention-sweep']);

    const jobs = await chasing.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed']);
    const sweeps = jobs.filter(
      (j) => j.name === 'chase.sweep' && (j.processedOn ?? 0) >= windowStart && (j.processedOn ?? 0) < windowEnd,
    );
    const intervals = WINDOW_MS / (SWEEP_SECONDS * 1000);
    // Once per interval (± one at the window's edges), not once per worker.
    expect(sweeps.length).toBeGreaterThanOrEqual(intervals - 2);
    expect(sweeps.length).toBeLessThanOrEqual(intervals + 1);
    expect(new Set(sweeps.map((j) => j.timestamp)).size).toBe(sweeps.length);

    const ds = a.app.get(DataSource);
    await waitFor(
      'every email sent',
      async () => (await ds.query(`SELECT 1 FROM emails WHERE status <> 'sent'`)).length === 0,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const emails: { messageId: string }[] = await ds.query(`SELECT message_id AS "messageId" FROM emails`);
    const received = smtp.messages.map((m) => m.messageId);
    expect(received.sort()).toEqual(emails.map((e) => e.messageId).sort());
    expect(new Set(received).size).toBe(received.length);
    const packets = await ds.query(
      `SELECT transfer_id, count(*)::int AS n FROM packets WHERE transfer_id = ANY($1) GROUP BY 1`,
      [ids],
    );
    expect(packets.filter((p: { n: number }) => p.n !== 1)).toEqual([]);
    expect(packets).toHaveLength(ids.length);

    reportFigures({
      fault: 'two-apis-two-workers',
      schedulers: schedulers.length,
      windowMs: windowEnd - windowStart,
      sweepsInWindow: sweeps.length,
      sweepIntervalsInWindow: intervals,
      emails: emails.length,
      received: received.length,
      duplicateEmails: received.length - new Set(received).size,
      packetsPerTransfer: 1,
      lost: emails.length - new Set(received).size,
    });
  }, 120_000);
});

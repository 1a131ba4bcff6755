import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { OwnRedis, startOwnRedis } from '../support/own-redis';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

/**
 * Redis at `maxmemory` with `noeviction` (a redis-server of the test's own, filled, then its
 * maxmemory set just under what it uses, so it refuses writes with OOM): the API keeps serving, the work waits in the outbox, the worker reports
 * not ready; once memory is freed it is ready again and every waiting job runs, none lost.
 */
describe('fault: Redis full (maxmemory, noeviction)', () => {
  let redis: OwnRedis;
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;

  beforeAll(async () => {
    redis = await startOwnRedis(['--maxmemory', '64mb', '--maxmemory-policy', 'noeviction']);
    smtp = await new TestSmtpServer().start();
    api = await startApi({ REDIS_URL: redis.url, SMTP_URL: smtp.url() });
    worker = await startWorker(api.config);
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.stop();
    await redis?.close();
  }, 60_000);

  const workerReady = async () => {
    const port = (worker.server.address() as { port: number }).port;
    return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;
  };

  it('serves requests, keeps work in the outbox and reports the worker not ready; recovers once memory is freed', async () => {
    const dir = await seedDirectory(api);
    const sender = dir.birmingham.hv.practitioner.email;
    const ds = api.app.get(DataSource);
    await waitFor('the worker to be ready', async () => (await workerReady()) === 200, 20_000);

    const filler = redis.client();
    // 4 MB of values, then maxmemory set just under what is used: Redis is at its limit and, with
    // noeviction, refuses every write (a BullMQ add, a job moving to active) until memory is freed.
    const keys = 64;
    for (let i = 0; i < keys; i++) await filler.set(`filler:${i}`, 'x'.repeat(64 * 1024));
    const used = Number(/used_memory:(\d+)/.exec(await filler.info('memory'))![1]);
    await filler.config('SET', 'maxmemory', String(used - 512 * 1024));
    await expect(filler.set('one-more', 'x')).rejects.toThrow(/^OOM/);
    const fullAt = Date.now();

    const ids: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
      const initiated = await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender });
      statuses.push(created.status, initiated.status);
      ids.push(created.body.id);
    }
    expect(statuses).toEqual([201, 200, 201, 200, 201, 200]);
    expect((await api.call('GET', '/v1/transfers?direction=outgoing', { as: sender })).status).toBe(200);

    const pending = async () =>
      Number((await ds.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`))[0].count);
    await waitFor(
      'the relay to have met the OOM refusal',
      async () =>
        (await ds.query(`SELECT 1 FROM outbox WHERE dispatched_at IS NULL AND last_error LIKE '%OOM%'`)).length > 0,
      20_000,
    );
    await waitFor('the worker to report not ready', async () => (await workerReady()) === 503, 15_000);
    const pendingWhileFull = await pending();
    expect(pendingWhileFull).toBeGreaterThanOrEqual(ids.length * 4); // a packet job and the emails per transfer
    expect(await ds.query(`SELECT 1 FROM packets WHERE transfer_id = ANY($1)`, [ids])).toEqual([]);
    const apiReady = await api.call('GET', '/health/ready');
    expect((await api.call('GET', '/health/live')).status).toBe(200);

    await new Promise((r) => setTimeout(r, 3_000));
    await filler.del(...Array.from({ length: keys }, (_, i) => `filler:${i}`));
    const freedAt = Date.now();
    await waitFor('the worker to be ready again', async () => (await workerReady()) === 200, 30_000);
    const readyAfterMs = Date.now() - freedAt;
    await waitFor('the outbox to drain', async () => (await pending()) === 0, 60_000);
    const drainedAfterMs = Date.now() - freedAt;
    await waitFor(
      'every packet',
      async () =>
        (await ds.query(`SELECT DISTINCT transfer_id FROM packets WHERE transfer_id = ANY($1)`, [ids])).length === 3,
      30_000,
    );
    await waitFor(
      'every email sent',
      async () => (await ds.query(`SELECT 1 FROM emails WHERE status <> 'sent'`)).length === 0,
      60_000,
    );
    const doneAfterMs = Date.now() - freedAt;

    const emails: { messageId: string }[] = await ds.query(`SELECT message_id AS "messageId" FROM emails`);
    const received = smtp.messages.map((m) => m.messageId);
    expect(received.sort()).toEqual(emails.map((e) => e.messageId).sort());
    reportFigures({
      fault: 'redis-full',
      fullForMs: freedAt - fullAt,
      requestsServedWhileFull: statuses.length + 1,
      refused: statuses.filter((s) => s >= 500).length,
      apiReadinessWhileFull: apiReady.status,
      outboxWaitingWhileFull: pendingWhileFull,
      workerReadyAfterFreedMs: readyAfterMs,
      outboxDrainedAfterFreedMs: drainedAfterMs,
      allWorkDoneAfterFreedMs: doneAfterMs,
      emails: emails.length,
      lost: emails.length - new Set(received).size,
    });
  }, 150_000);
});

import { QUEUES } from '@fh/queues';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { waitFor } from '../support/wait';

/**
 * A poison job — a packet job whose payload the processor cannot handle, so every attempt throws —
 * ends `failed` after its attempts, is counted on the worker's /metrics, and does not stop the
 * queue: a good packet job queued behind it is processed.
 */
describe('fault: a poison job', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  let queue: Queue;

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker(api.config);
    queue = new Queue(QUEUES.packets, { connection: { url: api.config.redisUrl }, prefix: api.config.queuePrefix });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await api?.close();
  }, 60_000);

  const failedOnMetrics = async () => {
    const port = (worker.server.address() as { port: number }).port;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('jobs_failed_total{') && l.includes('queue="packets"'));
    return line ? Number(line.split(' ').pop()) : NaN;
  };

  it('ends failed after its attempts, is counted on /metrics, and the next good job is processed', async () => {
    expect(await failedOnMetrics()).toBe(0);
    const dir = await seedDirectory(api);
    const sender = dir.birmingham.hv.practitioner.email;

    const startedAt = Date.now();
    // No payload where a transfer id should be: the processor throws on every attempt.
    const poison = await queue.add('packet.generate', null as never, {
      jobId: 'poison-1',
      attempts: 3,
      backoff: { type: 'fixed', delay: 200 },
    });
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender })).status).toBe(200);

    await waitFor(
      'the poison job to end failed',
      async () => (await queue.getJobState(poison.id!)) === 'failed',
      30_000,
    );
    const failedAfterMs = Date.now() - startedAt;
    const job = (await queue.getJob(poison.id!))!;
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toMatch(/transferId|null|undefined/);
    await waitFor('the failure on /metrics', async () => (await failedOnMetrics()) === 1, 5_000);

    const ds = api.app.get(DataSource);
    await waitFor(
      'the good packet job',
      async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [created.body.id])).length === 1,
      30_000,
    );
    const goodAfterMs = Date.now() - startedAt;
    // And the queue still takes new work after the poison job has failed.
    const second = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect((await api.call('POST', `/v1/transfers/${second.body.id}/initiate`, { as: sender })).status).toBe(200);
    await waitFor(
      'a packet after the failure',
      async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [second.body.id])).length === 1,
      30_000,
    );

    reportFigures({
      fault: 'poison-job',
      attempts: job.attemptsMade,
      failedAfterMs,
      jobsFailedTotal: await failedOnMetrics(),
      goodJobDoneAfterMs: goodAfterMs,
      goodJobsProcessed: 2,
      lost: 0,
    });
  }, 90_000);
});

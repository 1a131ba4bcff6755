import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { RunningApi, startApi, testConfig } from './support/harness';

/**
 * Issue 12 item 13: /metrics on both apps needs a scrape token (METRICS_TOKEN) — and without one it
 * is closed in production — and the worker's health server binds to WORKER_HEALTH_HOST.
 */
describe('/metrics scrape token and the worker health host', () => {
  const TOKEN = 'scrape-' + 'k'.repeat(30);
  let api: RunningApi;
  let worker: RunningWorker;
  const workerUrl = () => `http://127.0.0.1:${(worker.server.address() as { port: number }).port}`;

  beforeAll(async () => {
    api = await startApi({ METRICS_TOKEN: TOKEN });
    worker = await startWorker(api.config);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('the API refuses /metrics without the token or with a wrong one (401 in the error shape), serves it with it', async () => {
    const none = await api.call('GET', '/metrics');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    const wrong = await api.call('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    // A practitioner's bearer token is not a scrape token.
    expect((await api.call('GET', '/metrics', { as: 'admin@handover.test' })).status).toBe(401);
    const right = await api.call('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.body).toMatch(/process_cpu_user_seconds_total\{service="api"\}/);
    // Health stays open for the orchestrator's probes.
    expect((await api.call('GET', '/health/live')).status).toBe(200);
  });

  it('the worker does the same', async () => {
    const none = await fetch(`${workerUrl()}/metrics`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect((await fetch(`${workerUrl()}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const right = await fetch(`${workerUrl()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/service="worker"/);
    expect((await fetch(`${workerUrl()}/health/live`)).status).toBe(200);
  });

  it('without a token /metrics is closed in production (404) and open elsewhere', async () => {
    const production = { ...api.config, production: true, metricsToken: undefined };
    const closed = await startWorker(production);
    try {
      const port = (closed.server.address() as { port: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    } finally {
      await closed.close();
    }
    const open = await startWorker({ ...api.config, metricsToken: undefined });
    try {
      const port = (open.server.address() as { port: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('the worker health server binds to WORKER_HEALTH_HOST (0.0.0.0 unless set)', async () => {
    expect(testConfig('postgres://x@127.0.0.1/x').workerHealthHost).toBe('0.0.0.0');
    expect((worker.server.address() as { address: string }).address).toBe('0.0.0.0');
    const local = await startWorker({ ...api.config, workerHealthHost: '127.0.0.1' });
    try {
      expect((local.server.address() as { address: string }).address).toBe('127.0.0.1');
    } finally {
      await local.close();
    }
    expect(() => testConfig('postgres://x@127.0.0.1/x', { WORKER_HEALTH_HOST: 'bad host;' })).toThrow(
      /WORKER_HEALTH_HOST/,
    );
    expect(() => testConfig('postgres://x@127.0.0.1/x', { METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});

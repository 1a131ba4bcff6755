import { DataSource } from 'typeorm';
import { seedDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/** PostgreSQL is the source of truth: with Redis away the API keeps working and loses nothing. */
describe('the API while Redis is away', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => api.close());

  it('reports not ready, yet serves every request; the work waits in the outbox', async () => {
    const ready = await api.call('GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', checks: { database: 'up', redis: 'down' } });
    expect((await api.call('GET', '/health/live')).status).toBe(200);

    const dir = await seedDirectory(api);
    const sender = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    const initiated = await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender });
    expect(initiated.status).toBe(200);
    const waiting = await api.app
      .get(DataSource)
      .query(
        `SELECT job_name AS "jobName", count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL GROUP BY 1 ORDER BY 1`,
      );
    expect(waiting).toEqual([
      { jobName: 'email.send', n: 3 },
      { jobName: 'packet.generate', n: 1 },
    ]);
  });
});

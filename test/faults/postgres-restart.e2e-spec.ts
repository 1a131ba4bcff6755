import { randomUUID } from 'node:crypto';
import { ALL_QUEUES } from '@fh/queues';
import { createDataSource, runMigrations } from '@fh/persistence';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { RunningApi, startApi } from '../support/harness';
import { OwnPostgres, startOwnPostgres } from '../support/own-postgres';
import { reportFigures } from '../support/figures';
import { waitFor } from '../support/wait';

/**
 * PostgreSQL restarted under write load: a server of the test's own (never the shared one) is
 * stopped (fast: every session cut), kept down ~3 s and started again while four clients keep
 * creating and initiating transfers. Requests meanwhile answer 503 with the error shape and
 * Retry-After, never 500; the API and the relay recover by themselves; nothing committed is lost.
 */
describe('fault: PostgreSQL restarted under write load', () => {
  let pg: OwnPostgres;
  let api: RunningApi;
  let worker: RunningWorker;
  let ds: DataSource;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    const migrate = createDataSource({ databaseUrl: pg.url, databasePoolSize: 2 });
    await migrate.initialize();
    await runMigrations(migrate);
    await migrate.destroy();
    // Four clients in a tight loop make more than the default 300 requests a minute (503s come back
    // fast while PostgreSQL is down); this test is about the outage, not the rate limit.
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '1000000' }, pg.url);
    worker = await startWorker(api.config, { processors: false });
    ds = createDataSource({ databaseUrl: pg.url, databasePoolSize: 2 });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (ds?.isInitialized) await ds.destroy();
    await pg?.close();
  });

  it('answers 503 (not 500) while it is down, recovers by itself, loses no committed change or outbox row', async () => {
    const dir = await seedDirectory(api);
    const sender = dir.birmingham.hv.practitioner.email;
    const token = await api.token(sender);
    type Outcome = {
      at: number;
      status: number;
      op: 'create' | 'initiate';
      id?: string;
      code?: string;
      retryAfter?: string | null;
    };
    const outcomes: Outcome[] = [];
    let stopLoad = false;

    const client = async () => {
      while (!stopLoad) {
        const key = randomUUID();
        const created = await api.call('POST', '/v1/transfers', {
          token,
          body: reviewFamily(dir.sandwell.hv.id),
          headers: { 'idempotency-key': key },
        });
        outcomes.push({
          at: Date.now(),
          status: created.status,
          op: 'create',
          id: created.body?.id,
          code: created.body?.code,
          retryAfter: created.headers.get('retry-after'),
        });
        if (created.status === 201) {
          const initiated = await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { token });
          outcomes.push({
            at: Date.now(),
            status: initiated.status,
            op: 'initiate',
            id: created.body.id,
            code: initiated.body?.code,
            retryAfter: initiated.headers.get('retry-after'),
          });
        } else {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, client));

    await new Promise((r) => setTimeout(r, 2_000));
    const stoppedAt = Date.now();
    await pg.stop('fast');
    await new Promise((r) => setTimeout(r, 3_000));
    const ready = async () => (await api.call('GET', '/health/ready')).status;
    const readyWhileDown = await ready();
    await pg.start();
    const startedAt = Date.now();
    await waitFor('the API to be ready again', async () => (await ready()) === 200, 30_000);
    const apiReadyAfterMs = Date.now() - startedAt;
    await waitFor('a write to succeed again', () => outcomes.some((o) => o.at > startedAt && o.status === 201), 30_000);
    const firstWriteAfterMs =
      Math.min(...outcomes.filter((o) => o.at > startedAt && o.status === 201).map((o) => o.at)) - startedAt;
    await new Promise((r) => setTimeout(r, 1_500));
    stopLoad = true;
    await load;

    expect(readyWhileDown).toBe(503);
    const refused = outcomes.filter((o) => o.status === 503);
    const other = outcomes.filter((o) => ![200, 201, 503].includes(o.status));
    expect(other).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(r.retryAfter)).toBeGreaterThan(0);
    }

    // Every acknowledged change is there; every outbox row is handed to BullMQ once the relay is back.
    await ds.initialize();
    const createdIds = outcomes.filter((o) => o.op === 'create' && o.status === 201).map((o) => o.id!);
    const initiatedIds = outcomes.filter((o) => o.op === 'initiate' && o.status === 200).map((o) => o.id!);
    const stored: { id: string; initiated: boolean }[] = await ds.query(
      `SELECT id, initiated_at IS NOT NULL AS initiated FROM transfers WHERE id = ANY($1)`,
      [createdIds],
    );
    expect(stored.map((s) => s.id).sort()).toEqual([...createdIds].sort());
    const initiated = new Set(stored.filter((s) => s.initiated).map((s) => s.id));
    expect(initiatedIds.filter((id) => !initiated.has(id))).toEqual([]);

    const relayStart = Date.now();
    await waitFor(
      'the relay to empty the outbox',
      async () => Number((await ds.query(`SELECT count(*) FROM outbox WHERE dispatched_at IS NULL`))[0].count) === 0,
      60_000,
    );
    const relayDrainedAfterMs = Date.now() - startedAt;
    const outboxIds: string[] = (await ds.query(`SELECT id FROM outbox`)).map((r: { id: string }) => r.id);
    const queues = ALL_QUEUES.map(
      (name) => new Queue(name, { connection: { url: api.config.redisUrl }, prefix: api.config.queuePrefix }),
    );
    try {
      const jobs = await Promise.all(
        outboxIds.map(async (id) => (await Promise.all(queues.map((q) => q.getJob(id)))).some(Boolean)),
      );
      expect(jobs.filter((found) => !found)).toEqual([]);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
    // Outbox rows of initiated transfers: one packet job and the notification emails each.
    const rowsPerInitiated: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'packet.generate' AND payload->>'transferId' = ANY($1)`,
      [[...initiated]],
    );
    expect(rowsPerInitiated[0].n).toBe(initiated.size);

    const figures = {
      fault: 'postgres-restart',
      requests: outcomes.length,
      refused503: refused.length,
      other5xx: outcomes.filter((o) => o.status >= 500 && o.status !== 503).length,
      downMs: startedAt - stoppedAt,
      apiReadyAfterStartMs: apiReadyAfterMs,
      firstWriteAfterStartMs: firstWriteAfterMs,
      relayDrainedAfterStartMs: relayDrainedAfterMs,
      created: createdIds.length,
      initiated: initiated.size,
      outboxRows: outboxIds.length,
      lost: 0,
      waitedForRelayMs: Date.now() - relayStart,
    };
    reportFigures(figures);
    expect(apiReadyAfterMs).toBeLessThan(10_000);
  }, 120_000);
});

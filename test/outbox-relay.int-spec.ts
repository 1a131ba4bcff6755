import { randomUUID } from 'node:crypto';
import { spawn, ChildProcess } from 'node:child_process';
import {
  addToOutbox,
  createDataSource,
  DISPATCHED_JOBS_OF_QUEUED_EMAILS_SQL,
  dispatchedJobsOfQueuedEmails,
  inTransaction,
} from '@fh/persistence';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { startWorker, RunningWorker } from '../apps/worker/src/worker.factory';
import { createTestDatabase } from './support/database';
import { testConfig } from './support/harness';
import { redisUrl, withOwnerClient } from './support/services';
import { TcpProxy } from './support/tcp-proxy';
import { waitFor } from './support/wait';

describe('outbox relay', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createDataSource({ databaseUrl: db.url, databasePoolSize: 4 });
    await dataSource.initialize();
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await dataSource.destroy();
    await db.drop();
  });

  const addRows = async (count: number) => {
    const ids: string[] = [];
    await inTransaction(dataSource, async (m) => {
      for (let i = 0; i < count; i++) ids.push(await addToOutbox(m, 'packet.generate', { transferId: randomUUID() }));
    });
    return ids;
  };
  const pending = async () =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM outbox WHERE dispatched_at IS NULL`))[0].n);

  /** Every event BullMQ recorded for the queue: 'added' once per new job id, 'duplicated' on a repeat. */
  const queueEvents = async (prefix: string) => {
    const entries = (await redis.xrange(`${prefix}:packets:events`, '-', '+')) as [string, string[]][];
    return entries.map(([, fields]) => ({ event: fields[1], jobId: fields[3] }));
  };

  it('dispatches every row exactly once while Redis goes away and comes back, with two relays racing', async () => {
    const proxy = await TcpProxy.forUrl(redisUrl()).start();
    const config = testConfig(db.url, { REDIS_URL: proxy.url() });
    // Relays only: BullMQ workers (processors) are outside what this test promises; how they behave
    // while Redis is away is test/worker-redis-faults.e2e-spec.ts's (root cause in decisions.md).
    const workers: RunningWorker[] = [
      await startWorker(config, { processors: false }),
      await startWorker(config, { processors: false }),
    ];
    try {
      const ids = await addRows(100);
      await waitFor('the first batch', async () => (await pending()) === 0);

      proxy.cut();
      ids.push(...(await addRows(100)));
      await new Promise((r) => setTimeout(r, 2_500));
      // While Redis is away nothing is lost: the rows wait in PostgreSQL.
      expect(await pending()).toBeGreaterThan(0);
      const failed = await dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE last_error IS NOT NULL AND dispatched_at IS NULL`,
      );
      expect(failed[0].n).toBeGreaterThan(0);

      await proxy.restore();
      ids.push(...(await addRows(100)));
      await waitFor('the backlog after Redis returned', async () => (await pending()) === 0, 90_000);

      const events = await queueEvents(config.queuePrefix);
      const added = events.filter((e) => e.event === 'added').map((e) => e.jobId);
      expect(added.sort()).toEqual([...ids].sort());
      expect(new Set(added).size).toBe(300);
      expect(events.filter((e) => e.event === 'duplicated')).toEqual([]);
      const rows = await dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NOT NULL AND last_error IS NULL`,
      );
      expect(rows[0].n).toBe(300);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await proxy.close();
    }
  }, 150_000);

  it('hands BullMQ the outbox id as the job id and ids only as the payload', async () => {
    const config = testConfig(db.url);
    const worker = await startWorker(config);
    try {
      const transferId = randomUUID();
      const id = await inTransaction(dataSource, (m) => addToOutbox(m, 'packet.generate', { transferId }));
      await waitFor('dispatch', async () => (await pending()) === 0);
      const job = await redis.hgetall(`${config.queuePrefix}:packets:${id}`);
      expect(job.name).toBe('packet.generate');
      expect(JSON.parse(job.data)).toEqual({ transferId });
    } finally {
      await worker.close();
    }
  });

  it('refuses to start unless Redis reports maxmemory-policy noeviction', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let server: ChildProcess | null = null;
    try {
      server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'allkeys-lru',
        ],
        {
          stdio: 'ignore',
        },
      );
      server.on('error', (error) => {
        throw new Error(`this test starts its own redis-server (from the redis-server package): ${error.message}`);
      });
      await waitFor('the extra redis-server', async () => {
        const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, retryStrategy: () => null });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          probe.disconnect();
        }
      });
      await expect(startWorker(testConfig(db.url, { REDIS_URL: `redis://127.0.0.1:${port}` }))).rejects.toThrow(
        'Redis maxmemory-policy is "allkeys-lru"; BullMQ needs "noeviction"',
      );
    } finally {
      server?.kill();
    }
  });

  it("finds a queued email's outbox row through outbox_email_id_idx, however long the outbox (the reconciler)", async () => {
    await dataSource.query(
      `INSERT INTO emails (id, kind, recipient, subject, body, message_id, dedupe_key, status, created_at)
       SELECT gen_random_uuid(), 'digest.daily', 'lookup@example.org', 's', 'b', 'lookup-m' || g, 'lookup-d' || g,
              CASE WHEN g % 1000 = 0 THEN 'queued' ELSE 'sent' END, now() - make_interval(secs => 3600 + g)
       FROM generate_series(1, 20000) g`,
    );
    await dataSource.query(
      `INSERT INTO outbox (job_name, payload, dispatched_at)
       SELECT 'email.send', jsonb_build_object('emailId', id), now() FROM emails WHERE recipient = 'lookup@example.org'`,
    );
    // ANALYZE is the tables' owner's (the app role's is skipped with a warning).
    await withOwnerClient(db.url, async (owner) => {
      await owner.query(`ANALYZE emails`);
      await owner.query(`ANALYZE outbox`);
    });
    const [{ 'QUERY PLAN': plan }] = await dataSource.query(
      `EXPLAIN (FORMAT JSON) ${DISPATCHED_JOBS_OF_QUEUED_EMAILS_SQL}`,
      [60, 500],
    );
    expect(JSON.stringify(plan)).toContain('"Index Name":"outbox_email_id_idx"');
    expect(await dispatchedJobsOfQueuedEmails(dataSource.manager, 60, 500)).toHaveLength(20);
  });
});

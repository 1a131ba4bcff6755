import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JOB_OPTIONS, JOB_QUEUE } from '@fh/queues';
import type { JobName } from '@fh/queues';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi, TEST_SECRET } from './support/harness';
import { cpuSeconds, FaultProxy, freePort, OwnRedis, ProxyMode } from './support/redis-faults';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const WORKER = join(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');
/** How long each fault lasts (the stopped server: longer, as an operator's restart would). */
const FAULT_MS = 8_000;
const STOP_MS = 15_000;

/**
 * The built worker, with its processors, against a Redis of this test's own behind a proxy of its
 * own, while Redis is unusable in each way it can be (issue 9 → 3) and when Redis loses its data
 * (issue 9 → 4). Figures go to docs/RELIABILITY.md.
 */
describe('the worker when Redis goes away or forgets', () => {
  let redis: OwnRedis;
  let proxy: FaultProxy;
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  let worker: ChildProcess;
  let workerPort: number;
  let log = '';
  const figures: string[] = [];

  const spawnWorker = () => {
    log = '';
    const child = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: api.config.databaseUrl,
        REDIS_URL: proxy.url(),
        SMTP_URL: smtp.url(),
        MAIL_FROM: api.config.mailFrom,
        APP_BASE_URL: api.config.appBaseUrl,
        AUTH_JWT_SECRET: TEST_SECRET,
        QUEUE_PREFIX: api.config.queuePrefix,
        WORKER_PORT: String(workerPort),
        // Reconciliation shortened from a minute each so that the test stays short.
        RECONCILE_SECONDS: '2',
        RECONCILE_GRACE_SECONDS: '2',
        // A refused email waits a minute in Redis for its retry (so FLUSHALL can take it away).
        EMAIL_RETRY_BASE_MS: '60000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    return child;
  };

  const get = async (path: string) => {
    const started = Date.now();
    try {
      const response = await fetch(`http://127.0.0.1:${workerPort}${path}`, { signal: AbortSignal.timeout(3_000) });
      await response.text();
      return { status: response.status, ms: Date.now() - started };
    } catch {
      return { status: 0, ms: Date.now() - started };
    }
  };

  const initiateTransfer = async () => {
    const as = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', {
      as,
      body: reviewFamily(dir.sandwell.hv.id, { concerns: [] }),
    });
    expect(created.status).toBe(201);
    expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as })).status).toBe(200);
    return created.body.id as string;
  };
  const emailsOf = (transferId: string): Promise<{ status: string; messageId: string; attempts: number }[]> =>
    ds.query(`SELECT status, message_id AS "messageId", attempts FROM emails WHERE transfer_id = $1 ORDER BY id`, [
      transferId,
    ]);
  const delivered = (messageId: string) => smtp.messages.filter((m) => m.messageId === messageId).length;
  const allSentOnce = async (transferId: string) => {
    const emails = await emailsOf(transferId);
    return emails.length > 0 && emails.every((e) => e.status === 'sent' && delivered(e.messageId) === 1);
  };

  beforeAll(async () => {
    if (!existsSync(WORKER))
      throw new Error(`${WORKER} is missing: npm test builds it first (pretest); run npm run build`);
    redis = await new OwnRedis().start();
    proxy = await new FaultProxy(redis.port).start();
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), REDIS_URL: redis.url() });
    ds = api.app.get(DataSource);
    dir = await seedDirectory(api);
    workerPort = await freePort();
    worker = spawnWorker();
    await waitFor('the worker to be ready', async () => (await get('/health/ready')).status === 200, 30_000);
  }, 60_000);

  afterEach(async () => {
    if (process.env.DEBUG_FAULTS)
      process.stdout.write(
        `LOG:\n${log.slice(-5000)}\nEMAILS: ${JSON.stringify(await ds.query('SELECT status, attempts, last_error FROM emails'))}\nSMTP: ${smtp.messages.length} ${smtp.attempts}\n`,
      );
  });

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await api?.close();
    await smtp?.stop();
    await proxy?.close();
    await redis?.close();
    if (figures.length) process.stdout.write(`worker-redis-faults figures:\n${figures.join('\n')}\n`);
  });

  type Fault = { name: string; ms: number; start(): Promise<void>; end(): Promise<void> };
  const viaProxy = (mode: ProxyMode): Fault => ({
    name: mode,
    ms: FAULT_MS,
    start: () => proxy.set(mode),
    end: () => proxy.set('pass'),
  });
  const faults: Fault[] = [
    {
      name: 'stopped (redis-server killed, started again empty)',
      ms: STOP_MS,
      start: () => redis.kill(),
      end: async () => void (await redis.start()),
    },
    viaProxy('refuse'),
    viaProxy('reset'),
    viaProxy('drop'),
    viaProxy('loading'),
    {
      name: 'READONLY (made a replica of a dead master)',
      ms: FAULT_MS,
      start: async () => void (await redis.admin.call('REPLICAOF', '127.0.0.1', '1')),
      end: async () => void (await redis.admin.call('REPLICAOF', 'NO', 'ONE')),
    },
    {
      name: 'MISCONF (RDB save failing, stop-writes-on-bgsave-error)',
      ms: FAULT_MS,
      start: async () => {
        await redis.admin.config('SET', 'save', '3600 1');
        await redis.admin.config('SET', 'stop-writes-on-bgsave-error', 'yes');
        rmSync(redis.dir, { recursive: true }); // the save cannot create its file
        await redis.admin.bgsave();
        await waitFor(
          'the RDB save to fail',
          async () => /rdb_last_bgsave_status:err/.test(await redis.admin.info('persistence')),
          5_000,
        );
      },
      end: async () => {
        await redis.admin.config('SET', 'stop-writes-on-bgsave-error', 'no');
        await redis.admin.config('SET', 'save', '');
        mkdirSync(redis.dir);
      },
    },
  ];

  it.each(faults.map((f) => [f.name, f] as const))(
    'Redis %s: the worker stays idle and live, says not ready, and the work queued meanwhile flows within 10 s of Redis returning',
    async (name, fault) => {
      // Jobs waiting at the moment Redis breaks: the condition under which BullMQ busy-looped.
      await ds.query(
        `INSERT INTO outbox (job_name, payload) SELECT 'packet.generate', jsonb_build_object('transferId', gen_random_uuid()) FROM generate_series(1, 400)`,
      );
      await waitFor(
        'part of the load to reach Redis',
        async () => (await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`))[0].n < 300,
        20_000,
      );

      await fault.start();
      await new Promise((r) => setTimeout(r, 500));
      const transferId = await initiateTransfer(); // emails and a packet queued in PostgreSQL meanwhile
      const cpu0 = cpuSeconds(worker.pid!);
      const t0 = Date.now();
      let slowestLive = 0;
      const readiness: number[] = [];
      while (Date.now() - t0 < fault.ms) {
        const live = await get('/health/live');
        expect(live.status).toBe(200);
        slowestLive = Math.max(slowestLive, live.ms);
        readiness.push((await get('/health/ready')).status);
        await new Promise((r) => setTimeout(r, 250));
      }
      const cpuShare = (cpuSeconds(worker.pid!) - cpu0) / ((Date.now() - t0) / 1000);
      await fault.end();
      const returned = Date.now();
      await waitFor(
        'the initiation emails to be sent once each after Redis returned',
        () => allSentOnce(transferId),
        10_000,
      );
      const recoveredMs = Date.now() - returned;
      await waitFor(
        'the packet',
        async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [transferId])).length === 1,
        10_000,
      );
      await waitFor(
        'the whole load to be handed over',
        async () => (await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`))[0].n === 0,
        60_000,
      );

      figures.push(
        `${name}: cpu ${(cpuShare * 100).toFixed(1)}% of a core over ${fault.ms / 1000} s, slowest /health/live ${slowestLive} ms, ` +
          `ready ${readiness.filter((s) => s === 200).length}/${readiness.length}, emails delivered ${recoveredMs} ms after Redis returned`,
      );
      expect(cpuShare).toBeLessThan(0.1);
      expect(slowestLive).toBeLessThan(1_000);
      expect(readiness.every((s) => s === 503)).toBe(true);
      expect(worker.exitCode).toBeNull();
    },
    90_000,
  );

  it('logs worker errors through pino, without job data, and at most every 30 s per queue', () => {
    const lines = log
      .split('\n')
      .filter((l) => l.includes('"context":"QueueWorker"'))
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => typeof l.reason === 'string' && !/transferId|emailId|@/.test(l.reason))).toBe(true);
    for (const queue of ['packets', 'notifications', 'chasing']) {
      const times = lines.filter((l) => l.queue === queue).map((l) => l.time as number);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(30_000);
    }
    // Nothing printed outside pino (BullMQ prints unhandled worker errors to stderr with their stack).
    expect(log.split('\n').filter((l) => l.trim() && !l.startsWith('{'))).toEqual([]);
  });

  it('FLUSHALL while an email waits in Redis for its retry: it is delivered once, within the bound', async () => {
    await ds.query(
      `DELETE FROM outbox WHERE job_name = 'packet.generate' AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.id::text = payload->>'transferId')`,
    );
    smtp.reply(451, 'try again later', 1);
    const transferId = await initiateTransfer();
    await waitFor(
      'one email refused with 451 and waiting for its retry',
      async () => (await emailsOf(transferId)).some((e) => e.attempts === 1 && e.status === 'queued'),
      20_000,
    );
    await waitFor(
      'the others (if any) sent',
      async () => (await emailsOf(transferId)).filter((e) => e.status !== 'sent').length === 1,
      20_000,
    );
    await redis.admin.flushall();
    const flushed = Date.now();
    await waitFor('the refused email to be delivered after FLUSHALL', () => allSentOnce(transferId), 30_000);
    const recoveredMs = Date.now() - flushed;
    // Nothing more arrives for it: several reconciliation turns later, still one of each.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await allSentOnce(transferId)).toBe(true);
    const scheduler = await new Queue('chasing', {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: api.config.queuePrefix,
    });
    try {
      expect(await scheduler.getJobScheduler('chase-sweep')).toBeTruthy(); // the sweep's schedule is back too
    } finally {
      await scheduler.close();
    }
    figures.push(
      `FLUSHALL with an email delayed for retry: delivered once ${recoveredMs} ms after the flush (RECONCILE_SECONDS=2, grace 2 s)`,
    );
  }, 60_000);

  it('a packet job handed to Redis and then lost (Redis restarted empty): the packet appears and the emails go once', async () => {
    worker.kill('SIGSTOP'); // the worker is frozen while the relay's work is done by hand
    let transferId: string;
    try {
      transferId = await initiateTransfer();
      const rows: { id: string; jobName: JobName; payload: Record<string, string> }[] = await ds.query(
        `SELECT id, job_name AS "jobName", payload FROM outbox WHERE dispatched_at IS NULL AND (payload->>'transferId' = $1::text OR payload->>'emailId' IN (SELECT id::text FROM emails WHERE transfer_id = $1::uuid))`,
        [transferId],
      );
      const emails = (await emailsOf(transferId)).length;
      expect(emails).toBeGreaterThan(0);
      expect(rows.map((r) => r.jobName).sort()).toEqual([
        ...Array<string>(emails).fill('email.send'),
        'packet.generate',
      ]);
      // What the relay does: add each job under its outbox id and mark the row dispatched …
      const queues = new Map<string, Queue>();
      for (const row of rows) {
        const name = JOB_QUEUE[row.jobName];
        if (!queues.has(name))
          queues.set(
            name,
            new Queue(name, { connection: { host: '127.0.0.1', port: redis.port }, prefix: api.config.queuePrefix }),
          );
        await queues.get(name)!.add(row.jobName, row.payload, { ...JOB_OPTIONS[row.jobName], jobId: row.id });
        await ds.query(`UPDATE outbox SET dispatched_at = now() WHERE id = $1`, [row.id]);
      }
      await Promise.all([...queues.values()].map((q) => q.close()));
      // … then Redis dies and comes back without its data.
      await redis.kill();
      await redis.start();
    } finally {
      worker.kill('SIGCONT');
    }
    const resumed = Date.now();
    await waitFor(
      'the lost packet to be generated',
      async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [transferId!])).length === 1,
      30_000,
    );
    await waitFor('the lost emails to be sent once each', () => allSentOnce(transferId!), 30_000);
    figures.push(
      `Redis restarted empty with a packet job and its emails in it: all done ${Date.now() - resumed} ms later`,
    );
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await allSentOnce(transferId!)).toBe(true);
    expect((await ds.query(`SELECT count(*)::int AS n FROM packets WHERE transfer_id = $1`, [transferId!]))[0].n).toBe(
      1,
    );
  }, 90_000);
});

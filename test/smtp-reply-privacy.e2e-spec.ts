import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi, TEST_SECRET } from './support/harness';
import { freePort, OwnRedis, startOwnRedis } from './support/own-redis';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const WORKER = join(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/**
 * A relay's refusal names the mailbox it refused — an address and a person's name. The service keeps
 * the codes of a failed send (550, 5.1.1, nodemailer's error code) and never the reply's text: not in
 * `emails.last_error`, not in the worker's log, not in Redis (BullMQ's failedReason and stacktrace).
 * The reply names an address and a name that are nowhere in the directory, so any trace of them
 * anywhere can only have come from the reply. The built worker runs as a process at LOG_LEVEL=debug so
 * that its whole output is read; the queues live in a Redis of this test's own, so every key in it is
 * searched.
 */
describe('SMTP replies leave no personal data behind', () => {
  let redis: OwnRedis;
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  let worker: ChildProcess;
  let log = '';

  const SECRETS = ['jane.doe', 'Jane Doe', 'Recipient address rejected', 'mailbox busy'];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build`);
    redis = await startOwnRedis();
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), REDIS_URL: redis.url });
    ds = api.app.get(DataSource);
    dir = await seedDirectory(api);
    const workerPort = await freePort();
    worker = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: api.config.databaseUrl,
        REDIS_URL: redis.url,
        SMTP_URL: smtp.url(),
        MAIL_FROM: api.config.mailFrom,
        APP_BASE_URL: api.config.appBaseUrl,
        AUTH_JWT_SECRET: TEST_SECRET,
        QUEUE_PREFIX: api.config.queuePrefix,
        WORKER_PORT: String(workerPort),
        // The retry comes 2 s after the 451: time enough to make the next reply a 550.
        EMAIL_RETRY_BASE_MS: '2000',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(
      'the worker to be ready',
      () =>
        fetch(`http://127.0.0.1:${workerPort}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGKILL');
      await exited;
    }
    await api?.close();
    await smtp?.stop();
    await redis?.close();
  });

  /** Every value of every key in this test's Redis, as text. */
  async function redisText(): Promise<{ keys: number; text: string }> {
    const client = redis.client();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    let text = '';
    for (const key of keys) {
      const type = await client.type(key);
      let value: unknown;
      if (type === 'string') value = await client.get(key);
      else if (type === 'hash') value = await client.hgetall(key);
      else if (type === 'list') value = await client.lrange(key, 0, -1);
      else if (type === 'set') value = await client.smembers(key);
      else if (type === 'zset') value = await client.zrange(key, 0, -1);
      else if (type === 'stream') value = await client.xrange(key, '-', '+');
      else value = `unread type ${type}`;
      text += `${key} ${JSON.stringify(value)}\n`;
    }
    return { keys: keys.length, text };
  }

  /** Every row of every table in the test's database, as text. */
  async function databaseText(): Promise<string> {
    const tables: { name: string }[] = await ds.query(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    let text = '';
    for (const { name } of tables) {
      const rows: { row: string }[] = await ds.query(`SELECT t::text AS row FROM ${name} t`);
      text += rows.map((r) => `${name} ${r.row}`).join('\n') + '\n';
    }
    return text;
  }

  it('keeps 451/550, 4.2.0/5.1.1 and the error code, never the reply text', async () => {
    // First a transient refusal (retried: BullMQ records its failedReason and stacktrace), then a
    // permanent one (given up on: emails.last_error, the worker's warning, the job's final failedReason).
    // The directory's own emails (a lead granted through four eyes tells the area's leads) go first:
    // the one-off 451 below is for this transfer's email, not for one of them.
    await waitFor(
      'the directory emails to be sent',
      async () => (await ds.query(`SELECT count(*)::int AS n FROM emails WHERE status = 'queued'`))[0].n === 0,
      30_000,
    );
    smtp.reply(451, '4.2.0 <jane.doe@sandwell.test>: mailbox busy, Jane Doe is over quota', 1);
    const sender = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', {
      as: sender,
      body: reviewFamily(dir.sandwell.hv.id, { concerns: [] }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const before = smtp.attempts;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);
    await waitFor('the 451 to be given', () => smtp.attempts > before);
    smtp.reply(550, '5.1.1 <jane.doe@sandwell.test>: Recipient address rejected: Jane Doe unknown', 1);
    await waitFor(
      'the email to fail',
      async () =>
        (await ds.query(`SELECT status FROM emails WHERE transfer_id = $1`, [id])).every(
          (e: { status: string }) => e.status === 'failed',
        ),
      30_000,
    );
    await waitFor('the worker to log the failure', () => log.includes('email failed for good'), 10_000);
    await waitFor(
      'BullMQ to record the final failure',
      async () => (await redisText()).text.includes('"failedReason":"'),
      10_000,
    );

    const [row] = await ds.query(`SELECT attempts, last_error AS "lastError" FROM emails WHERE transfer_id = $1`, [id]);
    expect(row.attempts).toBe(2);
    // The codes are kept: what went wrong is still clear to whoever looks.
    expect(row.lastError).toMatch(/\b550\b/);
    expect(row.lastError).toContain('5.1.1');
    expect(row.lastError).toMatch(/\bE[A-Z]+\b/);
    expect(smtp.attempts - before).toBe(2);

    const stored = await databaseText();
    const inRedis = await redisText();
    expect(inRedis.keys).toBeGreaterThan(0);
    // The failure is recorded in Redis, with its codes.
    expect(inRedis.text).toMatch(/failedReason[^,]*550/);
    expect(inRedis.text).toMatch(/4\.2\.0|451/);
    expect(log).toContain('5.1.1');
    for (const secret of SECRETS) {
      const found = (where: string, text: string) =>
        text.toLowerCase().includes(secret.toLowerCase()) ? `${secret} in ${where}` : null;
      expect(found('PostgreSQL', stored)).toBeNull();
      expect(found('Redis', inRedis.text)).toBeNull();
      expect(found('the worker log', log)).toBeNull();
    }
  }, 60_000);
});

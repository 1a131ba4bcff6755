import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi, TEST_SECRET } from './support/harness';
import { redisUrl } from './support/services';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

const WORKER = join(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');

/** The built worker as a real process, so it can be killed without warning. */
describe('a worker killed in the middle of a send', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let dir: SeededDirectory;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER))
      throw new Error(`${WORKER} is missing: npm test builds it first (pretest); run npm run build`);
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url() });
    dir = await seedDirectory(api);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await api.close();
    await smtp.stop();
  });

  const spawnWorker = () => {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: api.config.databaseUrl,
        REDIS_URL: redisUrl(),
        SMTP_URL: smtp.url(),
        MAIL_FROM: api.config.mailFrom,
        APP_BASE_URL: api.config.appBaseUrl,
        AUTH_JWT_SECRET: TEST_SECRET,
        QUEUE_PREFIX: api.config.queuePrefix,
        WORKER_PORT: '0',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };

  it('loses no message: the stalled job is sent by the next worker', async () => {
    smtp.hang();
    const id = (
      await api.call('POST', '/v1/transfers', {
        as: dir.birmingham.hv.practitioner.email,
        body: reviewFamily(dir.sandwell.hv.id, { concerns: [] }),
      })
    ).body.id;
    expect(
      (await api.call('POST', `/v1/transfers/${id}/initiate`, { as: dir.birmingham.hv.practitioner.email })).status,
    ).toBe(200);

    const first = spawnWorker();
    await waitFor('the worker to start sending', () => smtp.attempts > 0);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const ds = api.app.get(DataSource);
    const [row] = await ds.query(`SELECT status, message_id AS "messageId" FROM emails WHERE transfer_id = $1`, [id]);
    expect(row.status).toBe('queued');
    expect(smtp.messages).toHaveLength(0);

    smtp.accept();
    spawnWorker();
    await waitFor(
      'the message to be sent after the crash',
      async () => (await ds.query(`SELECT status FROM emails WHERE transfer_id = $1`, [id]))[0].status === 'sent',
      90_000,
    );
    expect(smtp.messages.filter((m) => m.messageId === row.messageId)).toHaveLength(1);
  }, 120_000);
});

describe('graceful shutdown of the built apps', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const env = (port: string) => ({
    PATH: process.env.PATH,
    DATABASE_URL: api.config.databaseUrl,
    REDIS_URL: redisUrl(),
    SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: api.config.mailFrom,
    APP_BASE_URL: api.config.appBaseUrl,
    AUTH_JWT_SECRET: TEST_SECRET,
    QUEUE_PREFIX: api.config.queuePrefix,
    PORT: port,
    WORKER_PORT: port,
    LOG_LEVEL: 'silent',
  });

  it.each([
    ['the worker', 'worker'],
    ['the API', 'api'],
  ])(
    '%s stops cleanly on SIGTERM',
    async (_name, app) => {
      const port = String(20_000 + Math.floor(Math.random() * 20_000));
      const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', app, 'src', 'main.js')], {
        env: env(port),
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await waitFor(
        'the app to be ready',
        () =>
          fetch(`http://127.0.0.1:${port}/health/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(
        await fetch(`http://127.0.0.1:${port}/health/live`).then(
          () => 'up',
          () => 'down',
        ),
      ).toBe('down');
    },
    60_000,
  );

  it('refuses to start with a bad configuration, naming the variable', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js')], {
      env: { ...env('0'), DATABASE_URL: 'mysql://nope', CHASE_SWEEP_SECONDS: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL must be a postgres:// URL');
    expect(stderr).toContain('CHASE_SWEEP_SECONDS must be at least 1');
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi, TEST_SECRET } from './support/harness';
import { redisUrl } from './support/services';
import { TestSmtpServer } from './support/smtp';

const WORKER = join(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');

const waitFor = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** The built worker as a real process, so it can be killed without warning. */
describe('a worker killed in the middle of a send', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let dir: SeededDirectory;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: npm test builds it first (pretest); run npm run build`);
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
    const id = (await api.call('POST', '/v1/transfers', { as: dir.birmingham.hv.practitioner.email, body: reviewFamily(dir.sandwell.hv.id, { concerns: [] }) })).body.id;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: dir.birmingham.hv.practitioner.email })).status).toBe(200);

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
    await waitFor('the message to be sent after the crash', async () => (await ds.query(`SELECT status FROM emails WHERE transfer_id = $1`, [id]))[0].status === 'sent', 90_000);
    expect(smtp.messages.filter((m) => m.messageId === row.messageId)).toHaveLength(1);
  }, 120_000);
});

import { queueEmail } from '@fh/notifications';
import { inTransaction } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';
import { waitFor } from './support/wait';

/**
 * Issue 12 item 13: the email sender never holds a transaction or a row lock during the SMTP
 * conversation (claim, send, mark). A relay that takes seconds to answer DATA, while more emails
 * are being sent than the worker has connections, must leave no session idle in a transaction,
 * no lock on `emails`, and the worker's pool free for other work.
 */
describe('emails through a slow relay', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let ds: DataSource;
  const N = 6;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    // Two connections for a worker that sends four emails at once.
    api = await startApi({ SMTP_URL: smtp.url(), DATABASE_POOL_SIZE: '2' });
    worker = await startWorker(api.config);
    ds = api.app.get(DataSource);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  it('holds no transaction or lock while the relay is slow, and sends each email once', async () => {
    smtp.delay(3_000);
    const settings = { webBaseUrl: api.config.webBaseUrl, mailFrom: api.config.mailFrom };
    const ids = await inTransaction(ds, async (manager) => {
      const made: string[] = [];
      for (let i = 0; i < N; i++) {
        const id = await queueEmail(manager, settings, {
          transferId: null,
          kind: 'digest.daily',
          recipient: `reader${i}@sandwell.test`,
          dedupeKey: `slow-relay:${i}`,
          email: { subject: `Digest ${i}`, text: 'Nothing about any family.' },
        });
        made.push(id!);
      }
      return made;
    });

    await waitFor('several sends to be in the middle of DATA', () => smtp.attempts >= 3, 20_000);
    const database = (await ds.query(`SELECT current_database() AS name`))[0].name;
    const idleInTransaction = await ds.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()`,
      [database],
    );
    expect(idleInTransaction).toEqual([]);
    const locks = await ds.query(
      `SELECT l.pid, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
       WHERE c.relname = 'emails' AND l.database = (SELECT oid FROM pg_database WHERE datname = $1) AND l.pid <> pg_backend_pid()`,
      [database],
    );
    expect(locks).toEqual([]);
    // The worker's own pool answers at once while the relay is still sitting on DATA.
    const started = Date.now();
    await worker.app.get(DataSource).query('SELECT 1');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(smtp.messages.length).toBeLessThan(N);
    // While sending, the rows stay queued.
    const queued = await ds.query(`SELECT count(*)::int AS n FROM emails WHERE status = 'queued'`);
    expect(queued[0].n).toBeGreaterThan(0);

    await waitFor(
      'every email to be sent',
      async () =>
        (
          await ds.query(`SELECT count(*)::int AS n FROM emails WHERE id = ANY($1::uuid[]) AND status = 'sent'`, [ids])
        )[0].n === N,
      60_000,
    );
    const rows = await ds.query(
      `SELECT message_id AS "messageId", attempts, sending_token AS "token" FROM emails WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of rows) {
      expect(row).toEqual(expect.objectContaining({ attempts: 1, token: null }));
      expect(smtp.messages.filter((m) => m.messageId === row.messageId)).toHaveLength(1);
    }
  }, 90_000);
});

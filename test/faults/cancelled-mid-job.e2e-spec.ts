import { createDataSource } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { RunningWorker, startWorker } from '../../apps/worker/src/worker.factory';
import { seedDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

/**
 * A transfer cancelled while its packet job runs (the job waits on the transfer's lock behind the
 * cancellation) and while its emails are being tried (the SMTP server answers 451, so each job is
 * retrying) and reminders are queued: the packet job writes nothing, the cancellation notice is sent,
 * and every other email about the cancelled transfer is withdrawn, never sent (docs/decisions.md).
 */
describe('fault: a transfer cancelled while its packet and email jobs run', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker | undefined;
  let ds: DataSource;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), EMAIL_RETRY_BASE_MS: '100', CHASE_SWEEP_SECONDS: '1' });
    ds = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 3 });
    await ds.initialize();
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await ds?.destroy();
    await api?.close();
    await smtp?.stop();
  }, 60_000);

  const lockWaiters = async (pid: number) =>
    Number(
      (
        await ds.query(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1 AND wait_event_type = 'Lock'`,
          [pid],
        )
      )[0].count,
    );

  it('writes no packet and sends only the cancellation notice', async () => {
    const dir = await seedDirectory(api);
    const sender = dir.birmingham.hv.practitioner.email;
    smtp.reply(451, 'mailbox busy, try later');
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    const id = created.body.id as string;
    expect((await api.call('POST', `/v1/transfers/${id}/initiate`, { as: sender })).status).toBe(200);

    // Hold the transfer as a writer does; the cancellation queues behind us, the packet job behind it.
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM transfers WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    const [{ pid }] = await holder.query(`SELECT pg_backend_pid() AS pid`);
    const cancelling = api.call('POST', `/v1/transfers/${id}/cancel`, {
      as: sender,
      body: { reason: 'the family did not move after all' },
    });
    await waitFor('the cancellation to wait on the transfer', async () => (await lockWaiters(pid)) === 1, 20_000);

    worker = await startWorker(api.config);
    await waitFor('the packet job to wait on the transfer too', async () => (await lockWaiters(pid)) === 2, 20_000);
    const emails = async () =>
      (await ds.query(
        `SELECT kind, status, attempts, message_id AS "messageId", last_error AS "lastError" FROM emails WHERE transfer_id = $1`,
        [id],
      )) as {
        kind: string;
        status: string;
        attempts: number;
        messageId: string;
        lastError: string | null;
      }[];
    await waitFor(
      'the email jobs to be retrying and reminders queued',
      async () => {
        const rows = await emails();
        return (
          rows.some((r) => r.kind.startsWith('reminder.')) &&
          rows.filter((r) => !r.kind.startsWith('reminder.')).every((r) => r.attempts >= 1)
        );
      },
      30_000,
    );
    const before = await emails();
    expect(before.every((r) => r.status === 'queued')).toBe(true);

    await holder.commitTransaction();
    await holder.release();
    const cancelledAt = Date.now();
    expect((await cancelling).status).toBe(200);
    // A send that began before the cancellation committed may still go (the transfer is read, not
    // locked, while sending); let those attempts end, refused, before the SMTP server accepts again.
    await new Promise((r) => setTimeout(r, 1_500));
    smtp.accept();

    await waitFor(
      'no email of the transfer still queued',
      async () => (await emails()).every((r) => r.status !== 'queued'),
      30_000,
    );
    const settledAfterMs = Date.now() - cancelledAt;
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await emails();
    const notices = after.filter((r) => r.kind === 'transfer.cancelled');
    const others = after.filter((r) => r.kind !== 'transfer.cancelled');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((r) => r.status === 'sent')).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((r) => r.status !== 'withdrawn')).toEqual([]);
    expect(others.every((r) => /cancelled/.test(r.lastError ?? ''))).toBe(true);
    const received = smtp.messages.map((m) => m.messageId);
    expect(received.filter((m) => others.some((o) => o.messageId === m))).toEqual([]);
    expect(received.filter((m) => notices.some((n) => n.messageId === m))).toHaveLength(notices.length);
    expect(await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [id])).toEqual([]);
    expect((await ds.query(`SELECT status FROM transfers WHERE id = $1`, [id]))[0].status).toBe('cancelled');

    reportFigures({
      fault: 'cancelled-mid-job',
      emailsQueuedBeforeCancel: before.length,
      remindersQueuedBeforeCancel: before.filter((r) => r.kind.startsWith('reminder.')).length,
      withdrawn: others.length,
      cancellationNoticesSent: notices.length,
      sentAboutCancelled: received.filter((m) => others.some((o) => o.messageId === m)).length,
      packetsWritten: 0,
      settledAfterMs,
    });
  }, 120_000);
});

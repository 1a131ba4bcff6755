import { createDataSource } from '@fh/persistence';
import { DataSource, QueryRunner } from 'typeorm';
import { BuiltApp, startBuiltApp } from '../support/built-apps';
import { seedDirectory, SeededDirectory } from '../support/directory';
import { reviewFamily } from '../support/family';
import { reportFigures } from '../support/figures';
import { RunningApi, startApi } from '../support/harness';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

/**
 * The built worker SIGKILLed in the middle of a packet job and in the middle of a chase-sweep batch
 * (held there by a lock the test takes, so the kill lands mid-transaction every time): the next
 * worker finishes the work, and nothing is done twice.
 */
describe('fault: worker SIGKILLed mid-job', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let dir: SeededDirectory;
  let ds: DataSource;
  const workers: BuiltApp[] = [];

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '1' });
    dir = await seedDirectory(api);
    ds = createDataSource({ databaseUrl: api.config.databaseUrl, databasePoolSize: 3 });
    await ds.initialize();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await ds?.destroy();
    await api?.close();
    await smtp?.stop();
  }, 60_000);

  const worker = async () => {
    const w = await startBuiltApp('worker', api.config);
    workers.push(w);
    return w;
  };
  const sender = () => dir.birmingham.hv.practitioner.email;
  const initiated = async () => {
    const created = await api.call('POST', '/v1/transfers', { as: sender(), body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender() })).status).toBe(200);
    return created.body.id as string;
  };
  /** A backend of the worker's waiting on a lock, running `like`. */
  const waitingOnLock = async (holder: QueryRunner, like: string) => {
    const [{ pid }] = await holder.query(`SELECT pg_backend_pid() AS pid`);
    const rows = await ds.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1 AND wait_event_type = 'Lock' AND query ILIKE $2`,
      [pid, like],
    );
    return rows.length > 0;
  };

  it('a packet job: the next worker writes the one version', async () => {
    const id = await initiated();
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM transfers WHERE id = $1 FOR UPDATE`, [id]);
    const first = await worker();
    await waitFor(
      'the packet job to be waiting on the transfer, mid-job',
      () => waitingOnLock(holder, '%transfers%'),
      30_000,
    );
    await first.kill();
    const killedAt = Date.now();
    await holder.commitTransaction();
    await holder.release();
    expect(await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [id])).toEqual([]);

    await worker();
    await waitFor(
      'the next worker to write the packet',
      async () => (await ds.query(`SELECT 1 FROM packets WHERE transfer_id = $1`, [id])).length > 0,
      60_000,
    );
    const recoveredMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 1_500));
    const versions = await ds.query(`SELECT version FROM packets WHERE transfer_id = $1`, [id]);
    const audits = await ds.query(`SELECT 1 FROM audit_events WHERE transfer_id = $1 AND action = 'packet.generate'`, [
      id,
    ]);
    expect(versions).toEqual([{ version: 1 }]);
    expect(audits).toHaveLength(1);
    reportFigures({
      fault: 'worker-sigkill-packet',
      recoveredAfterKillMs: recoveredMs,
      packetVersions: versions.length,
      done: 1,
      twice: 0,
      lost: 0,
    });
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  }, 120_000);

  it('a sweep batch: rolled back, done again by the next worker, each reminder sent once', async () => {
    const ids = [await initiated(), await initiated(), await initiated()];
    // A first worker sends the initiations' emails and the reminders already due (appointments
    // missed before the move are chased at once); what follows counts only the next round.
    const w0 = await worker();
    await waitFor(
      'the first round of emails',
      async () =>
        (await ds.query(`SELECT 1 FROM emails WHERE status <> 'sent'`)).length === 0 &&
        (
          await ds.query(
            `SELECT 1 FROM chase_items WHERE transfer_id = ANY($1) AND status = 'open' AND next_chase_at <= now()`,
            [ids],
          )
        ).length === 0,
      60_000,
    );
    await w0.kill();
    workers.splice(0);
    const sentBefore = smtp.messages.length;
    const remindersBefore = async () =>
      new Set(
        (await ds.query(`SELECT id FROM emails WHERE kind LIKE 'reminder.%'`)).map(
          (r: { id: string }) => r.id,
        ) as string[],
      );
    const before = await remindersBefore();
    const countsBefore = new Map<string, number>(
      (
        await ds.query(`SELECT id, reminders FROM chase_items WHERE transfer_id = ANY($1) AND status = 'open'`, [ids])
      ).map((r: { id: string; reminders: number }) => [r.id, r.reminders]),
    );

    // TypeORM answers an UPDATE … RETURNING with [rows, count].
    const [due]: [{ id: string }[], number] = await ds.query(
      `UPDATE chase_items SET next_chase_at = now() - interval '1 minute' WHERE transfer_id = ANY($1) AND status = 'open' RETURNING id`,
      [ids],
    );
    expect(due.length).toBeGreaterThanOrEqual(3);
    // Hold the sweep inside its batch: its reminder's outbox row cannot be written while we lock the table.
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`LOCK TABLE outbox IN EXCLUSIVE MODE`);
    const first = await worker();
    await waitFor('a sweep to be mid-batch', () => waitingOnLock(holder, '%INSERT INTO outbox%'), 30_000);
    await first.kill();
    const killedAt = Date.now();
    await holder.commitTransaction();
    await holder.release();
    // The killed batch rolled back: no reminder was recorded.
    expect((await remindersBefore()).size).toBe(before.size);
    const counts = async () =>
      (await ds.query(`SELECT id, reminders FROM chase_items WHERE id = ANY($1)`, [due.map((d) => d.id)])) as {
        id: string;
        reminders: number;
      }[];
    expect((await counts()).filter((c) => c.reminders !== countsBefore.get(c.id))).toEqual([]);

    await worker();
    await waitFor(
      'every due item chased and its reminders sent',
      async () =>
        (await counts()).every((c) => c.reminders === countsBefore.get(c.id)! + 1) &&
        (await ds.query(`SELECT 1 FROM emails WHERE status <> 'sent'`)).length === 0,
      60_000,
    );
    const recoveredMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 2_500)); // further sweeps run meanwhile (every second)

    const reminders = (
      (await ds.query(
        `SELECT id, message_id AS "messageId", chase_item_id AS "chaseItemId" FROM emails WHERE kind LIKE 'reminder.%'`,
      )) as {
        id: string;
        messageId: string;
        chaseItemId: string;
      }[]
    ).filter((r) => !before.has(r.id));
    expect((await counts()).filter((c) => c.reminders !== countsBefore.get(c.id)! + 1)).toEqual([]);
    expect(new Set(reminders.map((r) => r.chaseItemId)).size).toBe(due.length);
    const received = smtp.messages.slice(sentBefore).map((m) => m.messageId);
    expect(received.sort()).toEqual(reminders.map((r) => r.messageId).sort());
    expect(new Set(received).size).toBe(received.length);
    reportFigures({
      fault: 'worker-sigkill-sweep',
      dueItems: due.length,
      recoveredAfterKillMs: recoveredMs,
      remindersSent: received.length,
      twice: received.length - new Set(received).size,
      lost: 0,
    });
  }, 180_000);
});

import { DataSource } from 'typeorm';
import { DigestService } from '../apps/worker/src/monitoring/digest.service';
import { MetricsCollector } from '../apps/worker/src/monitoring/metrics-collector.service';
import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';
import { TestSmtpServer } from './support/smtp';

describe('daily digest and metrics', () => {
  const clock = new TestClock(new Date('2026-12-14T10:00:00Z'));
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;
  let dir: SeededDirectory;
  let ds: DataSource;
  const references: string[] = [];

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '86400' }, undefined, clock);
    worker = await startWorker(api.config, { clock });
    dir = await seedDirectory(api);
    ds = api.app.get(DataSource);
    const sender = dir.birmingham.hv.practitioner.email;
    for (const [involvement, at] of [
      ['child_protection', '2026-12-14T10:00:00Z'],
      ['early_help', '2026-12-21T10:00:00Z'],
    ]) {
      clock.set(at);
      const created = await api.call('POST', '/v1/transfers', {
        as: sender,
        body: reviewFamily(dir.sandwell.hv.id, { involvement }),
      });
      references.push(created.body.reference);
      expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: sender })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  const digests = () =>
    ds.query(`SELECT recipient, subject, body FROM emails WHERE kind = 'digest.daily' ORDER BY recipient`);

  it('sends nothing on a weekend or a bank holiday', async () => {
    const digest = worker.app.get(DigestService);
    expect(await digest.send(new Date('2026-12-26T08:00:00Z'))).toBe(0); // Saturday
    expect(await digest.send(new Date('2026-12-28T08:00:00Z'))).toBe(0); // Boxing Day (substitute)
    expect(await digest.send(new Date('2026-12-25T08:00:00Z'))).toBe(0); // Christmas Day
    expect(await digests()).toEqual([]);
  });

  it('tells the receiving team’s managers and every area’s safeguarding leads, once a day, with counts and references only', async () => {
    const digest = worker.app.get(DigestService);
    const morning = new Date('2026-12-29T08:00:00Z');
    const queued = await digest.send(morning);
    expect(await digest.send(morning)).toBe(0); // the job running twice changes nothing
    const rows = await digests();
    expect(rows.map((r: { recipient: string }) => r.recipient)).toEqual(
      [dir.sandwell.hv.manager.email, dir.birmingham.lead.email, dir.sandwell.lead.email, dir.dudley.lead.email].sort(),
    );
    expect(queued).toBe(4);
    const manager = rows.find((r: { recipient: string }) => r.recipient === dir.sandwell.hv.manager.email);
    // the child-protection transfer was due on 15 December: overdue; the early-help one is not yet
    expect(manager.subject).toBe(
      '[Family Handover] Daily digest 2026-12-29 for Sandwell Health Visiting: 2 awaiting contact, 1 overdue',
    );
    for (const reference of references) expect(manager.body).toContain(reference);
    expect(manager.body).toContain('See them all, most overdue first: http://handover.test/monitoring\n');
    const dudley = rows.find((r: { recipient: string }) => r.recipient === dir.dudley.lead.email);
    expect(dudley.subject).toContain('0 awaiting contact, 0 overdue');

    const family = reviewFamily('x');
    const secrets = [
      ...family.household.flatMap((m) => [m.givenName, m.familyName, m.dateOfBirth]),
      family.newAddress.postcode,
      family.newAddress.line1,
      'Quillfeather',
    ];
    for (const row of rows) for (const secret of secrets) expect(`${row.subject}\n${row.body}`).not.toContain(secret);
  });

  it('publishes gauges computed in the background, not per scrape', async () => {
    clock.set('2026-12-29T12:00:00Z');
    await worker.app.get(MetricsCollector).collect();
    const port = (worker.server.address() as { port: number }).port;
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    expect(text).toMatch(/fh_unconfirmed_transfers\{area="sandwell",overdue="true",service="worker"\} 1/);
    expect(text).toMatch(/fh_unconfirmed_transfers\{area="sandwell",overdue="false",service="worker"\} 1/);
    expect(text).toMatch(/fh_open_chase_items\{kind="direct_contact",level="0",service="worker"\} 2/);
    expect(text).toMatch(/fh_emails\{state="failed",service="worker"\} 0/);
    expect(text).toMatch(/fh_outbox_backlog\{service="worker"\} \d+/);
    expect(text).toMatch(/fh_queue_jobs\{queue="notifications",state="waiting",service="worker"\} \d+/);
    const apiMetrics = await api.call('GET', '/metrics');
    expect(apiMetrics.body).toMatch(/fh_transfer_transitions_total\{event="transfer.initiated",service="api"\} 2/);
  });
});

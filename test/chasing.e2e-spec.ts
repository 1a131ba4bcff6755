import { RunningWorker, startWorker } from '../apps/worker/src/worker.factory';
import { seedDirectory } from './support/directory';
import { RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';
import { TestSmtpServer } from './support/smtp';

describe('the scheduled chase sweep, end to end', () => {
  let smtp: TestSmtpServer;
  let api: RunningApi;
  let worker: RunningWorker;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    api = await startApi({ SMTP_URL: smtp.url(), CHASE_SWEEP_SECONDS: '1' });
    worker = await startWorker(api.config);
  });
  afterAll(async () => {
    await worker.close();
    await api.close();
    await smtp.stop();
  });

  it('sends the first GP-registration reminder within seconds of initiation when the move was 30 days ago', async () => {
    const dir = await seedDirectory(api);
    const moveDate = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    const sender = dir.birmingham.hv.practitioner.email;
    const transfer = scenario(api, dir);
    const { id } = await transfer.created({ moveDate, concerns: [], appointments: [] });
    const initiatedAt = Date.now();
    await transfer.initiated();

    const deadline = initiatedAt + 20_000;
    const isReminder = () =>
      smtp.messages.find(
        (m) => /gp registration still open/.test(m.subject) && m.to.includes(dir.birmingham.hv.practitioner.email),
      );
    while (!isReminder() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const reminder = isReminder();
    expect(reminder).toBeDefined();
    expect(reminder!.subject).toMatch(
      /^\[Family Handover\] HT-\d{4}-\d{6}: reminder \(1\) — gp registration still open$/,
    );
    const elapsed = Date.now() - initiatedAt;
    expect(elapsed).toBeLessThan(20_000);
    const items = await api.call('GET', `/v1/transfers/${id}/chase-items`, { as: sender });
    expect(
      items.body
        .filter((i: { kind: string; reminders: number }) => i.kind === 'gp_registration')
        .every((i: { reminders: number }) => i.reminders >= 1),
    ).toBe(true);
  }, 30_000);
});

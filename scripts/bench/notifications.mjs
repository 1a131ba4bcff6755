// Issue 4: from `initiate` returning to the receiving team's email being accepted by the SMTP
// server, over 200 transfers — the whole path: transaction → outbox → relay → BullMQ → worker → SMTP.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { API, apiCall, env, prepareDirectory, startApi, startWorker, waitReady } from './common.mjs';

const TRANSFERS = 200;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function benchNotifications() {
  const arrived = new Map(); // reference → time the SMTP server accepted the message
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 4096) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const reference = /HT-\d{4}-\d{6}/.exec(head)?.[0];
        if (reference && !arrived.has(reference)) arrived.set(reference, performance.now());
        callback();
      });
    },
  });
  await new Promise((resolve) => smtp.listen(2599, '127.0.0.1', resolve));
  const token = await prepareDirectory();
  const api = startApi();
  const worker = startWorker();
  try {
    await waitReady(`${API}/health/ready`);
    await waitReady(`http://127.0.0.1:${env.WORKER_PORT}/health/ready`);
    const hana = token('hana.begum@birmingham.demo');
    const teams = await apiCall(hana, 'GET', '/v1/teams?area=sandwell');
    const family = JSON.parse(readFileSync(new URL('../bench-family.json', import.meta.url), 'utf8'));
    // No critical flag: exactly one email per initiation, to the receiving team's mailbox.
    const body = { ...family, concerns: [], receivingTeamId: teams.find((t) => t.service === 'health_visiting').id };
    const sent = new Map();
    for (let i = 0; i < TRANSFERS; i++) {
      const created = await apiCall(hana, 'POST', '/v1/transfers', body);
      await apiCall(hana, 'POST', `/v1/transfers/${created.id}/initiate`);
      sent.set(created.reference, performance.now());
    }
    const deadline = Date.now() + 120_000;
    while (arrived.size < TRANSFERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (arrived.size < TRANSFERS) throw new Error(`only ${arrived.size} of ${TRANSFERS} emails arrived`);
    const latencies = [...sent].map(([reference, at]) => arrived.get(reference) - at).sort((a, b) => a - b);
    const ms = (v) => Math.round(v);
    return {
      id: 'notifications',
      heading: 'Notifications: initiate → receiving team’s email accepted by SMTP (issue 4)',
      columns: ['what', 'transfers', 'p50 ms', 'p95 ms', 'max ms'],
      rows: [
        [
          'sequential initiations, one email each, SMTP server in-process on loopback',
          TRANSFERS,
          ms(percentile(latencies, 50)),
          ms(percentile(latencies, 95)),
          ms(latencies.at(-1)),
        ],
      ],
      notes:
        'The clock starts when `POST /initiate` returns and stops when the SMTP server accepts the DATA. The path: the transition ' +
        'commits the email row and its outbox row; the relay wakes on LISTEN/NOTIFY (polling each second otherwise), adds the job to ' +
        'BullMQ; the worker sends through nodemailer and marks the row sent.',
    };
  } finally {
    await Promise.all([api.stop(), worker.stop()]);
    await new Promise((resolve) => smtp.close(resolve));
  }
}

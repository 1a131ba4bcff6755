// `npm run packet-example`: renders docs/packet-example.pdf, the demo family's handover packet.
// Runs `npm run demo` against a scratch database (dropped first, so the family's dates are fresh) on
// its own ports and queue prefix, waits for the worker to generate the packet, fetches /packet.pdf as
// the sending health visitor, and stops the demo.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const DB = 'family_handover_packet_example';
const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = base.replace(/\/[^/]*$/, `/${DB}`);
const PORT = process.env.EXAMPLE_PORT ?? '3910';
const env = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  PORT,
  WORKER_PORT: String(Number(PORT) + 1),
  APP_BASE_URL: `http://127.0.0.1:${PORT}`,
  QUEUE_PREFIX: `fh-packet-example-${process.pid}`,
  // Emails are not the point here: a closed port, so none is sent and no mail catcher is started.
  SMTP_URL: 'smtp://127.0.0.1:2598',
  LOG_LEVEL: 'warn',
};
const API = `http://127.0.0.1:${PORT}`;
const SENDER = 'hana.begum@birmingham.demo';

const admin = new pg.Client({ connectionString: base });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.end();

const demo = spawn(process.execPath, ['scripts/demo.mjs'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let output = '';
demo.stdout.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => demo.once('exit', resolve));

async function until(what, check, seconds = 240) {
  for (let i = 0; i < seconds * 4; i++) {
    const value = await check();
    if (value) return value;
    if (demo.exitCode !== null) throw new Error(`the demo stopped before ${what}:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

try {
  const token = await until('the demo printed its tokens', () => {
    const lines = output.split('\n');
    const at = lines.findIndex((l) => l.includes(SENDER));
    return at >= 0 && output.includes('Press Ctrl-C') ? lines[at + 1]?.trim().replace(/^TOKEN=/, '') : null;
  });
  const get = (path) => fetch(`${API}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const transfer = (await (await get('/v1/transfers?direction=outgoing')).json()).items[0];
  const pdf = await until('the worker generated the packet', async () => {
    const response = await get(`/v1/transfers/${transfer.id}/packet.pdf`);
    return response.ok ? Buffer.from(await response.arrayBuffer()) : null;
  });
  const file = new URL('../docs/packet-example.pdf', import.meta.url);
  writeFileSync(file, pdf);
  console.log(`wrote docs/packet-example.pdf (${transfer.reference}, ${pdf.length} bytes)`);
} finally {
  demo.kill('SIGTERM');
  await exited;
}

// `npm run bench [-- scenario …]`: measured performance, written to docs/BENCHMARKS.md.
// Builds, prepares a fresh benchmark database, seeds it, starts the built API (and worker where a
// scenario needs it) on loopback, measures with autocannon, and records the figures with the
// machine and date. Every load targets 127.0.0.1 only, is bounded in time and stops by itself.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';

const SCENARIOS = { transfers: benchTransfers };
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const run = chosen.length ? chosen : Object.keys(SCENARIOS);

const DB = 'family_handover_bench';
const env = {
  ...process.env,
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `postgres://postgres@127.0.0.1:5432/${DB}`,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:2599',
  MAIL_FROM: 'bench@bench.local',
  APP_BASE_URL: 'http://127.0.0.1:3900',
  PORT: '3900',
  WORKER_PORT: '3901',
  AUTH_JWT_SECRET: 'bench-only-secret-000000000000000000000',
  BOOTSTRAP_ADMIN_EMAIL: 'admin@bench.local',
  QUEUE_PREFIX: 'fh-bench',
  RATE_LIMIT_PER_MINUTE: '100000000',
  LOG_LEVEL: 'warn',
  DATABASE_POOL_SIZE: '20',
};
const API = `http://127.0.0.1:${env.PORT}`;

const node = (args, opts = {}) => {
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return result.stdout;
};

async function resetDatabase() {
  const admin = new pg.Client({ connectionString: env.DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
}

async function waitReady(url) {
  for (let i = 0; i < 240; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready`);
}

function startApi() {
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) };
}

async function measure(title, options) {
  const result = await autocannon({ connections: 10, duration: 15, ...options });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${title}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return {
    title,
    connections: options.connections ?? 10,
    duration: options.duration ?? 15,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** Issue 3: GET /v1/transfers/:id and the incoming list, with 10,000 transfers seeded. */
async function benchTransfers() {
  await resetDatabase();
  node(['dist/apps/api/src/cli.js', 'migrate']);
  const people = JSON.parse(node(['dist/apps/api/src/cli.js', 'seed-demo']).trim().split('\n').pop()).people;
  const token = (email) => people.find((p) => p.email === email).token;
  const api = startApi();
  try {
    await waitReady(`${API}/health/ready`);
    const hana = token('hana.begum@birmingham.demo');
    const call = async (method, path, body) => {
      const response = await fetch(`${API}${path}`, {
        method,
        headers: { authorization: `Bearer ${hana}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const teams = await call('GET', '/v1/teams?area=sandwell');
    const family = JSON.parse(readFileSync(new URL('./bench-family.json', import.meta.url), 'utf8'));
    const source = await call('POST', '/v1/transfers', { ...family, receivingTeamId: teams.find((t) => t.service === 'health_visiting').id });
    await call('POST', `/v1/transfers/${source.id}/initiate`);

    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const seeded = Date.now();
    await db.query('BEGIN');
    await db.query(`CREATE TEMP TABLE clone AS SELECT g, gen_random_uuid() AS tid FROM generate_series(1, 9999) g`);
    await db.query(
      `INSERT INTO transfers (id, reference, status, version, round, involvement, move_date, move_type, reason, previous_address_area, new_address,
         left_support_network, support_network_note, household_confirmed, no_male_carer_reason, sending_team_id, sending_area_id, receiving_team_id,
         receiving_area_id, accountable_practitioner_id, created_by_id, risk_flags, critical_flag_codes, contact_due_at, created_at, updated_at, initiated_at)
       SELECT c.tid, 'HT-BENCH-' || lpad(c.g::text, 6, '0'), t.status, t.version, t.round, t.involvement, t.move_date, t.move_type, t.reason, t.previous_address_area,
         t.new_address, t.left_support_network, t.support_network_note, t.household_confirmed, t.no_male_carer_reason, t.sending_team_id, t.sending_area_id,
         t.receiving_team_id, t.receiving_area_id, t.accountable_practitioner_id, t.created_by_id, t.risk_flags, t.critical_flag_codes, t.contact_due_at,
         t.created_at - make_interval(secs => c.g), t.updated_at, t.initiated_at - make_interval(secs => c.g)
       FROM transfers t CROSS JOIN clone c WHERE t.id = $1`,
      [source.id],
    );
    await db.query(`CREATE TEMP TABLE mclone AS SELECT c.tid, m.id AS old_id, gen_random_uuid() AS new_id FROM clone c CROSS JOIN household_members m WHERE m.transfer_id = $1`, [source.id]);
    await db.query(
      `INSERT INTO household_members (id, transfer_id, position, ref, role, given_name, family_name, date_of_birth, sex, nhs_number, lives_in_household, mobility,
         engaged, gp_status, gp_practice_ods, gp_practice_name, risk_factors)
       SELECT mc.new_id, mc.tid, m.position, m.ref, m.role, m.given_name, m.family_name, m.date_of_birth, m.sex, m.nhs_number, m.lives_in_household, m.mobility,
         m.engaged, m.gp_status, m.gp_practice_ods, m.gp_practice_name, m.risk_factors
       FROM mclone mc JOIN household_members m ON m.id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO member_involvements (member_id, transfer_id, position, agency, area, detail)
       SELECT mc.new_id, mc.tid, i.position, i.agency, i.area, i.detail FROM mclone mc JOIN member_involvements i ON i.member_id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO concerns (transfer_id, member_id, position, type, observed_on, description, safeguarding_advice_sought)
       SELECT mc.tid, mc.new_id, c.position, c.type, c.observed_on, c.description, c.safeguarding_advice_sought FROM mclone mc JOIN concerns c ON c.member_id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO appointments (transfer_id, member_id, position, kind, provider, due_on, status)
       SELECT mc.tid, mc.new_id, a.position, a.kind, a.provider, a.due_on, a.status FROM mclone mc JOIN appointments a ON a.member_id = mc.old_id`,
    );
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const ids = (await db.query(`SELECT id FROM transfers ORDER BY random() LIMIT 2000`)).rows.map((r) => r.id);
    const total = (await db.query(`SELECT count(*)::int AS n FROM transfers`)).rows[0].n;
    await db.end();
    console.log(`seeded ${total} transfers in ${Date.now() - seeded} ms`);

    const harriet = token('harriet.shaw@sandwell.demo');
    let next = 0;
    const rows = [
      await measure('GET /v1/transfers/:id (random of 2,000 ids; household of 4)', {
        url: API,
        headers: { authorization: `Bearer ${harriet}` },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/transfers/${ids[next++ % ids.length]}` }) }],
      }),
      await measure('GET /v1/transfers?direction=incoming (first page of 25)', {
        url: `${API}/v1/transfers?direction=incoming`,
        headers: { authorization: `Bearer ${harriet}` },
      }),
    ];
    return { id: 'transfers', heading: `Transfers: reads with ${total.toLocaleString('en-GB')} transfers seeded (issue 3)`, rows };
  } finally {
    await api.stop();
  }
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL and Redis on the same machine`;
}

function table(section) {
  const lines = [
    `| what | connections × seconds | requests | req/s | p50 ms | p99 ms |`,
    `|---|---|---|---|---|---|`,
    ...section.rows.map((r) => `| ${r.title} | ${r.connections} × ${r.duration} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} |`),
  ];
  return lines.join('\n');
}

function record(section) {
  const file = new URL('../docs/BENCHMARKS.md', import.meta.url);
  const header = '# Benchmarks\n\nWritten by `npm run bench` (scripts/bench.mjs); each section is replaced when its scenario runs again.\n';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const start = `<!-- bench:${section.id} -->`;
  const end = `<!-- /bench:${section.id} -->`;
  const body = `${start}\n## ${section.heading}\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.\n\n${table(section)}\n${section.notes ? `\n${section.notes}\n` : ''}${end}`;
  const at = text.indexOf(start);
  text = at >= 0 ? text.slice(0, at) + body + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${body}\n`;
  writeFileSync(file, text);
}

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
for (const name of run) {
  if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  console.log(`\n▶ ${name}`);
  const section = await SCENARIOS[name]();
  console.log(table(section));
  record(section);
}
console.log('\nFigures written to docs/BENCHMARKS.md');

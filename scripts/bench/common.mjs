// Shared pieces of the benchmarks: the environment, a fresh database, the built apps, autocannon.
import { execSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import pg from 'pg';

export { pg, spawnSync };
/** The benchmark's own database (BENCH_DATABASE_URL names another; it is dropped and made afresh). */
export const DB = process.env.BENCH_DATABASE_URL
  ? new URL(process.env.BENCH_DATABASE_URL).pathname.slice(1)
  : 'family_handover_bench';
export const env = {
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
export const API = `http://127.0.0.1:${env.PORT}`;

export const node = (args, opts = {}) => {
  const result = spawnSync(process.execPath, args, {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    ...opts,
  });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return result.stdout;
};

export async function resetDatabase() {
  const admin = new pg.Client({ connectionString: env.DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
}

export async function waitReady(url) {
  for (let i = 0; i < 240; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready`);
}

export function startApi() {
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    child,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))),
  };
}

const TICK_MS = 1000 / Number(execSync('getconf CLK_TCK').toString().trim() || 100);

/** CPU time (user + system, ms) a process has used so far; 0 once it is gone. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU ms of every PostgreSQL backend connected to the benchmark database (this client's own excluded). */
async function backendsCpu(db) {
  const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
    DB,
  ]);
  return new Map(rows.map((r) => [r.pid, cpuMs(r.pid)]));
}

/**
 * Runs `run` (a `measure`) and returns its row with the CPU each request cost: the server process
 * `pid`'s, and every PostgreSQL backend of the benchmark database's (from /proc, over the window).
 * Less sensitive to what else the machine runs than req/s.
 */
export async function withCpu(pid, db, run) {
  const nodeBefore = cpuMs(pid);
  const pgBefore = await backendsCpu(db);
  const row = await run();
  let pgMs = 0;
  for (const [backend, after] of await backendsCpu(db)) pgMs += after - (pgBefore.get(backend) ?? 0);
  return { row, nodeMs: (cpuMs(pid) - nodeBefore) / row.requests, pgMs: pgMs / row.requests };
}

/** Load with autocannon; percentiles come from every response's own latency (autocannon has no p95). */
export async function measure(title, options) {
  const latencies = [];
  const instance = autocannon({ connections: 10, duration: 15, ...options });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${title}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  latencies.sort((a, b) => a - b);
  const at = (p) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] * 10) / 10;
  return {
    title,
    connections: options.connections ?? 10,
    duration: options.duration ?? 15,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: at(50),
    p95: at(95),
    p99: at(99),
  };
}

export function startWorker() {
  const child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    child,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))),
  };
}

/** Fresh database, migrated, with the demo directory; returns a token for a demo email. */
export async function prepareDirectory() {
  await resetDatabase();
  node(['dist/apps/api/src/cli.js', 'migrate']);
  const people = JSON.parse(node(['dist/apps/api/src/cli.js', 'seed-demo']).trim().split('\n').pop()).people;
  return (email) => people.find((p) => p.email === email).token;
}

/** A JSON HTTP call to the benchmark API as the holder of `token`. */
export async function apiCall(token, method, path, body) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Copies one transfer (with its household, concerns and appointments) `count` times; returns the new ids. */
export async function cloneTransfer(db, sourceId, count, prefix = 'HT-BENCH-') {
  await db.query('BEGIN');
  const { rows } = await db.query(`SELECT g, gen_random_uuid() AS tid FROM generate_series(1, $1::int) g`, [count]);
  await db.query(`CREATE TEMP TABLE clone (g int, tid uuid) ON COMMIT DROP`);
  await db.query(`INSERT INTO clone SELECT * FROM unnest($1::int[], $2::uuid[])`, [
    rows.map((r) => r.g),
    rows.map((r) => r.tid),
  ]);
  await db.query(
    `INSERT INTO transfers (id, reference, status, version, round, involvement, move_date, move_type, reason, previous_address_area, new_address,
       left_support_network, support_network_note, household_confirmed, no_male_carer_reason, sending_team_id, sending_area_id, receiving_team_id,
       receiving_area_id, accountable_practitioner_id, created_by_id, risk_flags, critical_flag_codes, contact_due_at, created_at, updated_at, initiated_at)
     SELECT c.tid, $2 || lpad(c.g::text, 6, '0') || '-' || substr(c.tid::text, 1, 4), t.status, t.version, t.round, t.involvement, t.move_date, t.move_type,
       t.reason, t.previous_address_area, t.new_address, t.left_support_network, t.support_network_note, t.household_confirmed, t.no_male_carer_reason,
       t.sending_team_id, t.sending_area_id, t.receiving_team_id, t.receiving_area_id, t.accountable_practitioner_id, t.created_by_id, t.risk_flags,
       t.critical_flag_codes, t.contact_due_at, t.created_at, t.updated_at, t.initiated_at
     FROM transfers t CROSS JOIN clone c WHERE t.id = $1`,
    [sourceId, prefix],
  );
  await db.query(
    `CREATE TEMP TABLE mclone ON COMMIT DROP AS SELECT c.tid, m.id AS old_id, gen_random_uuid() AS new_id FROM clone c CROSS JOIN household_members m WHERE m.transfer_id = $1`,
    [sourceId],
  );
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
  await resealClones(
    db,
    sourceId,
    rows.map((r) => r.tid),
  );
  await db.query('COMMIT');
  await db.query('ANALYZE');
  return rows.map((r) => r.tid);
}

/** The columns the SQL copy above copies sealed under the source's key and id, by table. */
const CLONED_SEALED = {
  transfers: [
    'reason',
    'new_address',
    'support_network_note',
    'no_male_carer_reason',
    'return_reason',
    'cancel_reason',
  ],
  household_members: ['given_name', 'family_name', 'date_of_birth', 'nhs_number'],
  member_involvements: ['detail'],
  concerns: ['description'],
};

/**
 * Family values are sealed under their transfer's own data key, bound to its id (AAD): a copied
 * ciphertext would not open under the clone. So each clone gets a data key of its own
 * (transfer_keys) and every copied value is opened with the source's cipher and sealed again with
 * the clone's, as the service would have written it. Uses the built persistence library and the
 * key ring the benchmark's API gets (the development ring unless DATA_KEY_RING is set).
 */
async function resealClones(db, sourceId, cloneIds) {
  const require = createRequire(import.meta.url);
  const { TransferCipher, unwrapDataKey, wrapDataKey } = require('../../dist/libs/persistence/src/index.js');
  const { loadConfig } = require('../../dist/libs/config/src/index.js');
  const ring = loadConfig(env).dataKeys;
  const { rows: keys } = await db.query(`SELECT kek_id, wrapped_key FROM transfer_keys WHERE transfer_id = $1`, [
    sourceId,
  ]);
  const source = new TransferCipher(sourceId, unwrapDataKey(ring, sourceId, keys[0].kek_id, keys[0].wrapped_key));
  const ciphers = new Map();
  const wrapped = [];
  for (const id of cloneIds) {
    const dataKey = randomBytes(32);
    ciphers.set(id, new TransferCipher(id, dataKey));
    wrapped.push(wrapDataKey(ring, id, dataKey));
  }
  await db.query(
    `INSERT INTO transfer_keys (transfer_id, kek_id, wrapped_key) SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[])`,
    [cloneIds, wrapped.map((w) => w.kekId), wrapped.map((w) => w.wrapped)],
  );
  for (const [table, columns] of Object.entries(CLONED_SEALED)) {
    const idColumn = table === 'transfers' ? 'id' : 'transfer_id';
    const { rows } = await db.query(
      `SELECT id, ${idColumn} AS tid, ${columns.join(', ')} FROM ${table} WHERE ${idColumn} = ANY($1::uuid[])`,
      [cloneIds],
    );
    for (let i = 0; i < rows.length; i += 5000) {
      const batch = rows.slice(i, i + 5000);
      const values = columns.map((column) =>
        batch.map((row) =>
          ciphers.get(row.tid).seal(`${table}.${column}`, source.open(`${table}.${column}`, row[column])),
        ),
      );
      await db.query(
        `UPDATE ${table} x SET ${columns.map((c) => `${c} = r.${c}`).join(', ')}
         FROM unnest($1::uuid[], ${columns.map((_, n) => `$${n + 2}::text[]`).join(', ')}) AS r(id, ${columns.join(', ')})
         WHERE x.id = r.id`,
        [batch.map((row) => row.id), ...values],
      );
    }
  }
}

// Shared pieces of the benchmarks: the environment, a fresh database, the built apps, autocannon.
import { spawn, spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import pg from 'pg';

export { pg, spawnSync };
export const DB = 'family_handover_bench';
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
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });
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
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} never became ready`);
}

export function startApi() {
  const child = spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) };
}

/** Load with autocannon; percentiles come from every response's own latency (autocannon has no p95). */
export async function measure(title, options) {
  const latencies = [];
  const instance = autocannon({ connections: 10, duration: 15, ...options });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await instance;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${title}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  latencies.sort((a, b) => a - b);
  const at = (p) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] * 10) / 10;
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
  const child = spawn(process.execPath, ['dist/apps/worker/src/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { child, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) };
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

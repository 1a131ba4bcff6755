// `npm run bench [-- scenario …]`: measured performance, written to docs/BENCHMARKS.md.
// Each scenario (scripts/bench/*.mjs) builds its own fresh benchmark database, seeds it, starts the
// built apps on loopback, measures, and returns a section; this file records it with the machine
// and date. Every load targets 127.0.0.1 only, is bounded in time and stops by itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchTransfersBare } from './bench/bare.mjs';
import { benchPackets } from './bench/packets.mjs';
import { benchChasing } from './bench/chasing.mjs';
import { benchMonitoring } from './bench/monitoring.mjs';
import { benchNotifications } from './bench/notifications.mjs';
import { benchTransfers } from './bench/transfers.mjs';
import { benchWeb } from './bench/web.mjs';

/** Scenario name → function returning { id, heading, rows, notes? }. */
const SCENARIOS = {
  transfers: benchTransfers,
  'transfers-bare': benchTransfersBare,
  packets: benchPackets,
  notifications: benchNotifications,
  chasing: benchChasing,
  monitoring: benchMonitoring,
  web: benchWeb,
};
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const run = chosen.length ? chosen : Object.keys(SCENARIOS);

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL and Redis on the same machine`;
}

function table(section) {
  // A scenario may give its own columns, with each row an array of cells in that order.
  if (section.columns) {
    return [
      `| ${section.columns.join(' | ')} |`,
      `|${section.columns.map(() => '---').join('|')}|`,
      ...section.rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  }
  const lines = [
    `| what | connections × seconds | requests | req/s | p50 ms | p95 ms | p99 ms |`,
    `|---|---|---|---|---|---|---|`,
    ...section.rows.map(
      (r) =>
        `| ${r.title} | ${r.connections} × ${r.duration} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} |`,
    ),
  ];
  return lines.join('\n');
}

function record(section) {
  const file = new URL('../docs/BENCHMARKS.md', import.meta.url);
  const header =
    '# Benchmarks\n\nWritten by `npm run bench` (scripts/bench.mjs); each section is replaced when its scenario runs again.\n';
  let text = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const start = `<!-- bench:${section.id} -->`;
  const end = `<!-- /bench:${section.id} -->`;
  const body = `${start}\n## ${section.heading}\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.\n\n${table(section)}\n${section.notes ? `\n${section.notes}\n` : ''}${end}`;
  const at = text.indexOf(start);
  text =
    at >= 0 ? text.slice(0, at) + body + text.slice(text.indexOf(end) + end.length) : `${text.trimEnd()}\n\n${body}\n`;
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

// Issue 5: one chase sweep over 10,000 due items, among 10,000 open and among 1,000,000 open.
// The sweep runs in this process on the built worker code, against a fresh database.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { env, node, pg, resetDatabase } from './common.mjs';

const require = createRequire(import.meta.url);
const DUE = 10_000;

async function seed(db, open) {
  const { rows } = await db.query(
    `SELECT t.id AS "teamId", p.id AS "ownerId", t.area_id AS "areaId" FROM practitioners p JOIN teams t ON t.id = p.team_id WHERE p.email = 'hana.begum@birmingham.demo'`,
  );
  const { rows: recv } = await db.query(
    `SELECT t.id, t.area_id AS "areaId" FROM teams t JOIN areas a ON a.id = t.area_id WHERE a.code = 'sandwell' LIMIT 1`,
  );
  const [{ id: transferId }] = (
    await db.query(
      `INSERT INTO transfers (reference, status, involvement, move_date, move_type, sending_team_id, sending_area_id, receiving_team_id, receiving_area_id,
         accountable_practitioner_id, created_by_id, initiated_at, contact_due_at)
       VALUES ('HT-BENCH-000001', 'awaiting_contact', 'child_in_need', current_date - 30, 'permanent', $1, $2, $3, $4, $5, $5, now(), now() + interval '5 days')
       RETURNING id`,
      [rows[0].teamId, rows[0].areaId, recv[0].id, recv[0].areaId, rows[0].ownerId],
    )
  ).rows;
  // The due ones, then the rest open but due weeks to months ahead.
  await db.query(
    `INSERT INTO chase_items (transfer_id, kind, owner_id, next_chase_at) SELECT $1, 'agreed_action', $2, now() - make_interval(mins => g % 600) FROM generate_series(1, $3) g`,
    [transferId, rows[0].ownerId, DUE],
  );
  if (open > DUE) {
    await db.query(
      `INSERT INTO chase_items (transfer_id, kind, owner_id, next_chase_at) SELECT $1, 'agreed_action', $2, now() + make_interval(days => 7 + g % 300, mins => g % 1440) FROM generate_series(1, $3) g`,
      [transferId, rows[0].ownerId, open - DUE],
    );
  }
  await db.query('VACUUM ANALYZE chase_items');
}

async function sweepOnce(open) {
  await resetDatabase();
  node(['dist/apps/api/src/cli.js', 'migrate']);
  node(['dist/apps/api/src/cli.js', 'seed-demo']);
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const seeding = performance.now();
  await seed(db, open);
  const seededIn = performance.now() - seeding;

  const { createDataSource } = require('../../dist/libs/persistence/src/index.js');
  const { ChaseSweeper, DEFAULT_CHASE_POLICY } = require('../../dist/apps/worker/src/chasing/chase-sweeper.service.js');
  const { SystemClock } = require('../../dist/libs/domain/src/index.js');
  const { loadConfig } = require('../../dist/libs/config/src/index.js');
  const { Registry } = require('prom-client');
  const config = loadConfig(env);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const sweeper = new ChaseSweeper(dataSource, new SystemClock(), config, DEFAULT_CHASE_POLICY, new Registry());
    const started = performance.now();
    const chased = await sweeper.sweep(new Date());
    const seconds = (performance.now() - started) / 1000;
    const [{ n: reminders }] = (await db.query(`SELECT count(*)::int AS n FROM emails`)).rows;
    if (chased !== DUE || reminders !== DUE)
      throw new Error(`expected ${DUE} chased and emailed, got ${chased} and ${reminders}`);
    return { open, seconds, seededIn };
  } finally {
    await dataSource.destroy();
    await db.end();
  }
}

export async function benchChasing() {
  const small = await sweepOnce(DUE);
  const large = await sweepOnce(1_000_000);
  const row = (r) => [
    `${DUE.toLocaleString('en-GB')} due among ${r.open.toLocaleString('en-GB')} open`,
    r.seconds.toFixed(2),
    Math.round(DUE / r.seconds),
    `${(r.seededIn / 1000).toFixed(1)} s`,
  ];
  return {
    id: 'chasing',
    heading: 'Chasing: one sweep over 10,000 due items (issue 5)',
    columns: ['what', 'sweep seconds', 'items/s', '(seeding took)'],
    rows: [row(small), row(large)],
    notes:
      `Each item chased writes its reminder email row, the outbox row that sends it, and moves the item's next chase on, in batches of 200 ` +
      `claimed with FOR UPDATE SKIP LOCKED through the partial index on open items' next_chase_at. Ratio large/small: ${(large.seconds / small.seconds).toFixed(2)}.`,
  };
}

// Issue 11 item 1: EXPLAIN (ANALYZE, BUFFERS) of the write side's and the chase sweep's hot statements, exactly
// as the repositories send them (recorded through a stand-in EntityManager, then explained on the real database
// inside a transaction that is rolled back). 10,000 transfers (the bench family cloned), every one initiated with
// its loose ends open, ~2 % of them due. Usage: npm run build && BENCH_DATABASE_URL=postgres://…/own_db node
// scripts/bench/explain-writes.mjs > docs/bench/write-path-explain.txt (the database is dropped and made afresh).
import { createRequire } from 'node:module';
import { cloneTransfer, env, pg, prepareDirectory } from './common.mjs';

const require = createRequire(import.meta.url);
const persistence = require('../../dist/libs/persistence/src/index.js');

/** Records what a repository sends; answers with rows shaped enough for the method to return. */
function recorder() {
  const sent = [];
  return {
    sent,
    manager: {
      query: async (sql, params) => {
        sent.push({ sql, params });
        return [{ id: '00000000-0000-0000-0000-000000000000', open: 0, owner: null }];
      },
    },
  };
}

async function main() {
  await prepareDirectory();
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const q = async (sql, params) => (await db.query(sql, params)).rows;
  const [owner] = await q(
    `SELECT t.id AS "teamId", p.id AS "ownerId", t.area_id AS "areaId" FROM practitioners p JOIN teams t ON t.id = p.team_id WHERE p.email = 'hana.begum@birmingham.demo'`,
  );
  const [recv] = await q(
    `SELECT t.id, t.area_id AS "areaId" FROM teams t JOIN areas a ON a.id = t.area_id WHERE a.code = 'sandwell' LIMIT 1`,
  );
  const [source] = await q(
    `INSERT INTO transfers (reference, status, involvement, move_date, move_type, sending_team_id, sending_area_id, receiving_team_id, receiving_area_id,
       accountable_practitioner_id, created_by_id, initiated_at, contact_due_at, round)
     VALUES ('HT-EXPLAIN-0', 'awaiting_contact', 'child_in_need', current_date - 30, 'permanent', $1, $2, $3, $4, $5, $5, now(), now() + interval '5 days', 1)
     RETURNING id`,
    [owner.teamId, owner.areaId, recv.id, recv.areaId, owner.ownerId],
  );
  for (const [ref, position] of [
    ['baby', 0],
    ['sibling', 1],
    ['mother', 2],
  ]) {
    const [m] = await q(
      `INSERT INTO household_members (transfer_id, position, ref, given_name, family_name, sex, lives_in_household, gp_status)
       VALUES ($1, $2, $3, 'Given', 'Family', 'unknown', true, 'unknown') RETURNING id`,
      [source.id, position, ref],
    );
    await q(
      `INSERT INTO appointments (transfer_id, member_id, position, kind, due_on, status) VALUES ($1, $2, 0, 'immunisation', current_date + 7, 'scheduled')`,
      [source.id, m.id],
    );
  }
  await cloneTransfer(db, source.id, 9999, 'HT-EXPLAIN-');
  const due = `CASE WHEN random() < 0.02 THEN now() - interval '1 hour' ELSE now() + make_interval(days => 1 + (random() * 60)::int) END`;
  await q(
    `INSERT INTO chase_items (transfer_id, kind, owner_id, next_chase_at) SELECT id, 'direct_contact', accountable_practitioner_id, ${due} FROM transfers`,
  );
  await q(
    `INSERT INTO chase_items (transfer_id, kind, member_id, owner_id, next_chase_at)
     SELECT m.transfer_id, 'gp_registration', m.id, t.accountable_practitioner_id, ${due} FROM household_members m JOIN transfers t ON t.id = m.transfer_id`,
  );
  await q(
    `INSERT INTO chase_items (transfer_id, kind, member_id, appointment_id, owner_id, next_chase_at)
     SELECT a.transfer_id, 'appointment', a.member_id, a.id, t.accountable_practitioner_id, ${due} FROM appointments a JOIN transfers t ON t.id = a.transfer_id`,
  );
  await q('VACUUM ANALYZE');
  const [counts] = await q(
    `SELECT (SELECT count(*) FROM transfers)::int AS transfers, (SELECT count(*) FROM chase_items)::int AS open,
            (SELECT count(*) FROM chase_items WHERE next_chase_at <= now())::int AS due`,
  );
  const [target] = await q(`SELECT id, accountable_practitioner_id AS owner FROM transfers ORDER BY random() LIMIT 1`);
  const [item] = await q(`SELECT id FROM chase_items WHERE transfer_id = $1 AND kind = 'gp_registration' LIMIT 1`, [
    target.id,
  ]);
  const appointments = (await q(`SELECT id FROM appointments WHERE transfer_id = $1`, [target.id])).map((r) => r.id);
  const members = (await q(`SELECT id FROM household_members WHERE transfer_id = $1`, [target.id])).map((r) => r.id);
  const now = new Date();

  const { sent, manager } = recorder();
  const chase = new persistence.ChaseItemRepository(manager);
  const transfers = new persistence.TransferRepository(manager);
  const audience = new persistence.AudienceRepository(manager);
  const keys = new persistence.IdempotencyRepository(manager);
  const statements = [
    ['the sweep: claim due items (ChaseItemRepository.claimDue)', () => chase.claimDue(now, 200)],
    ['the sweep: record a reminder', () => chase.recordReminder(item.id, 1, 1, now)],
    [
      'the sweep: reminder recipients (AudienceRepository)',
      () =>
        audience.reminderRecipients(target.id, target.owner, {
          owner: true,
          teamManagers: true,
          safeguardingLeads: true,
          receivingSide: true,
        }),
    ],
    [
      'a transition: open a loose end unless open already (chase.open)',
      () =>
        chase.open(target.id, {
          kind: 'transfer_in_conference',
          ownerId: target.owner,
          nextChaseAt: now,
          escalationLevel: 0,
        }),
    ],
    ['a transition: close by kind (chase.close)', () => chase.closeByKind(target.id, 'direct_contact', 'accepted')],
    ['a transition: close all (chase.close_all)', () => chase.closeAll(target.id, 'not_required')],
    ['a transition: move ownership', () => chase.moveOwnership(target.id, target.owner)],
    [
      'an update: close what is no longer recorded (chase.close_unrecorded)',
      () => chase.closeNoLongerRecorded(target.id, appointments.slice(1), members),
    ],
    ['close-if-done: count open items', () => chase.countOpen(target.id)],
    [
      'a transition: apply the decision',
      () =>
        transfers.applyDecision(
          target.id,
          {
            status: 'accepted',
            accountablePractitionerId: target.owner,
            facts: { household: [], concerns: [], appointments: [] },
          },
          'transfer.accepted',
        ),
    ],
    ['every write with Idempotency-Key: claim the key', () => keys.claim(target.owner, 'explain-key', 'hash')],
  ];
  console.log(
    `# EXPLAIN (ANALYZE, BUFFERS) of the write side's and the chase sweep's hot statements (issue 11 item 1)`,
  );
  console.log(`#`);
  console.log(`# ${new Date().toISOString()}, produced by scripts/bench/explain-writes.mjs on a fresh database:`);
  console.log(`# ${counts.transfers} transfers, ${counts.open} open chase items, ${counts.due} of them due.`);
  console.log(
    `# Each statement is the repository's own text, run inside BEGIN … ROLLBACK. The machine is shared, so the`,
  );
  console.log(`# times are indicative; the plans (index use, rows touched) are the point.`);
  for (const [title, call] of statements) {
    sent.length = 0;
    await call();
    for (const { sql, params } of sent) {
      await db.query('BEGIN');
      const plan = (await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows.map((r) => r['QUERY PLAN']);
      await db.query('ROLLBACK');
      console.log(`\n== ${title}\n\n${sql.trim()}\n\n${plan.join('\n')}`);
    }
  }
  await db.end();
}

await main();

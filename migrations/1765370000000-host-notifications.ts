import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Host notifications and temporary moves (issue 13 items 2 and 3).
 * - transfers.kind: `transfer` or `host_notification` (written with every decision from the facts,
 *   libs/domain lifecycle/kind.ts, so lists and monitoring can filter on it);
 * - the new status `notification_acknowledged`, and who the host team named as its contact;
 * - a temporary move's `expected_until` / `review_on`, and the sending side's short-stay choice with
 *   its reason;
 * - household_members.statutory_order (children);
 * - the chase kind `move_review`.
 * The status and kind checks are widened from what they are now (another migration may have
 * widened them too), never rewritten from a list of our own.
 */
export class HostNotifications1765370000000 implements MigrationInterface {
  name = 'HostNotifications1765370000000';

  async up(q: QueryRunner): Promise<void> {
    await widenCheck(q, 'transfers', 'transfers_status_check', 'status', ['notification_acknowledged'], []);
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', ['move_review'], []);
    await q.query(`
      ALTER TABLE transfers
        ADD COLUMN kind text NOT NULL DEFAULT 'transfer' CHECK (kind IN ('transfer','host_notification')),
        ADD COLUMN expected_until date,
        ADD COLUMN review_on date,
        ADD COLUMN short_stay_record_as text CHECK (short_stay_record_as IN ('host_notification','transfer')),
        ADD COLUMN short_stay_reason text,
        ADD COLUMN host_contact_practitioner_id uuid REFERENCES practitioners(id),
        ADD COLUMN notification_acknowledged_at timestamptz`);
    await q.query(`
      ALTER TABLE household_members
        ADD COLUMN statutory_order text
          CHECK (statutory_order IN ('care_order','interim_care_order','supervision_order','emergency_protection_order','other'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE household_members DROP COLUMN statutory_order`);
    await q.query(`
      ALTER TABLE transfers DROP COLUMN kind, DROP COLUMN expected_until, DROP COLUMN review_on,
        DROP COLUMN short_stay_record_as, DROP COLUMN short_stay_reason, DROP COLUMN host_contact_practitioner_id,
        DROP COLUMN notification_acknowledged_at`);
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', [], ['move_review']);
    await widenCheck(q, 'transfers', 'transfers_status_check', 'status', [], ['notification_acknowledged']);
  }
}

/** Replaces a `column IN (…)` check with its current values plus `add`, minus `remove`. */
export async function widenCheck(
  q: QueryRunner,
  table: string,
  constraint: string,
  column: string,
  add: string[],
  remove: string[],
): Promise<void> {
  const [row]: { def: string }[] = await q.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1 AND conrelid = $2::regclass`,
    [constraint, table],
  );
  const current = [...(row?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
  const values = [...new Set([...current, ...add])].filter((v) => !remove.includes(v));
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`);
  await q.query(
    `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`,
  );
}

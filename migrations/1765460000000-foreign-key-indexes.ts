import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the foreign keys PostgreSQL follows when rows are deleted, and for the erasure's own
 * `WHERE transfer_id = $1` where no index led with it. Without them every deleted household member
 * (a member removed from a draft, or a transfer erased by retention) made PostgreSQL scan
 * member_involvements, concerns, appointments and chase_items whole — its cascade and set-null
 * triggers look the member up by `member_id` — and every deleted appointment, agreed action or chase
 * item scanned chase_items or emails; an erasure also scanned agreed_actions for its transfer.
 * test/retention.int-spec.ts checks every foreign key into a table rows are deleted from keeps an index.
 * Partial where the column is nullable: the triggers look up one non-null value.
 */
export class ForeignKeyIndexes1765460000000 implements MigrationInterface {
  name = 'ForeignKeyIndexes1765460000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of INDEXES) await q.query(`CREATE INDEX ${sql}`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of INDEXES) await q.query(`DROP INDEX ${sql.split(' ')[0]}`);
  }
}

const INDEXES = [
  `member_involvements_member_idx ON member_involvements (member_id)`,
  `concerns_member_idx ON concerns (member_id)`,
  `appointments_member_idx ON appointments (member_id)`,
  `agreed_actions_transfer_idx ON agreed_actions (transfer_id)`,
  `chase_items_member_idx ON chase_items (member_id) WHERE member_id IS NOT NULL`,
  `chase_items_appointment_idx ON chase_items (appointment_id) WHERE appointment_id IS NOT NULL`,
  `chase_items_agreed_action_idx ON chase_items (agreed_action_id) WHERE agreed_action_id IS NOT NULL`,
  `emails_chase_item_idx ON emails (chase_item_id) WHERE chase_item_id IS NOT NULL`,
];

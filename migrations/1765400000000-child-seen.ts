import { MigrationInterface, QueryRunner } from 'typeorm';
import { widenCheck } from './1765370000000-host-notifications.js';

/**
 * The child seen (issue 14 item 1).
 * - the chase kind `child_seen` (one per child, from initiation);
 * - chase_items.due_on: the local date a loose end is due by, where it has one (a child seen: 5 or
 *   10 working days after the move), so monitoring and the transfer page can tell overdue;
 * - chase_items.owner_id may be NULL for a receiving-side item nobody in the receiving team holds by
 *   name yet (before acceptance the receiving team owns it: its mailbox and managers are chased).
 * - chase_items.seen_by_id: who saw the child (a practitioner of the receiving team), so the transfer's
 *   one read names them.
 * The record itself (when, by whom, where, alone, the note) is the item's evidence, sealed like all
 * evidence (chase_items.evidence). The kind check is widened from what it is now, never rewritten.
 */
export class ChildSeen1765400000000 implements MigrationInterface {
  name = 'ChildSeen1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', ['child_seen'], []);
    await q.query(`ALTER TABLE chase_items ADD COLUMN due_on date`);
    await q.query(`ALTER TABLE chase_items ADD COLUMN seen_by_id uuid REFERENCES practitioners (id)`);
    await q.query(`ALTER TABLE chase_items ALTER COLUMN owner_id DROP NOT NULL`);
    await q.query(
      `ALTER TABLE chase_items ADD CONSTRAINT chase_items_owner_check CHECK (owner_id IS NOT NULL OR kind = 'child_seen')`,
    );
    // Monitoring counts children not yet seen: open child_seen items, by due date.
    await q.query(
      `CREATE INDEX chase_items_open_child_seen_idx ON chase_items (due_on) WHERE status = 'open' AND kind = 'child_seen'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX chase_items_open_child_seen_idx`);
    await q.query(`DELETE FROM chase_items WHERE kind = 'child_seen'`);
    await q.query(`ALTER TABLE chase_items DROP CONSTRAINT chase_items_owner_check`);
    await q.query(`ALTER TABLE chase_items ALTER COLUMN owner_id SET NOT NULL`);
    await q.query(`ALTER TABLE chase_items DROP COLUMN seen_by_id`);
    await q.query(`ALTER TABLE chase_items DROP COLUMN due_on`);
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', [], ['child_seen']);
  }
}

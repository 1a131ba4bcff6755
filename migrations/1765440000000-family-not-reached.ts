import { MigrationInterface, QueryRunner } from 'typeorm';
import { widenCheck } from './1765370000000-host-notifications.js';

/** The locate checks' chase kinds and the national alert decision's (libs/domain CHASE_KINDS). */
const ROUTE_CHASE_KINDS = [
  'locate_family_members',
  'locate_education_setting',
  'locate_health_registration',
  'locate_police_welfare_check',
  'locate_strategy_discussion',
  'national_alert',
];

/**
 * The family not reached (issue 14 item 2).
 * - not_reached_routes: one row per route a transfer's family was reported not reached on — at most
 *   one open (not yet found) per transfer; a report after the family was found opens a new row, and
 *   every row stays (the history). Who opened it and when, when the national alert decision falls
 *   due, the decision (raised or not, by whom, when), and the family found (on, by whom, when).
 *   attempts (the attempts: date, method, note), checks (the locate checklist: what was found, the
 *   pupil file, who closed each and when), national_alert_detail (the alert's reference, or the
 *   reason for none) and found_how are family data and free text: stored only sealed (fh1:) under
 *   the transfer's data key, like every other family column.
 * - chase_items.kind widened with the five locate checks and the national alert decision.
 */
export class FamilyNotReached1765440000000 implements MigrationInterface {
  name = 'FamilyNotReached1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE not_reached_routes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id),
        opened_at timestamptz NOT NULL,
        opened_by_id uuid NOT NULL REFERENCES practitioners(id),
        attempts text NOT NULL,
        checks text NOT NULL,
        national_alert_due_at timestamptz NOT NULL,
        national_alert_raised boolean,
        national_alert_detail text,
        national_alert_decided_at timestamptz,
        national_alert_decided_by_id uuid REFERENCES practitioners(id),
        found_on date,
        found_how text,
        found_by_id uuid REFERENCES practitioners(id),
        found_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((national_alert_raised IS NULL) = (national_alert_decided_at IS NULL)),
        CHECK ((found_on IS NULL) = (found_at IS NULL))
      )`);
    // At most one open route per transfer; monitoring counts the open ones through this too.
    await q.query(
      `CREATE UNIQUE INDEX not_reached_routes_open_idx ON not_reached_routes (transfer_id) WHERE found_at IS NULL`,
    );
    await q.query(`CREATE INDEX not_reached_routes_transfer_idx ON not_reached_routes (transfer_id, opened_at DESC)`);
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', ROUTE_CHASE_KINDS, []);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM chase_items WHERE kind = ANY($1)`, [ROUTE_CHASE_KINDS]);
    await widenCheck(q, 'chase_items', 'chase_items_kind_check', 'kind', [], ROUTE_CHASE_KINDS);
    await q.query(`DROP TABLE not_reached_routes`);
  }
}

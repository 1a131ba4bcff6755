import { MigrationInterface, QueryRunner } from 'typeorm';

const UNCONFIRMED = `status IN ('awaiting_contact','contact_recorded','contact_confirmed')`;

/**
 * Monitoring reads "who is in the gap" for one area or team, most overdue first. One partial index
 * per side (sending / receiving, area / team) lets each side be read in deadline order and merged,
 * so a page costs the same whatever the size of the region.
 */
export class Monitoring1764547200000 implements MigrationInterface {
  name = 'Monitoring1764547200000';

  async up(q: QueryRunner): Promise<void> {
    for (const column of ['sending_area_id', 'receiving_area_id', 'sending_team_id', 'receiving_team_id']) {
      await q.query(
        `CREATE INDEX transfers_unconfirmed_${column.replace('_id', '')}_idx ON transfers (${column}, contact_due_at, id) WHERE ${UNCONFIRMED}`,
      );
    }
    await q.query(
      `CREATE INDEX chase_items_open_contact_idx ON chase_items (transfer_id) WHERE status = 'open' AND kind = 'direct_contact'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ['sending_area', 'receiving_area', 'sending_team', 'receiving_team'])
      await q.query(`DROP INDEX transfers_unconfirmed_${column}_idx`);
    await q.query(`DROP INDEX chase_items_open_contact_idx`);
  }
}

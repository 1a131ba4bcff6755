import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (issue 12 item 12). A transfer whose family data the retention sweep has erased keeps its
 * row as the tombstone — reference, areas, teams, status, dates, flag codes — with `erased_at` set;
 * only a closed or cancelled transfer can be one. The indexes follow the sweep: transfers by the
 * moment they ended (still holding data), sent emails and dispatched outbox rows by when they went.
 */
export class Retention1765340000000 implements MigrationInterface {
  name = 'Retention1765340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfers ADD COLUMN erased_at timestamptz`);
    await q.query(
      `ALTER TABLE transfers ADD CONSTRAINT transfers_erased_only_ended CHECK (erased_at IS NULL OR status IN ('closed','cancelled'))`,
    );
    await q.query(
      `CREATE INDEX transfers_retention_idx ON transfers ((coalesce(closed_at, cancelled_at)), id)
       WHERE erased_at IS NULL AND status IN ('closed','cancelled')`,
    );
    await q.query(`CREATE INDEX emails_sent_idx ON emails (sent_at, id) WHERE status = 'sent'`);
    await q.query(`CREATE INDEX outbox_dispatched_idx ON outbox (dispatched_at, id) WHERE dispatched_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_dispatched_idx`);
    await q.query(`DROP INDEX emails_sent_idx`);
    await q.query(`DROP INDEX transfers_retention_idx`);
    await q.query(`ALTER TABLE transfers DROP CONSTRAINT transfers_erased_only_ended`);
    await q.query(`ALTER TABLE transfers DROP COLUMN erased_at`);
  }
}

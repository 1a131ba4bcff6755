import { MigrationInterface, QueryRunner } from 'typeorm';

/** An email may be `withdrawn`: not sent, because its transfer was cancelled (or closed) before it went. */
export class EmailWithdrawn1764892800000 implements MigrationInterface {
  name = 'EmailWithdrawn1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails DROP CONSTRAINT emails_status_check`);
    await q.query(
      `ALTER TABLE emails ADD CONSTRAINT emails_status_check CHECK (status IN ('queued','sent','failed','withdrawn'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE emails SET status = 'failed' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE emails DROP CONSTRAINT emails_status_check`);
    await q.query(`ALTER TABLE emails ADD CONSTRAINT emails_status_check CHECK (status IN ('queued','sent','failed'))`);
  }
}

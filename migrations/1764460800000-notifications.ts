import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per email: queued → sent | failed, with attempts, the last error and a fixed Message-ID. */
export class Notifications1764460800000 implements MigrationInterface {
  name = 'Notifications1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE emails (
        id uuid PRIMARY KEY,
        transfer_id uuid REFERENCES transfers(id),
        chase_item_id uuid REFERENCES chase_items(id),
        kind text NOT NULL,
        recipient text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        message_id text NOT NULL UNIQUE,
        dedupe_key text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        failed_at timestamptz
      )`);
    await q.query(`CREATE INDEX emails_transfer_idx ON emails (transfer_id, created_at)`);
    await q.query(`CREATE INDEX emails_unsent_idx ON emails (status, created_at) WHERE status <> 'sent'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE emails`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The email sender claims a row in a short transaction, sends with no transaction open, then marks it
 * (issue 12 item 13): the claim is who (the job) and since when, so another job for the same email
 * leaves it alone while the claim is fresh, and the status stays `queued` until the relay took it.
 */
export class EmailClaims1765306800000 implements MigrationInterface {
  name = 'EmailClaims1765306800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE emails ADD COLUMN sending_token uuid, ADD COLUMN sending_job text, ADD COLUMN sending_since timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails DROP COLUMN sending_token, DROP COLUMN sending_job, DROP COLUMN sending_since`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciler finds the `email.send` outbox row of each email still queued by payload->>'emailId'
 * (libs/persistence/src/outbox.ts: dispatchedJobsOfQueuedEmails); without this index every turn
 * scanned and sorted the whole outbox. Not partial (WHERE job_name = 'email.send'): ANALYZE keeps no
 * statistics for a partial index's expression, and without them the planner guessed 0.5 % of the
 * outbox per email and kept the scan. EXPLAIN before and after: docs/bench/outbox-email-id-explain.txt.
 */
export class OutboxEmailId1765303200000 implements MigrationInterface {
  name = 'OutboxEmailId1765303200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_email_id_idx ON outbox ((payload->>'emailId'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_email_id_idx`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail's request_id is the service's own (a UUID per request); a caller's X-Request-Id is
 * kept beside it, when it is short printable ASCII, as client_request_id — never instead of it.
 */
export class AuditClientRequestId1765040400000 implements MigrationInterface {
  name = 'AuditClientRequestId1765040400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN client_request_id text NULL`);
    await q.query(
      `ALTER TABLE audit_events ADD CONSTRAINT audit_events_client_request_id_check
         CHECK (client_request_id ~ '^[!-~]{1,64}$')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events DROP COLUMN client_request_id`);
  }
}

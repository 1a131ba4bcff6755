import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Handover packets: immutable, numbered snapshots of a transfer (1, 2, 3… per transfer). Each row
 * holds the canonical JSON exactly as hashed, its SHA-256 (checked by the database itself), the PDF
 * rendered from it and the id of the job that made it (unique, so a job delivered twice writes
 * once). Like the audit trail, rows are never updated or deleted: a trigger refuses it.
 */
export class Packets1764374400000 implements MigrationInterface {
  name = 'Packets1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE packets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transfer_id uuid NOT NULL REFERENCES transfers(id),
        version integer NOT NULL CHECK (version >= 1),
        job_id text NOT NULL,
        format text NOT NULL,
        document text NOT NULL,
        sha256 text NOT NULL,
        pdf bytea NOT NULL,
        generated_at timestamptz NOT NULL,
        CONSTRAINT packets_transfer_version_key UNIQUE (transfer_id, version),
        CONSTRAINT packets_job_key UNIQUE (job_id),
        CONSTRAINT packets_sha256_of_document CHECK (sha256 = encode(sha256(convert_to(document, 'UTF8')), 'hex'))
      )`);
    await q.query(`
      CREATE FUNCTION packets_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'packets are immutable: % refused (a change makes a new version)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER packets_no_update_delete BEFORE UPDATE OR DELETE ON packets
      FOR EACH ROW EXECUTE FUNCTION packets_immutable()`);
    await q.query(`
      CREATE TRIGGER packets_no_truncate BEFORE TRUNCATE ON packets
      FOR EACH STATEMENT EXECUTE FUNCTION packets_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE packets`);
    await q.query(`DROP FUNCTION packets_immutable`);
  }
}

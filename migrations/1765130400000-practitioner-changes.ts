import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on the directory (issue 12 item 1): a change that grants manager, safeguarding lead or
 * admin, or puts someone in a team, waits here until a second admin approves it. `changes` holds the
 * fields to set (for a create: team, name, email, role); `previous` what an update changes them from.
 */
export class PractitionerChanges1765130400000 implements MigrationInterface {
  name = 'PractitionerChanges1765130400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE practitioner_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('create', 'update')),
        practitioner_id uuid REFERENCES practitioners(id),
        changes jsonb NOT NULL,
        previous jsonb,
        reason text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        proposed_by uuid NOT NULL REFERENCES practitioners(id),
        proposed_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES practitioners(id),
        decided_at timestamptz,
        CONSTRAINT practitioner_changes_update_names_subject CHECK (kind = 'create' OR practitioner_id IS NOT NULL),
        CONSTRAINT practitioner_changes_decided CHECK ((status = 'pending') = (decided_by IS NULL)),
        CONSTRAINT practitioner_changes_four_eyes CHECK (status <> 'approved' OR decided_by <> proposed_by)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX practitioner_changes_pending_email ON practitioner_changes (lower(changes->>'email'))
       WHERE kind = 'create' AND status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX practitioner_changes_pending ON practitioner_changes (proposed_at) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE practitioner_changes`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES_BEFORE = `'draft','awaiting_contact','contact_recorded','contact_confirmed','accepted','returned','cancelled','closed'`;

/**
 * Child protection (issue 13 item 1): a transfer-in is accepted into `awaiting_conference`; the
 * receiving lead is the interim lead until the sending side confirms the written outcome of the
 * receiving area's transfer-in conference. The conference and its confirmation are recorded on the
 * transfer (one per transfer: it cannot be returned or re-initiated once accepted in).
 * `conference_chair` and `conference_notes` are free text (personal data).
 */
export class TransferInConference1765360000000 implements MigrationInterface {
  name = 'TransferInConference1765360000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE transfers DROP CONSTRAINT transfers_status_check`);
    await q.query(
      `ALTER TABLE transfers ADD CONSTRAINT transfers_status_check CHECK (status IN (${STATUSES_BEFORE},'awaiting_conference'))`,
    );
    await q.query(
      `ALTER TABLE transfers
         ADD COLUMN interim_lead_id uuid REFERENCES practitioners(id),
         ADD COLUMN conference_due_at timestamptz,
         ADD COLUMN conference_held_on date,
         ADD COLUMN conference_outcome text CHECK (conference_outcome IN ('plan_continues','plan_not_continued')),
         ADD COLUMN conference_chair text,
         ADD COLUMN conference_notes text,
         ADD COLUMN conference_recorded_by_id uuid REFERENCES practitioners(id),
         ADD COLUMN conference_recorded_at timestamptz,
         ADD COLUMN conference_received_on date,
         ADD COLUMN conference_confirmed_by_id uuid REFERENCES practitioners(id),
         ADD COLUMN conference_confirmed_at timestamptz`,
    );
    // Monitoring: conferences still to be held, by due time.
    await q.query(
      `CREATE INDEX transfers_conference_due_idx ON transfers (conference_due_at, id)
         WHERE conference_held_on IS NULL AND conference_due_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX transfers_conference_due_idx`);
    await q.query(
      `ALTER TABLE transfers DROP COLUMN interim_lead_id, DROP COLUMN conference_due_at, DROP COLUMN conference_held_on,
         DROP COLUMN conference_outcome, DROP COLUMN conference_chair, DROP COLUMN conference_notes,
         DROP COLUMN conference_recorded_by_id, DROP COLUMN conference_recorded_at, DROP COLUMN conference_received_on,
         DROP COLUMN conference_confirmed_by_id, DROP COLUMN conference_confirmed_at`,
    );
    await q.query(`ALTER TABLE transfers DROP CONSTRAINT transfers_status_check`);
    await q.query(`ALTER TABLE transfers ADD CONSTRAINT transfers_status_check CHECK (status IN (${STATUSES_BEFORE}))`);
  }
}

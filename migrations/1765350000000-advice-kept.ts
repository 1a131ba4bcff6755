import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every safeguarding-lead acknowledgement is kept (issue 12 item 2): a second lead's advice on the
 * same flag is a new row beside the first, never in its place. The one-per-flag unique constraint
 * goes (it is what `ON CONFLICT … DO UPDATE` replaced advice through), an index on the transfer's
 * round keeps the reads as they were, and the app role may no longer UPDATE a row. It keeps DELETE
 * for one purpose only, retention's erasure of an ended transfer (issue 12 item 12): a trigger the
 * app role cannot disable (it owns no table) refuses deleting the advice of a transfer that is not
 * closed or cancelled.
 */
export class AdviceKept1765350000000 implements MigrationInterface {
  name = 'AdviceKept1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE flag_acknowledgements DROP CONSTRAINT flag_acknowledgements_transfer_id_round_code_key`);
    await q.query(
      `CREATE INDEX flag_acknowledgements_round_idx ON flag_acknowledgements (transfer_id, round, acknowledged_at)`,
    );
    await q.query(`REVOKE UPDATE ON flag_acknowledgements FROM family_handover_app`);
    await q.query(`
      CREATE FUNCTION flag_acknowledgements_kept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM transfers t WHERE t.id = OLD.transfer_id AND t.status NOT IN ('closed', 'cancelled')) THEN
          RAISE EXCEPTION 'safeguarding advice is kept: it is erased only with an ended transfer''s family data'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END $$`);
    await q.query(`
      CREATE TRIGGER flag_acknowledgements_kept BEFORE DELETE ON flag_acknowledgements
      FOR EACH ROW EXECUTE FUNCTION flag_acknowledgements_kept()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER flag_acknowledgements_kept ON flag_acknowledgements`);
    await q.query(`DROP FUNCTION flag_acknowledgements_kept()`);
    await q.query(`GRANT UPDATE ON flag_acknowledgements TO family_handover_app`);
    await q.query(`DROP INDEX flag_acknowledgements_round_idx`);
    // Only the newest acknowledgement of each flag fits the old constraint.
    await q.query(
      `DELETE FROM flag_acknowledgements a USING flag_acknowledgements b
       WHERE a.transfer_id = b.transfer_id AND a.round = b.round AND a.code = b.code
         AND (a.acknowledged_at, a.id) < (b.acknowledged_at, b.id)`,
    );
    await q.query(
      `ALTER TABLE flag_acknowledgements ADD CONSTRAINT flag_acknowledgements_transfer_id_round_code_key UNIQUE (transfer_id, round, code)`,
    );
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Family data is stored sealed (issue 12 item 11): the columns of ENCRYPTED_COLUMNS
 * (libs/persistence/src/crypto/family-columns.ts) hold `fh1:` + base64 of AES-256-GCM under the
 * transfer's data key, so the typed and JSON ones become text. The database can no longer check a
 * packet's hash against its (sealed) document: the packet generator computes it, and the API checks
 * it again on every read. Stored idempotent responses keep only their status, the resource they
 * showed and its transfer, and are re-rendered on replay.
 *
 * A migration cannot seal rows already written in the clear (the key ring is configuration, not the
 * database's), so it refuses to run over existing transfers instead of leaving plaintext behind: the
 * service holds no live data yet; drop a demo or development database and start again.
 */
export class SealedFamilyColumns1765330000100 implements MigrationInterface {
  name = 'SealedFamilyColumns1765330000100';

  async up(q: QueryRunner): Promise<void> {
    const [{ n }]: { n: number }[] = await q.query(
      `SELECT (SELECT count(*) FROM transfers) + (SELECT count(*) FROM idempotency_keys) AS n`,
    );
    if (Number(n) > 0) {
      throw new Error(
        'family data was written in the clear before encryption at rest (migration 1765330000100): it cannot be sealed by a migration. ' +
          'Drop this database (the demo: dropdb family_handover_demo) and migrate a fresh one',
      );
    }
    await q.query(`ALTER TABLE household_members ALTER COLUMN date_of_birth TYPE text USING date_of_birth::text`);
    await q.query(`ALTER TABLE transfers ALTER COLUMN new_address TYPE text USING new_address::text`);
    await q.query(`ALTER TABLE direct_contacts ALTER COLUMN flag_acknowledgements DROP DEFAULT`);
    await q.query(
      `ALTER TABLE direct_contacts ALTER COLUMN flag_acknowledgements TYPE text USING flag_acknowledgements::text`,
    );
    await q.query(`ALTER TABLE chase_items ALTER COLUMN evidence TYPE text USING evidence::text`);
    await q.query(`ALTER TABLE packets DROP CONSTRAINT packets_sha256_of_document`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN response_body`);
    await q.query(
      `ALTER TABLE idempotency_keys ADD COLUMN response_resource_id uuid, ADD COLUMN response_transfer_id uuid`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN response_resource_id, DROP COLUMN response_transfer_id`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN response_body jsonb`);
    // Sealed values cannot go back into typed or JSON columns: those become empty.
    await q.query(`ALTER TABLE chase_items ALTER COLUMN evidence TYPE jsonb USING NULL`);
    await q.query(`ALTER TABLE direct_contacts ALTER COLUMN flag_acknowledgements TYPE jsonb USING '[]'::jsonb`);
    await q.query(`ALTER TABLE direct_contacts ALTER COLUMN flag_acknowledgements SET DEFAULT '[]'::jsonb`);
    await q.query(`ALTER TABLE transfers ALTER COLUMN new_address TYPE jsonb USING NULL`);
    await q.query(`ALTER TABLE household_members ALTER COLUMN date_of_birth TYPE date USING NULL`);
    await q.query(
      `ALTER TABLE packets ADD CONSTRAINT packets_sha256_of_document CHECK (sha256 = encode(sha256(convert_to(document, 'UTF8')), 'hex')) NOT VALID`,
    );
  }
}

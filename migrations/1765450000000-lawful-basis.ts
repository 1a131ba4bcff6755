import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lawful basis for sharing and the family informed (issue 13 item 4), on the transfer:
 * - sharing_basis: consent | safeguarding_without_consent;
 * - consent: consent_given_by (sealed: may name a person), consent_given_on;
 * - without consent: sharing_rationale (sealed: free text), sharing_approved_by_id (a sending-team
 *   manager; the initiation checks who they are);
 * - family_informed_on, or family_not_informed_reason (sealed: free text).
 * All nullable: a draft may be saved without them; the lifecycle refuses to send one without them.
 */
export class LawfulBasis1765450000000 implements MigrationInterface {
  name = 'LawfulBasis1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE transfers
        ADD COLUMN sharing_basis text CHECK (sharing_basis IN ('consent', 'safeguarding_without_consent')),
        ADD COLUMN consent_given_by text,
        ADD COLUMN consent_given_on date,
        ADD COLUMN sharing_rationale text,
        ADD COLUMN sharing_approved_by_id uuid REFERENCES practitioners (id),
        ADD COLUMN family_informed_on date,
        ADD COLUMN family_not_informed_reason text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE transfers DROP COLUMN sharing_basis, DROP COLUMN consent_given_by, DROP COLUMN consent_given_on,
        DROP COLUMN sharing_rationale, DROP COLUMN sharing_approved_by_id, DROP COLUMN family_informed_on,
        DROP COLUMN family_not_informed_reason`,
    );
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in through OIDC issuers: a practitioner is matched by email the first time a (issuer, subject)
 * signs in, and by that pair from then on, whatever the email claim says later. One account per
 * issuer per practitioner, so an email reassigned at the identity provider cannot take over someone
 * already linked.
 */
export class PractitionerIdentities1764806400000 implements MigrationInterface {
  name = 'PractitionerIdentities1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE practitioner_identities (
        issuer text NOT NULL,
        subject text NOT NULL,
        practitioner_id uuid NOT NULL REFERENCES practitioners(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, subject),
        CONSTRAINT practitioner_identities_one_per_issuer UNIQUE (practitioner_id, issuer)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE practitioner_identities`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's server-side sessions (apps/web). The browser holds only an opaque random value;
 * the row is keyed by its SHA-256, so a copy of this table cannot be replayed as cookies. A row
 * holds tokens, the practitioner id and, while signing in, the PKCE/state values and the return
 * path: never family data.
 */
export class WebSessions1764720000000 implements MigrationInterface {
  name = 'WebSessions1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        id_hash bytea PRIMARY KEY,
        csrf_token text NOT NULL,
        practitioner_id uuid NULL REFERENCES practitioners (id) ON DELETE CASCADE,
        access_token text NULL,
        access_token_expires_at timestamptz NULL,
        refresh_token text NULL,
        id_token text NULL,
        sign_in jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX web_sessions_last_seen_idx ON web_sessions (last_seen_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sessions`);
  }
}

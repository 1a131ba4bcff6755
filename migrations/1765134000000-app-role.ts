import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The API, worker and console do not connect as the tables' owner: they connect as a LOGIN role
 * that is a member of `family_handover_app` (NOLOGIN), which holds only what the apps need. The
 * append-only trail and the immutable packets get SELECT and INSERT only — no UPDATE, DELETE or
 * TRUNCATE — and only an owner can ALTER a table (so the app cannot disable their triggers).
 * Tables later migrations create (as this same owner) get the default grants below; a later
 * append-only table must REVOKE UPDATE, DELETE ON it FROM family_handover_app in its own migration.
 * The migrate command makes the LOGIN role of DATABASE_URL a member (ensureAppLogin).
 */
export class AppRole1765134000000 implements MigrationInterface {
  name = 'AppRole1765134000000';

  async up(q: QueryRunner): Promise<void> {
    // Roles belong to the cluster, not the database: another database may have created it already.
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'family_handover_app') THEN
          CREATE ROLE family_handover_app NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO family_handover_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO family_handover_app`);
    await q.query(`REVOKE UPDATE, DELETE ON audit_events, packets, migrations FROM family_handover_app`);
    // The migrations table is the owner's: the apps only read it (to see that nothing is pending).
    await q.query(`REVOKE INSERT ON migrations FROM family_handover_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO family_handover_app`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO family_handover_app`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO family_handover_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM family_handover_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM family_handover_app`,
    );
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM family_handover_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM family_handover_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM family_handover_app`);
    // The role itself stays: other databases of the cluster may still grant to it.
  }
}

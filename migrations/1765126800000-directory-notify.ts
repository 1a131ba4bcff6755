import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Any change to the directory (practitioners, their teams, their identity-provider links) notifies
 * channel `directory` when it commits, so the API's short sign-in cache (DirectoryLookup) forgets
 * what it knew before the next request, whichever replica or tool made the change.
 */
export class DirectoryNotify1765126800000 implements MigrationInterface {
  name = 'DirectoryNotify1765126800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION directory_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('directory', '');
        RETURN NULL;
      END $$`);
    for (const table of ['practitioners', 'teams', 'practitioner_identities']) {
      await q.query(`
        CREATE TRIGGER ${table}_directory_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION directory_notify()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['practitioners', 'teams', 'practitioner_identities']) {
      await q.query(`DROP TRIGGER ${table}_directory_notify ON ${table}`);
    }
    await q.query(`DROP FUNCTION directory_notify`);
  }
}

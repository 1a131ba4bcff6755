import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The queue dashboard's sign-in (/admin/session) is a server-side session in web_sessions, like the
 * console's: the browser holds an opaque random value, never a token. `audience` keeps the two
 * apart, so a console session cannot open the dashboard and an admin session cannot open the console.
 */
export class AdminSessions1765216812345 implements MigrationInterface {
  name = 'AdminSessions1765216812345';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE web_sessions ADD COLUMN audience text NOT NULL DEFAULT 'console'
         CONSTRAINT web_sessions_audience_check CHECK (audience IN ('console', 'admin'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM web_sessions WHERE audience <> 'console'`);
    await q.query(`ALTER TABLE web_sessions DROP COLUMN audience`);
  }
}

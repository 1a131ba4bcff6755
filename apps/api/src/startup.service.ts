import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { ADVISORY_LOCKS, appendAudit, appRoleProblems, inTransaction, runMigrations } from '@fh/persistence';
import { DataSource } from 'typeorm';

/**
 * At start-up: say loudly what the configuration accepts against advice; apply pending migrations
 * (under the advisory lock) when DATABASE_URL's role may (a single-role development database) —
 * otherwise the migrate command, as MIGRATION_DATABASE_URL's owner role, must have run; check that
 * the app's role cannot rewrite the audit trail (refused in production, a warning elsewhere); then
 * make sure an admin exists.
 */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const warning of this.config.warnings) this.logger.warn(`WARNING: ${warning}`);
    const applied = await runMigrations(this.dataSource).catch((error: Error & { code?: string }) => {
      if (error.code !== '42501') throw error;
      throw new Error(
        "migrations are pending and DATABASE_URL's role may not apply them: run `cli.js migrate` with MIGRATION_DATABASE_URL (the owner) first",
      );
    });
    if (applied.length) this.logger.log(`applied migrations: ${applied.join(', ')}`);
    const problems = await appRoleProblems(this.dataSource);
    if (problems.length) {
      const message = `DATABASE_URL could rewrite the audit trail: ${problems.join('; ')}. Connect as a LOGIN role that owns no table (MIGRATION_DATABASE_URL for the owner)`;
      if (this.config.production) throw new Error(message);
      this.logger.warn(`WARNING: ${message}`);
    }
    if (this.config.bootstrapAdminEmail) await ensureBootstrapAdmin(this.dataSource, this.config.bootstrapAdminEmail);
  }
}

/** Creates the first admin when there is none. Safe to run from several replicas at once. */
export async function ensureBootstrapAdmin(dataSource: DataSource, email: string): Promise<boolean> {
  return inTransaction(dataSource, async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [ADVISORY_LOCKS.bootstrapAdmin]);
    const existing: unknown[] = await manager.query(
      `SELECT 1 FROM practitioners WHERE role = 'admin' AND active LIMIT 1`,
    );
    if (existing.length) return false;
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO practitioners (name, email, role, active) VALUES ('Administrator', $1, 'admin', true)
       ON CONFLICT (lower(email)) DO UPDATE SET role = 'admin', active = true, team_id = NULL, updated_at = now()
       RETURNING id`,
      [email.toLowerCase()],
    );
    await appendAudit(manager, {
      actorId: null,
      action: 'practitioner.bootstrap_admin',
      entityType: 'practitioner',
      entityId: rows[0].id,
      outcome: 'succeeded',
      requestId: null,
    });
    return true;
  });
}

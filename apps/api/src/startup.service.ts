import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { ADVISORY_LOCKS, appendAudit, inTransaction, runMigrations } from '@fh/persistence';
import { DataSource } from 'typeorm';

/** At start-up: apply pending migrations (under the advisory lock), then make sure an admin exists. */
@Injectable()
export class StartupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const applied = await runMigrations(this.dataSource);
    if (applied.length) this.logger.log(`applied migrations: ${applied.join(', ')}`);
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

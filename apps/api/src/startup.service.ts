import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { appRoleProblems, ensureBootstrapAdmin, runMigrations } from '@fh/persistence';
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
    if (this.config.dataKeys.development)
      this.logger.warn(
        'WARNING: DATA_KEY_RING is not set: family data is encrypted under the public development key — never use this for real families',
      );
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

import 'reflect-metadata';
import { loadConfig } from '@fh/config';
import { createDataSource, dataKeysByKek, migrateAsOwner, rotateDataKeys } from '@fh/persistence';
import { SignJWT } from 'jose';
import { seedDemoDirectory } from './demo/demo-seed.js';

/**
 * Operator commands, run from the built app:
 *   migrate          apply pending migrations as MIGRATION_DATABASE_URL's role (the owner; DATABASE_URL's when
 *                    unset), under the advisory lock, then make DATABASE_URL's role a LOGIN member of the
 *                    app role (ensureAppLogin)
 *   token <email>    print a one-hour bearer token for that practitioner (AUTH_JWT_SECRET only)
 *   seed-demo        create the demo directory (and example family); print the people and their tokens as JSON
 *   keys:rotate      re-wrap every transfer's data key under DATA_KEY_ACTIVE (the data is untouched; idempotent;
 *                    audited as keys.rotate), as DATABASE_URL's role; then print how many keys each KEK wraps
 */
async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  const config = loadConfig();
  switch (command) {
    case 'migrate': {
      const { applied, login } = await migrateAsOwner(
        config.migrationDatabaseUrl ?? config.databaseUrl,
        config.databaseUrl,
      );
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      process.stdout.write(
        login === 'granted'
          ? "DATABASE_URL's role is a member of the app role and owns no table\n"
          : 'warning: DATABASE_URL connects as the owner of the tables: set MIGRATION_DATABASE_URL to the owner and DATABASE_URL to a separate login role\n',
      );
      return;
    }
    case 'token': {
      const email = args[0];
      if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error('usage: npm run token -- <email>');
      process.stdout.write(`${await signToken(config.auth, email)}\n`);
      return;
    }
    case 'seed-demo': {
      const dataSource = createDataSource(config);
      await dataSource.initialize();
      try {
        const people = await seedDemoDirectory(dataSource);
        if (config.bootstrapAdminEmail) {
          people.unshift({
            name: 'Administrator',
            email: config.bootstrapAdminEmail,
            role: 'admin',
            area: '-',
            team: '-',
          });
        }
        const withTokens = await Promise.all(
          people.map(async (p) => ({ ...p, token: await signToken(config.auth, p.email) })),
        );
        process.stdout.write(`${JSON.stringify({ people: withTokens })}\n`);
      } finally {
        await dataSource.destroy();
      }
      return;
    }
    case 'keys:rotate': {
      const dataSource = createDataSource(config);
      await dataSource.initialize();
      try {
        const { rewrapped, fromKeks, activeKek } = await rotateDataKeys(dataSource, config.dataKeys);
        process.stdout.write(
          `re-wrapped ${rewrapped} data key(s) under ${activeKek}${fromKeks.length ? ` (from ${fromKeks.join(', ')})` : ''}\n`,
        );
        process.stdout.write(`data keys by KEK: ${JSON.stringify(await dataKeysByKek(dataSource.manager))}\n`);
      } finally {
        await dataSource.destroy();
      }
      return;
    }
    default:
      throw new Error('usage: cli.js migrate | token <email> | seed-demo | keys:rotate');
  }
}

export async function signToken(
  auth: ReturnType<typeof loadConfig>['auth'],
  email: string,
  ttlSeconds = 3600,
): Promise<string> {
  const secret = auth.sharedSecret;
  if (!secret) throw new Error('tokens can only be printed when AUTH_JWT_SECRET is set; use your identity provider');
  let jwt = new SignJWT({ email: email.toLowerCase() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(email.toLowerCase())
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (secret.issuer) jwt = jwt.setIssuer(secret.issuer);
  if (secret.audience) jwt = jwt.setAudience(secret.audience);
  return jwt.sign(secret.key);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}

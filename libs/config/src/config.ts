import { plainToInstance, Transform } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';

/**
 * The service's whole configuration: every variable of API.md → Operations, validated once at
 * boot. This is the only place that reads the environment; everything else is handed an AppConfig.
 */
const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);
const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

class EnvironmentVariables {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL!: string;

  @IsEmail({}, { message: 'MAIL_FROM must be an email address' })
  MAIL_FROM!: string;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'APP_BASE_URL must be an http(s) URL' })
  APP_BASE_URL!: string;

  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0, { message: 'PORT must be between 0 and 65535' })
  @Max(65535, { message: 'PORT must be between 0 and 65535' })
  PORT = 3000;

  @Transform(toInt)
  @IsInt({ message: 'WORKER_PORT must be an integer' })
  @Min(0, { message: 'WORKER_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'WORKER_PORT must be between 0 and 65535' })
  WORKER_PORT = 3001;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'AUTH_ISSUER must not be empty' })
  AUTH_ISSUER?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'AUTH_AUDIENCE must not be empty' })
  AUTH_AUDIENCE?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'BOOTSTRAP_ADMIN_EMAIL must be an email address' })
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @Transform(toInt)
  @IsInt({ message: 'CHASE_SWEEP_SECONDS must be an integer' })
  @Min(1, { message: 'CHASE_SWEEP_SECONDS must be at least 1' })
  CHASE_SWEEP_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: 'EMAIL_RETRY_BASE_MS must be an integer' })
  @Min(10, { message: 'EMAIL_RETRY_BASE_MS must be between 10 and 600000' })
  @Max(600_000, { message: 'EMAIL_RETRY_BASE_MS must be between 10 and 600000' })
  EMAIL_RETRY_BASE_MS = 1_000;

  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits or _.:-' })
  QUEUE_PREFIX = 'fh';

  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer' })
  @Min(1, { message: 'RATE_LIMIT_PER_MINUTE must be at least 1' })
  RATE_LIMIT_PER_MINUTE = 300;

  @Transform(toInt)
  @IsInt({ message: 'TRUST_PROXY_HOPS must be an integer' })
  @Min(0, { message: 'TRUST_PROXY_HOPS must be between 0 and 5' })
  @Max(5, { message: 'TRUST_PROXY_HOPS must be between 0 and 5' })
  TRUST_PROXY_HOPS = 0;

  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be between 1 and 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be between 1 and 100' })
  DATABASE_POOL_SIZE = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  NODE_ENV?: string;
}

export type AuthConfig =
  { mode: 'shared-secret'; secret: Uint8Array; issuer?: string; audience?: string } | { mode: 'oidc'; issuer: string; audience: string; jwksUrl: string };

export interface AppConfig {
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  smtpUrl: string;
  mailFrom: string;
  appBaseUrl: string;
  port: number;
  /** The worker's health and metrics port. */
  workerPort: number;
  auth: AuthConfig;
  bootstrapAdminEmail?: string;
  chaseSweepSeconds: number;
  /** First retry delay of an email send; each later one doubles (13 tries in all). */
  emailRetryBaseMs: number;
  queuePrefix: string;
  rateLimitPerMinute: number;
  /** Reverse proxies in front of the API whose X-Forwarded-For is believed (0: none). */
  trustProxyHops: number;
  logLevel: string;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

const KNOWN = Object.keys(new EnvironmentVariables()).concat([
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'APP_BASE_URL',
  'AUTH_JWT_SECRET',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'BOOTSTRAP_ADMIN_EMAIL',
  'NODE_ENV',
]);

/** Reads and validates the configuration. Throws ConfigurationError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of new Set(KNOWN)) {
    const value = env[key];
    if (value !== undefined) raw[key] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const problems = validateSync(vars, { forbidUnknownValues: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? message : `${error.property}: ${message}`)),
  );
  for (const required of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'MAIL_FROM', 'APP_BASE_URL'] as const) {
    if (raw[required] === undefined || raw[required].trim() === '') {
      const index = problems.findIndex((p) => p.startsWith(required));
      const message = `${required} is required`;
      if (index >= 0) problems[index] = message;
      else problems.push(message);
    }
  }
  const oidc = [vars.AUTH_ISSUER, vars.AUTH_AUDIENCE, vars.AUTH_JWKS_URL];
  if (vars.AUTH_JWKS_URL && (!vars.AUTH_ISSUER || !vars.AUTH_AUDIENCE)) {
    problems.push('AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL');
  }
  if (!vars.AUTH_JWT_SECRET && !vars.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET or AUTH_ISSUER/AUTH_AUDIENCE/AUTH_JWKS_URL is required');
  }
  if (vars.AUTH_JWT_SECRET && vars.AUTH_JWKS_URL) {
    problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL are exclusive: set one way of verifying tokens');
  }
  if (problems.length > 0) throw new ConfigurationError([...new Set(problems)]);

  const auth: AuthConfig = vars.AUTH_JWKS_URL
    ? { mode: 'oidc', issuer: vars.AUTH_ISSUER!, audience: vars.AUTH_AUDIENCE!, jwksUrl: vars.AUTH_JWKS_URL }
    : {
        mode: 'shared-secret',
        secret: new TextEncoder().encode(vars.AUTH_JWT_SECRET!),
        issuer: oidc[0],
        audience: oidc[1],
      };
  return {
    databaseUrl: vars.DATABASE_URL,
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    redisUrl: vars.REDIS_URL,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    appBaseUrl: vars.APP_BASE_URL.replace(/\/+$/, ''),
    port: vars.PORT,
    workerPort: vars.WORKER_PORT,
    auth,
    bootstrapAdminEmail: vars.BOOTSTRAP_ADMIN_EMAIL?.toLowerCase(),
    chaseSweepSeconds: vars.CHASE_SWEEP_SECONDS,
    emailRetryBaseMs: vars.EMAIL_RETRY_BASE_MS,
    queuePrefix: vars.QUEUE_PREFIX,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    trustProxyHops: vars.TRUST_PROXY_HOPS,
    logLevel: vars.LOG_LEVEL,
  };
}

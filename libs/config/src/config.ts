import { createHash } from 'node:crypto';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { blankToUndefined, ConfigurationError, HTTP_URL_OPTIONS, readEnvironment, toInt } from './environment.js';
import { CONFERENCE_CLOCK_STARTS, DEFAULT_CLOCK_POLICY, validateClockPolicy } from '@fh/domain';
import type { ClockPolicy, ConferenceClockStart } from '@fh/domain';

/**
 * The service's whole configuration: every variable of API.md → Operations, validated once at
 * boot. This is the only place that reads the environment; everything else is handed an AppConfig.
 */

class EnvironmentVariables {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'MIGRATION_DATABASE_URL must be a postgres:// URL' })
  MIGRATION_DATABASE_URL?: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL!: string;

  @IsEmail({}, { message: 'MAIL_FROM must be an email address' })
  MAIL_FROM!: string;

  @IsUrl(HTTP_URL_OPTIONS, { message: 'APP_BASE_URL must be an http(s) URL' })
  APP_BASE_URL!: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl(HTTP_URL_OPTIONS, { message: 'WEB_BASE_URL must be an http(s) URL' })
  WEB_BASE_URL?: string;

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
  @IsIn(['true', 'false'], { message: 'ALLOW_SHARED_SECRET_AUTH must be true or false' })
  ALLOW_SHARED_SECRET_AUTH?: string;

  @Transform(toInt)
  @IsInt({ message: 'AUTH_MAX_TOKEN_AGE_SECONDS must be an integer' })
  @Min(60, { message: 'AUTH_MAX_TOKEN_AGE_SECONDS must be between 60 and 86400' })
  @Max(86400, { message: 'AUTH_MAX_TOKEN_AGE_SECONDS must be between 60 and 86400' })
  AUTH_MAX_TOKEN_AGE_SECONDS = 43200;

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
  @IsUrl(HTTP_URL_OPTIONS, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  AUTH_ISSUERS?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'BOOTSTRAP_ADMIN_EMAIL must be an email address' })
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @Transform(toInt)
  @IsInt({ message: 'CHASE_SWEEP_SECONDS must be an integer' })
  @Min(1, { message: 'CHASE_SWEEP_SECONDS must be at least 1' })
  CHASE_SWEEP_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: 'RECONCILE_SECONDS must be an integer' })
  @Min(1, { message: 'RECONCILE_SECONDS must be between 1 and 3600' })
  @Max(3600, { message: 'RECONCILE_SECONDS must be between 1 and 3600' })
  RECONCILE_SECONDS = 60;

  @Transform(toInt)
  @IsInt({ message: 'RECONCILE_GRACE_SECONDS must be an integer' })
  @Min(0, { message: 'RECONCILE_GRACE_SECONDS must be between 0 and 3600' })
  @Max(3600, { message: 'RECONCILE_GRACE_SECONDS must be between 0 and 3600' })
  RECONCILE_GRACE_SECONDS = 60;

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

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  NODE_ENV?: string;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{24,200}$/, {
    message: 'METRICS_TOKEN must be 24 to 200 printable ASCII characters, no spaces',
  })
  METRICS_TOKEN?: string;

  @Matches(/^[A-Za-z0-9.:[\]-]{1,253}$/, { message: 'WORKER_HEALTH_HOST must be a host name or IP address' })
  WORKER_HEALTH_HOST = '0.0.0.0';

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  DATA_KEY_RING?: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  DATA_KEY_ACTIVE?: string;

  @Transform(toInt)
  @IsInt({ message: 'RETENTION_DAYS must be an integer' })
  @Min(1, { message: 'RETENTION_DAYS must be between 1 and 3650' })
  @Max(3650, { message: 'RETENTION_DAYS must be between 1 and 3650' })
  RETENTION_DAYS = 730;

  @Transform(toInt)
  @IsInt({ message: 'DELIVERED_RETENTION_DAYS must be an integer' })
  @Min(1, { message: 'DELIVERED_RETENTION_DAYS must be between 1 and 365' })
  @Max(365, { message: 'DELIVERED_RETENTION_DAYS must be between 1 and 365' })
  DELIVERED_RETENTION_DAYS = 30;
  @IsIn(CONFERENCE_CLOCK_STARTS, { message: 'CONFERENCE_CLOCK_START must be initiation or acceptance' })
  CONFERENCE_CLOCK_START: string = DEFAULT_CLOCK_POLICY.conferenceClockStart;

  @Transform(toInt)
  @IsInt({ message: 'CONFERENCE_DUE_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'CONFERENCE_DUE_WORKING_DAYS must be between 1 and 60' })
  @Max(60, { message: 'CONFERENCE_DUE_WORKING_DAYS must be between 1 and 60' })
  CONFERENCE_DUE_WORKING_DAYS = DEFAULT_CLOCK_POLICY.conferenceDueWorkingDays;

  @Transform(toInt)
  @IsInt({ message: 'SHORT_STAY_DAYS must be a whole number of days' })
  @Min(1, { message: 'SHORT_STAY_DAYS must be between 1 and 90' })
  @Max(90, { message: 'SHORT_STAY_DAYS must be between 1 and 90' })
  SHORT_STAY_DAYS = DEFAULT_CLOCK_POLICY.shortStayDays;

  @Transform(toInt)
  @IsInt({ message: 'MOVE_REVIEW_WEEKS must be a whole number of weeks' })
  @Min(1, { message: 'MOVE_REVIEW_WEEKS must be between 1 and 52' })
  @Max(52, { message: 'MOVE_REVIEW_WEEKS must be between 1 and 52' })
  MOVE_REVIEW_WEEKS = DEFAULT_CLOCK_POLICY.moveReviewWeeks;

  /** Issue 14 item 3: working days the originating team has to answer a transfer request. */
  @Transform(toInt)
  @IsInt({ message: 'TRANSFER_REQUEST_ANSWER_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'TRANSFER_REQUEST_ANSWER_WORKING_DAYS must be between 1 and 20' })
  @Max(20, { message: 'TRANSFER_REQUEST_ANSWER_WORKING_DAYS must be between 1 and 20' })
  TRANSFER_REQUEST_ANSWER_WORKING_DAYS = DEFAULT_CLOCK_POLICY.requestAnswerWorkingDays;
  @Transform(toInt)
  @IsInt({ message: 'CHILD_SEEN_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'CHILD_SEEN_WORKING_DAYS must be between 1 and 60' })
  @Max(60, { message: 'CHILD_SEEN_WORKING_DAYS must be between 1 and 60' })
  CHILD_SEEN_WORKING_DAYS = DEFAULT_CLOCK_POLICY.childSeenWorkingDays;

  @Transform(toInt)
  @IsInt({ message: 'CHILD_SEEN_URGENT_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'CHILD_SEEN_URGENT_WORKING_DAYS must be between 1 and 60' })
  @Max(60, { message: 'CHILD_SEEN_URGENT_WORKING_DAYS must be between 1 and 60' })
  CHILD_SEEN_URGENT_WORKING_DAYS = DEFAULT_CLOCK_POLICY.childSeenUrgentWorkingDays;

  /** Issue 14 item 2: working days a family may stay not found before a national alert decision is due. */
  @Transform(toInt)
  @IsInt({ message: 'NOT_REACHED_ALERT_WORKING_DAYS must be a whole number of working days' })
  @Min(1, { message: 'NOT_REACHED_ALERT_WORKING_DAYS must be between 1 and 20' })
  @Max(20, { message: 'NOT_REACHED_ALERT_WORKING_DAYS must be between 1 and 20' })
  NOT_REACHED_ALERT_WORKING_DAYS = DEFAULT_CLOCK_POLICY.notReachedAlertWorkingDays;
}

/**
 * The key-encryption keys (KEKs) that wrap each transfer's data key (DATA_KEY_RING, DATA_KEY_ACTIVE).
 * New data keys, and every data key `keys:rotate` re-wraps, are wrapped with the active one; the
 * others stay in the ring only until rotation has moved every data key off them.
 */
export interface DataKeyRing {
  activeId: string;
  /** Every KEK by id (32 bytes each). */
  keys: ReadonlyMap<string, Buffer>;
  /** True when the published development key is in use (nothing configured, outside production). */
  development: boolean;
}

/** The id of the development KEK: public (its bytes are derived from a sentence in this file), never for real data. */
export const DEVELOPMENT_KEY_ID = 'development-only-insecure';

/** The ring used outside production when DATA_KEY_RING is not set: one public key, anyone can unwrap with it. */
export function developmentKeyRing(): DataKeyRing {
  const key = createHash('sha256')
    .update('Family Handover development key-encryption key: public, never for real family data')
    .digest();
  return { activeId: DEVELOPMENT_KEY_ID, keys: new Map([[DEVELOPMENT_KEY_ID, key]]), development: true };
}

const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** Parses DATA_KEY_RING (`id:<base64 of 32 bytes>,id:<…>`) and DATA_KEY_ACTIVE; every problem names the variable, never a key. */
export function parseDataKeyRing(ring: string, active: string | undefined, problems: string[]): DataKeyRing | null {
  const keys = new Map<string, Buffer>();
  const before = problems.length;
  ring.split(',').forEach((entry, index) => {
    const at = `DATA_KEY_RING entry ${index + 1}`;
    const colon = entry.indexOf(':');
    const id = entry.slice(0, Math.max(colon, 0)).trim();
    const material = entry.slice(colon + 1).trim();
    if (colon < 0 || !KEY_ID.test(id)) {
      problems.push(`${at} must be <id>:<base64 of 32 random bytes>, the id 1-40 letters, digits, _ or -`);
      return;
    }
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32) {
      problems.push(`${at} (${id}): the key must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
      return;
    }
    if (keys.has(id)) {
      problems.push(`${at}: the id ${id} is listed twice`);
      return;
    }
    keys.set(id, bytes);
  });
  if (!active)
    problems.push('DATA_KEY_ACTIVE is required with DATA_KEY_RING: the id of the key new data keys are wrapped with');
  else if (problems.length === before && !keys.has(active))
    problems.push(`DATA_KEY_ACTIVE (${active}) must be one of the ids in DATA_KEY_RING`);
  if (problems.length > before || !active) return null;
  return { activeId: active, keys, development: false };
}

/** One OIDC issuer whose tokens the API accepts (AUTH_ISSUERS, or AUTH_ISSUER/AUTH_AUDIENCE/AUTH_JWKS_URL). */
export interface OidcIssuer {
  /** Compared exactly with the token's `iss` claim. */
  issuer: string;
  /** The token's `aud` must contain it. */
  audience: string;
  jwksUrl: string;
  /** Signature algorithms accepted from this issuer (asymmetric only). */
  algorithms: string[];
  /** A label for people (e.g. "NHS CIS2"); the issuer URL when not given. */
  name: string;
}

/**
 * How bearer tokens are verified: HS256 tokens with the shared secret (development, tests, demo;
 * with the issuer/audience they must carry, if set), every other token by the issuer named in its
 * `iss` claim. At least one of the two is configured.
 */
export interface AuthConfig {
  sharedSecret: { key: Uint8Array; issuer?: string; audience?: string } | null;
  issuers: OidcIssuer[];
  /** Tokens must carry `iat` and be no older than this, whatever their `exp` says. */
  maxTokenAgeSeconds: number;
}

/** Algorithms an issuer may use: asymmetric signatures only (never HS*, never none). */
export const ISSUER_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
const DEFAULT_ISSUER_ALGORITHMS = ['RS256', 'PS256', 'ES256'];
const ISSUER_KEYS = ['issuer', 'audience', 'jwksUrl', 'algorithms', 'name'];

const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
};
const nonEmpty = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.trim() !== '' && value.length <= max;

/** Parses AUTH_ISSUERS (a JSON array of issuers); every problem names the variable and the entry. */
function parseIssuers(text: string, problems: string[]): OidcIssuer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problems.push('AUTH_ISSUERS must be a JSON array of {"issuer","audience","jwksUrl","algorithms"?,"name"?}');
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(
      'AUTH_ISSUERS must be a non-empty JSON array of {"issuer","audience","jwksUrl","algorithms"?,"name"?}',
    );
    return [];
  }
  const issuers: OidcIssuer[] = [];
  parsed.forEach((entry: unknown, index) => {
    const at = `AUTH_ISSUERS[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at} must be an object with issuer, audience and jwksUrl`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = problems.length;
    const unknown = Object.keys(e).filter((key) => !ISSUER_KEYS.includes(key));
    if (unknown.length)
      problems.push(`${at} has unknown field(s) ${unknown.join(', ')} (allowed: ${ISSUER_KEYS.join(', ')})`);
    if (!nonEmpty(e.issuer, 2000)) problems.push(`${at}.issuer must be a non-empty string`);
    if (!nonEmpty(e.audience, 2000)) problems.push(`${at}.audience must be a non-empty string`);
    if (!isHttpUrl(e.jwksUrl)) problems.push(`${at}.jwksUrl must be an http(s) URL`);
    const algorithms = e.algorithms ?? DEFAULT_ISSUER_ALGORITHMS;
    if (
      !Array.isArray(algorithms) ||
      algorithms.length === 0 ||
      algorithms.some((alg) => !(ISSUER_ALGORITHMS as readonly unknown[]).includes(alg))
    ) {
      problems.push(`${at}.algorithms must be a non-empty array of ${ISSUER_ALGORITHMS.join(', ')}`);
    }
    if (e.name !== undefined && !nonEmpty(e.name, 200)) problems.push(`${at}.name must be a non-empty string`);
    if (problems.length > before) return;
    if (issuers.some((i) => i.issuer === e.issuer)) {
      problems.push(`${at}.issuer ${JSON.stringify(e.issuer)} is listed twice`);
      return;
    }
    issuers.push({
      issuer: e.issuer as string,
      audience: e.audience as string,
      jwksUrl: e.jwksUrl as string,
      algorithms: [...new Set(algorithms as string[])],
      name: (e.name as string | undefined) ?? (e.issuer as string),
    });
  });
  return issuers;
}

export interface AppConfig {
  /** The apps' connection: a LOGIN role that owns no table (see MIGRATION_DATABASE_URL). */
  databaseUrl: string;
  /** The tables' owner, for the migrate command only (MIGRATION_DATABASE_URL); never given to the running apps. */
  migrationDatabaseUrl?: string;
  /** NODE_ENV=production. */
  production: boolean;
  /** Accepted but dangerous settings, logged loudly at start-up (ALLOW_SHARED_SECRET_AUTH in production). */
  warnings: string[];
  databasePoolSize: number;
  redisUrl: string;
  smtpUrl: string;
  mailFrom: string;
  appBaseUrl: string;
  /** The console's public URL (WEB_BASE_URL, default APP_BASE_URL): every email's link opens a page there. */
  webBaseUrl: string;
  port: number;
  /** The worker's health and metrics port. */
  workerPort: number;
  /** The address the worker's health and metrics server binds to (WORKER_HEALTH_HOST). */
  workerHealthHost: string;
  /** Bearer token a scraper must send to GET /metrics (METRICS_TOKEN); unset: open outside production, closed in it. */
  metricsToken?: string;
  auth: AuthConfig;
  /** The key ring wrapping every transfer's data key (family data at rest is encrypted under those). */
  dataKeys: DataKeyRing;
  bootstrapAdminEmail?: string;
  chaseSweepSeconds: number;
  /** How often the worker re-dispatches work Redis forgot (RECONCILE_SECONDS). */
  reconcileSeconds: number;
  /** How old queued work must be before the reconciliation looks at it (RECONCILE_GRACE_SECONDS). */
  reconcileGraceSeconds: number;
  /** First retry delay of an email send; each later one doubles (13 tries in all). */
  emailRetryBaseMs: number;
  queuePrefix: string;
  rateLimitPerMinute: number;
  /**
   * Days a closed or cancelled transfer keeps its family data before the retention sweep erases it,
   * leaving a tombstone (RETENTION_DAYS, default 730: two years).
   */
  retentionDays: number;
  /** Days a dispatched outbox row or a sent email is kept before the retention sweep prunes it (DELIVERED_RETENTION_DAYS, default 30). */
  deliveredRetentionDays: number;
  /** Reverse proxies in front of the API whose X-Forwarded-For is believed (0: none). */
  trustProxyHops: number;
  logLevel: string;
  /**
   * The one clock policy (libs/domain clocks.ts): its defaults, with the transfer-in conference's
   * start (CONFERENCE_CLOCK_START) and working days (CONFERENCE_DUE_WORKING_DAYS), and the temporary
   * moves' short-stay (SHORT_STAY_DAYS) and move-review (MOVE_REVIEW_WEEKS) thresholds, and the
   * working days a child has to be seen in the new area (CHILD_SEEN_WORKING_DAYS, default 10;
   * CHILD_SEEN_URGENT_WORKING_DAYS, default 5, for a child under 1 or with a critical flag) from here.
   */
  clocks: ClockPolicy;
}

const KNOWN = Object.keys(new EnvironmentVariables()).concat([
  'DATABASE_URL',
  'MIGRATION_DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'APP_BASE_URL',
  'WEB_BASE_URL',
  'AUTH_JWT_SECRET',
  'ALLOW_SHARED_SECRET_AUTH',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_JWKS_URL',
  'AUTH_ISSUERS',
  'BOOTSTRAP_ADMIN_EMAIL',
  'NODE_ENV',
  'METRICS_TOKEN',
  'DATA_KEY_RING',
  'DATA_KEY_ACTIVE',
]);

/** Reads and validates the configuration. Throws ConfigurationError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const { vars, problems } = readEnvironment(EnvironmentVariables, env, KNOWN, [
    'DATABASE_URL',
    'REDIS_URL',
    'SMTP_URL',
    'MAIL_FROM',
    'APP_BASE_URL',
  ]);
  if (vars.AUTH_JWKS_URL && (!vars.AUTH_ISSUER || !vars.AUTH_AUDIENCE)) {
    problems.push('AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL');
  }
  if (vars.AUTH_ISSUERS && vars.AUTH_JWKS_URL) {
    problems.push('AUTH_ISSUERS and AUTH_JWKS_URL are exclusive: list every issuer in AUTH_ISSUERS');
  }
  const issuers: OidcIssuer[] = vars.AUTH_ISSUERS ? parseIssuers(vars.AUTH_ISSUERS, problems) : [];
  if (!vars.AUTH_ISSUERS && vars.AUTH_JWKS_URL && vars.AUTH_ISSUER && vars.AUTH_AUDIENCE) {
    // The single-issuer variables are shorthand for a one-entry list.
    issuers.push({
      issuer: vars.AUTH_ISSUER,
      audience: vars.AUTH_AUDIENCE,
      jwksUrl: vars.AUTH_JWKS_URL,
      algorithms: [...DEFAULT_ISSUER_ALGORITHMS],
      name: vars.AUTH_ISSUER,
    });
  }
  if (!vars.AUTH_JWT_SECRET && !vars.AUTH_JWKS_URL && !vars.AUTH_ISSUERS) {
    problems.push('AUTH_JWT_SECRET, AUTH_ISSUERS or AUTH_ISSUER/AUTH_AUDIENCE/AUTH_JWKS_URL is required');
  }
  const production = vars.NODE_ENV === 'production';
  const warnings: string[] = [];
  if (production && vars.AUTH_JWT_SECRET) {
    if (vars.ALLOW_SHARED_SECRET_AUTH !== 'true') {
      problems.push(
        'AUTH_JWT_SECRET is refused when NODE_ENV=production: anyone holding the secret can sign in as anyone. ' +
          'Use AUTH_ISSUERS, or set ALLOW_SHARED_SECRET_AUTH=true to accept it knowingly',
      );
    } else {
      warnings.push(
        'ALLOW_SHARED_SECRET_AUTH=true: AUTH_JWT_SECRET is accepted in production — anyone holding that one secret ' +
          'can mint a token for any practitioner, admins included. Use AUTH_ISSUERS and remove AUTH_JWT_SECRET',
      );
    }
  }
  let dataKeys: DataKeyRing | null = null;
  if (vars.DATA_KEY_RING) dataKeys = parseDataKeyRing(vars.DATA_KEY_RING, vars.DATA_KEY_ACTIVE, problems);
  else if (vars.DATA_KEY_ACTIVE) problems.push('DATA_KEY_ACTIVE is set but DATA_KEY_RING is not');
  else if (production)
    problems.push(
      'DATA_KEY_RING and DATA_KEY_ACTIVE are required when NODE_ENV=production: family data is encrypted under keys they wrap',
    );
  else dataKeys = developmentKeyRing();
  if (vars.CHILD_SEEN_URGENT_WORKING_DAYS > vars.CHILD_SEEN_WORKING_DAYS)
    problems.push('CHILD_SEEN_URGENT_WORKING_DAYS must not be more than CHILD_SEEN_WORKING_DAYS');
  if (problems.length > 0 || !dataKeys) throw new ConfigurationError([...new Set(problems)]);

  const auth: AuthConfig = {
    // Without AUTH_JWKS_URL, AUTH_ISSUER/AUTH_AUDIENCE are what HS256 tokens must carry.
    sharedSecret: vars.AUTH_JWT_SECRET
      ? {
          key: new TextEncoder().encode(vars.AUTH_JWT_SECRET),
          issuer: vars.AUTH_JWKS_URL ? undefined : vars.AUTH_ISSUER,
          audience: vars.AUTH_JWKS_URL ? undefined : vars.AUTH_AUDIENCE,
        }
      : null,
    issuers,
    maxTokenAgeSeconds: vars.AUTH_MAX_TOKEN_AGE_SECONDS,
  };
  return {
    databaseUrl: vars.DATABASE_URL,
    migrationDatabaseUrl: vars.MIGRATION_DATABASE_URL,
    production,
    warnings,
    databasePoolSize: vars.DATABASE_POOL_SIZE,
    redisUrl: vars.REDIS_URL,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    appBaseUrl: vars.APP_BASE_URL.replace(/\/+$/, ''),
    webBaseUrl: (vars.WEB_BASE_URL ?? vars.APP_BASE_URL).replace(/\/+$/, ''),
    port: vars.PORT,
    workerPort: vars.WORKER_PORT,
    workerHealthHost: vars.WORKER_HEALTH_HOST,
    metricsToken: vars.METRICS_TOKEN,
    auth,
    dataKeys,
    bootstrapAdminEmail: vars.BOOTSTRAP_ADMIN_EMAIL?.toLowerCase(),
    chaseSweepSeconds: vars.CHASE_SWEEP_SECONDS,
    reconcileSeconds: vars.RECONCILE_SECONDS,
    reconcileGraceSeconds: vars.RECONCILE_GRACE_SECONDS,
    emailRetryBaseMs: vars.EMAIL_RETRY_BASE_MS,
    queuePrefix: vars.QUEUE_PREFIX,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    retentionDays: vars.RETENTION_DAYS,
    deliveredRetentionDays: vars.DELIVERED_RETENTION_DAYS,
    trustProxyHops: vars.TRUST_PROXY_HOPS,
    logLevel: vars.LOG_LEVEL,
    clocks: validateClockPolicy({
      ...DEFAULT_CLOCK_POLICY,
      conferenceClockStart: vars.CONFERENCE_CLOCK_START as ConferenceClockStart,
      conferenceDueWorkingDays: vars.CONFERENCE_DUE_WORKING_DAYS,
      shortStayDays: vars.SHORT_STAY_DAYS,
      moveReviewWeeks: vars.MOVE_REVIEW_WEEKS,
      requestAnswerWorkingDays: vars.TRANSFER_REQUEST_ANSWER_WORKING_DAYS,
      childSeenWorkingDays: vars.CHILD_SEEN_WORKING_DAYS,
      childSeenUrgentWorkingDays: vars.CHILD_SEEN_URGENT_WORKING_DAYS,
      notReachedAlertWorkingDays: vars.NOT_REACHED_ALERT_WORKING_DAYS,
    }),
  };
}

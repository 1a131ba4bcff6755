import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { blankToUndefined, ConfigurationError, HTTP_URL_OPTIONS, readEnvironment, toInt } from '@fh/config';

/**
 * The console's configuration (apps/web), validated once at boot on libs/config's scaffold
 * (readEnvironment): this is the only place the web app reads the environment. A bad or missing
 * variable stops start-up with its name.
 */

class WebEnvironment {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  @Transform(toInt)
  @IsInt({ message: 'WEB_DATABASE_POOL_SIZE must be an integer' })
  @Min(1, { message: 'WEB_DATABASE_POOL_SIZE must be between 1 and 50' })
  @Max(50, { message: 'WEB_DATABASE_POOL_SIZE must be between 1 and 50' })
  WEB_DATABASE_POOL_SIZE = 5;

  @IsUrl(HTTP_URL_OPTIONS, { message: 'WEB_BASE_URL must be an http(s) URL' })
  WEB_BASE_URL!: string;

  @IsUrl(HTTP_URL_OPTIONS, { message: 'API_URL must be an http(s) URL' })
  API_URL!: string;

  @Transform(toInt)
  @IsInt({ message: 'WEB_PORT must be an integer' })
  @Min(0, { message: 'WEB_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'WEB_PORT must be between 0 and 65535' })
  WEB_PORT = 3002;

  @IsUrl(HTTP_URL_OPTIONS, { message: 'OIDC_ISSUER_URL must be an http(s) URL' })
  OIDC_ISSUER_URL!: string;

  @IsString()
  @MinLength(1, { message: 'OIDC_CLIENT_ID must not be empty' })
  OIDC_CLIENT_ID!: string;

  @IsString()
  @MinLength(16, { message: 'OIDC_CLIENT_SECRET must be at least 16 characters' })
  OIDC_CLIENT_SECRET!: string;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1, { message: 'OIDC_API_AUDIENCE must not be empty' })
  OIDC_API_AUDIENCE?: string;

  @Transform(toInt)
  @IsInt({ message: 'WEB_SESSION_IDLE_SECONDS must be an integer' })
  @Min(60, { message: 'WEB_SESSION_IDLE_SECONDS must be between 60 and 86400' })
  @Max(86400, { message: 'WEB_SESSION_IDLE_SECONDS must be between 60 and 86400' })
  WEB_SESSION_IDLE_SECONDS = 30 * 60;

  @Transform(toInt)
  @IsInt({ message: 'WEB_SESSION_MAX_SECONDS must be an integer' })
  @Min(60, { message: 'WEB_SESSION_MAX_SECONDS must be between 60 and 86400' })
  @Max(86400, { message: 'WEB_SESSION_MAX_SECONDS must be between 60 and 86400' })
  WEB_SESSION_MAX_SECONDS = 10 * 60 * 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  NODE_ENV?: string;
}

export interface WebConfig {
  databaseUrl: string;
  databasePoolSize: number;
  /** The console's public URL: cookies are Secure when it is https; the sign-in callback is under it. */
  webBaseUrl: string;
  /** Where the console calls the API from the server (not shown to browsers). */
  apiUrl: string;
  port: number;
  oidc: { issuerUrl: string; clientId: string; clientSecret: string; apiAudience?: string };
  sessionIdleSeconds: number;
  sessionMaxSeconds: number;
  logLevel: string;
  production: boolean;
}

const REQUIRED = [
  'DATABASE_URL',
  'WEB_BASE_URL',
  'API_URL',
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
] as const;
const KNOWN = [...Object.keys(new WebEnvironment()), ...REQUIRED, 'OIDC_API_AUDIENCE', 'NODE_ENV'];

/** Reads and validates the console's configuration. Throws ConfigurationError naming every bad variable. */
export function loadWebConfig(env: Record<string, string | undefined> = process.env): WebConfig {
  const { vars, problems } = readEnvironment(WebEnvironment, env, KNOWN, REQUIRED);
  if (problems.length > 0) throw new ConfigurationError([...new Set(problems)]);
  return {
    databaseUrl: vars.DATABASE_URL,
    databasePoolSize: vars.WEB_DATABASE_POOL_SIZE,
    webBaseUrl: vars.WEB_BASE_URL.replace(/\/+$/, ''),
    apiUrl: vars.API_URL.replace(/\/+$/, ''),
    port: vars.WEB_PORT,
    oidc: {
      issuerUrl: vars.OIDC_ISSUER_URL.replace(/\/+$/, ''),
      clientId: vars.OIDC_CLIENT_ID,
      clientSecret: vars.OIDC_CLIENT_SECRET,
      apiAudience: vars.OIDC_API_AUDIENCE,
    },
    sessionIdleSeconds: vars.WEB_SESSION_IDLE_SECONDS,
    sessionMaxSeconds: vars.WEB_SESSION_MAX_SECONDS,
    logLevel: vars.LOG_LEVEL,
    production: vars.NODE_ENV === 'production',
  };
}

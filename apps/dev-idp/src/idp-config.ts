import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';
import { blankToUndefined, ConfigurationError, HTTP_URL_OPTIONS, readEnvironment, toInt } from '@fh/config';

/**
 * The development identity provider's configuration, validated once at boot on libs/config's
 * scaffold (readEnvironment); the only place it reads the environment.
 */

class IdpEnvironment {
  @Transform(toInt)
  @IsInt({ message: 'IDP_PORT must be an integer' })
  @Min(0, { message: 'IDP_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'IDP_PORT must be between 0 and 65535' })
  IDP_PORT = 3003;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl(HTTP_URL_OPTIONS, { message: 'IDP_ISSUER must be an http(s) URL' })
  IDP_ISSUER?: string;

  @IsString()
  @MinLength(1, { message: 'OIDC_CLIENT_ID must not be empty' })
  OIDC_CLIENT_ID = 'family-handover-console';

  @IsString()
  @MinLength(16, { message: 'OIDC_CLIENT_SECRET must be at least 16 characters' })
  OIDC_CLIENT_SECRET!: string;

  @IsUrl(HTTP_URL_OPTIONS, { message: 'WEB_BASE_URL must be an http(s) URL' })
  WEB_BASE_URL!: string;

  @IsString()
  @MinLength(1, { message: 'OIDC_API_AUDIENCE must not be empty' })
  OIDC_API_AUDIENCE!: string;

  @Transform(toInt)
  @IsInt({ message: 'IDP_ACCESS_TOKEN_SECONDS must be an integer' })
  @Min(10, { message: 'IDP_ACCESS_TOKEN_SECONDS must be between 10 and 3600' })
  @Max(3600, { message: 'IDP_ACCESS_TOKEN_SECONDS must be between 10 and 3600' })
  IDP_ACCESS_TOKEN_SECONDS = 300;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  NODE_ENV?: string;
}

export interface IdpConfig {
  port: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
  webBaseUrl: string;
  audience: string;
  accessTokenSeconds: number;
}

const REQUIRED = ['OIDC_CLIENT_SECRET', 'WEB_BASE_URL', 'OIDC_API_AUDIENCE'] as const;
const KNOWN = [...Object.keys(new IdpEnvironment()), ...REQUIRED, 'IDP_ISSUER', 'NODE_ENV'];

export function loadIdpConfig(env: Record<string, string | undefined> = process.env): IdpConfig {
  if (env.NODE_ENV === 'production') {
    throw new ConfigurationError([
      'NODE_ENV is production: the development identity provider signs anyone in without a password and never runs in production',
    ]);
  }
  const { vars, problems } = readEnvironment(IdpEnvironment, env, KNOWN, REQUIRED);
  if (problems.length > 0) throw new ConfigurationError([...new Set(problems)]);
  return {
    port: vars.IDP_PORT,
    issuer: (vars.IDP_ISSUER ?? `http://127.0.0.1:${vars.IDP_PORT}`).replace(/\/+$/, ''),
    clientId: vars.OIDC_CLIENT_ID,
    clientSecret: vars.OIDC_CLIENT_SECRET,
    webBaseUrl: vars.WEB_BASE_URL.replace(/\/+$/, ''),
    audience: vars.OIDC_API_AUDIENCE,
    accessTokenSeconds: vars.IDP_ACCESS_TOKEN_SECONDS,
  };
}

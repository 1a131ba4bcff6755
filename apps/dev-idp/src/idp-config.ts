import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';
import { ConfigurationError } from '@fh/config';

/** The development identity provider's configuration, validated once at boot; the only place it reads the environment. */
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const blankToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

class IdpEnvironment {
  @Transform(toInt)
  @IsInt({ message: 'IDP_PORT must be an integer' })
  @Min(0, { message: 'IDP_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'IDP_PORT must be between 0 and 65535' })
  IDP_PORT = 3003;

  @Transform(blankToUndefined)
  @IsOptional()
  @IsUrl(URL_OPTIONS, { message: 'IDP_ISSUER must be an http(s) URL' })
  IDP_ISSUER?: string;

  @IsString()
  @MinLength(1, { message: 'OIDC_CLIENT_ID must not be empty' })
  OIDC_CLIENT_ID = 'family-handover-console';

  @IsString()
  @MinLength(16, { message: 'OIDC_CLIENT_SECRET must be at least 16 characters' })
  OIDC_CLIENT_SECRET!: string;

  @IsUrl(URL_OPTIONS, { message: 'WEB_BASE_URL must be an http(s) URL' })
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
  const raw: Record<string, string> = {};
  for (const key of new Set(KNOWN)) if (env[key] !== undefined) raw[key] = env[key];
  if (raw.NODE_ENV === 'production') {
    throw new ConfigurationError([
      'NODE_ENV is production: the development identity provider signs anyone in without a password and never runs in production',
    ]);
  }
  const vars = plainToInstance(IdpEnvironment, raw);
  const problems = validateSync(vars, { forbidUnknownValues: true }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  for (const required of REQUIRED) {
    if (raw[required] === undefined || raw[required].trim() === '') {
      const index = problems.findIndex((p) => p.startsWith(required));
      if (index >= 0) problems[index] = `${required} is required`;
      else problems.push(`${required} is required`);
    }
  }
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

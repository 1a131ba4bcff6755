import { ConfigurationError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fh',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'handover@example.org',
  APP_BASE_URL: 'http://localhost:3000/',
  AUTH_JWT_SECRET: 'x'.repeat(32),
};

const problemsOf = (env: Record<string, string | undefined>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
};

describe('configuration', () => {
  it('reads a valid environment with defaults', () => {
    const config = loadConfig(valid);
    expect(config).toEqual(
      expect.objectContaining({ port: 3000, chaseSweepSeconds: 60, queuePrefix: 'fh', rateLimitPerMinute: 300, appBaseUrl: 'http://localhost:3000' }),
    );
    expect(config.auth.mode).toBe('shared-secret');
  });

  it.each(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'MAIL_FROM', 'APP_BASE_URL'])('names a missing %s', (name) => {
    expect(problemsOf({ ...valid, [name]: undefined })).toContain(`${name} is required`);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL must be a postgres:// URL'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis:// or rediss:// URL'],
    ['PORT', 'eighty', 'PORT must be an integer'],
    ['PORT', '70000', 'PORT must be between 0 and 65535'],
    ['CHASE_SWEEP_SECONDS', '0', 'CHASE_SWEEP_SECONDS must be at least 1'],
    ['RATE_LIMIT_PER_MINUTE', '1.5', 'RATE_LIMIT_PER_MINUTE must be an integer'],
    ['QUEUE_PREFIX', 'has space', 'QUEUE_PREFIX must be 1-64 letters, digits or _.:-'],
    ['AUTH_JWT_SECRET', 'short', 'AUTH_JWT_SECRET must be at least 32 characters'],
    ['BOOTSTRAP_ADMIN_EMAIL', 'nobody', 'BOOTSTRAP_ADMIN_EMAIL must be an email address'],
    ['MAIL_FROM', 'nobody', 'MAIL_FROM must be an email address'],
  ])('names an invalid %s', (name, value, message) => {
    expect(problemsOf({ ...valid, [name]: value })).toContain(message);
  });

  it('needs one way of verifying tokens, complete', () => {
    expect(problemsOf({ ...valid, AUTH_JWT_SECRET: undefined })).toContain('AUTH_JWT_SECRET or AUTH_ISSUER/AUTH_AUDIENCE/AUTH_JWKS_URL is required');
    expect(problemsOf({ ...valid, AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'https://idp.example/jwks' })).toContain(
      'AUTH_ISSUER and AUTH_AUDIENCE are required with AUTH_JWKS_URL',
    );
    const oidc = loadConfig({
      ...valid,
      AUTH_JWT_SECRET: undefined,
      AUTH_ISSUER: 'https://idp',
      AUTH_AUDIENCE: 'fh',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
    });
    expect(oidc.auth).toEqual({ mode: 'oidc', issuer: 'https://idp', audience: 'fh', jwksUrl: 'https://idp.example/jwks' });
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x' })).toEqual(
      expect.arrayContaining(['DATABASE_URL is required', 'REDIS_URL is required', 'SMTP_URL is required', 'PORT must be an integer']),
    );
  });
});

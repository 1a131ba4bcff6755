import { DEVELOPMENT_KEY_ID, loadConfig } from './config';
import { ConfigurationError } from './environment';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fh',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'handover@example.org',
  APP_BASE_URL: 'http://localhost:3000/',
  AUTH_JWT_SECRET: 'x'.repeat(32),
};

const KEY_A = Buffer.alloc(32, 7).toString('base64');
const KEY_B = Buffer.alloc(32, 9).toString('base64');
const ring = { DATA_KEY_RING: `k2026a:${KEY_A},k2025:${KEY_B}`, DATA_KEY_ACTIVE: 'k2026a' };

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
      expect.objectContaining({
        port: 3000,
        chaseSweepSeconds: 60,
        queuePrefix: 'fh',
        rateLimitPerMinute: 300,
        appBaseUrl: 'http://localhost:3000',
      }),
    );
    expect(config.auth.sharedSecret?.key).toEqual(new TextEncoder().encode('x'.repeat(32)));
    expect(config.auth.issuers).toEqual([]);
  });

  it('links emails to the console at WEB_BASE_URL, by default the API’s APP_BASE_URL', () => {
    expect(loadConfig(valid).webBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...valid, WEB_BASE_URL: 'https://console.example.org/' }).webBaseUrl).toBe(
      'https://console.example.org',
    );
    expect(problemsOf({ ...valid, WEB_BASE_URL: 'console.example.org' })).toContain(
      'WEB_BASE_URL must be an http(s) URL',
    );
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

  it('needs a way of verifying tokens, complete', () => {
    expect(problemsOf({ ...valid, AUTH_JWT_SECRET: undefined })).toContain(
      'AUTH_JWT_SECRET, AUTH_ISSUERS or AUTH_ISSUER/AUTH_AUDIENCE/AUTH_JWKS_URL is required',
    );
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
    expect(oidc.auth).toEqual({
      sharedSecret: null,
      issuers: [
        {
          issuer: 'https://idp',
          audience: 'fh',
          jwksUrl: 'https://idp.example/jwks',
          algorithms: ['RS256', 'PS256', 'ES256'],
          name: 'https://idp',
        },
      ],
      maxTokenAgeSeconds: 43200,
    });
    expect(problemsOf({ ...valid, AUTH_MAX_TOKEN_AGE_SECONDS: '10' })).toContain(
      'AUTH_MAX_TOKEN_AGE_SECONDS must be between 60 and 86400',
    );
  });

  it('keeps AUTH_ISSUER/AUTH_AUDIENCE as what shared-secret tokens carry when there is no JWKS', () => {
    const config = loadConfig({ ...valid, AUTH_ISSUER: 'https://login', AUTH_AUDIENCE: 'fh' });
    expect(config.auth.sharedSecret).toEqual(expect.objectContaining({ issuer: 'https://login', audience: 'fh' }));
    expect(config.auth.issuers).toEqual([]);
  });

  const cis2 = {
    issuer: 'https://cis2.example',
    audience: 'fh-health',
    jwksUrl: 'https://cis2.example/jwks',
    name: 'NHS CIS2',
  };
  const entra = {
    issuer: 'https://login.microsoftonline.com/t/v2.0',
    audience: 'api://fh',
    jwksUrl: 'https://login.microsoftonline.com/t/keys',
    algorithms: ['RS256'],
  };

  it('reads several issuers from AUTH_ISSUERS, alongside the shared secret', () => {
    const config = loadConfig({ ...valid, AUTH_ISSUERS: JSON.stringify([cis2, entra]) });
    expect(config.auth.sharedSecret).not.toBeNull();
    expect(config.auth.issuers).toEqual([
      { ...cis2, algorithms: ['RS256', 'PS256', 'ES256'] },
      { ...entra, name: entra.issuer },
    ]);
    expect(
      loadConfig({ ...valid, AUTH_JWT_SECRET: undefined, AUTH_ISSUERS: JSON.stringify([cis2]) }).auth.sharedSecret,
    ).toBeNull();
    // the single-issuer shorthand may now sit beside the secret too
    const both = loadConfig({
      ...valid,
      AUTH_ISSUER: 'https://idp',
      AUTH_AUDIENCE: 'fh',
      AUTH_JWKS_URL: 'https://idp/jwks',
    });
    expect(both.auth.issuers).toHaveLength(1);
    expect(both.auth.sharedSecret).toEqual(expect.objectContaining({ issuer: undefined, audience: undefined }));
  });

  it.each([
    ['not JSON', '[{', 'AUTH_ISSUERS must be a JSON array of {"issuer","audience","jwksUrl","algorithms"?,"name"?}'],
    [
      'an empty array',
      '[]',
      'AUTH_ISSUERS must be a non-empty JSON array of {"issuer","audience","jwksUrl","algorithms"?,"name"?}',
    ],
    [
      'an object',
      JSON.stringify(cis2),
      'AUTH_ISSUERS must be a non-empty JSON array of {"issuer","audience","jwksUrl","algorithms"?,"name"?}',
    ],
    [
      'a string entry',
      JSON.stringify([cis2, 'x']),
      'AUTH_ISSUERS[1] must be an object with issuer, audience and jwksUrl',
    ],
    [
      'no issuer',
      JSON.stringify([{ ...cis2, issuer: undefined }]),
      'AUTH_ISSUERS[0].issuer must be a non-empty string',
    ],
    [
      'a blank audience',
      JSON.stringify([{ ...cis2, audience: ' ' }]),
      'AUTH_ISSUERS[0].audience must be a non-empty string',
    ],
    [
      'a bad JWKS URL',
      JSON.stringify([cis2, { ...entra, jwksUrl: 'ftp://x/keys' }]),
      'AUTH_ISSUERS[1].jwksUrl must be an http(s) URL',
    ],
    [
      'a symmetric algorithm',
      JSON.stringify([{ ...entra, algorithms: ['RS256', 'HS256'] }]),
      'AUTH_ISSUERS[0].algorithms must be a non-empty array of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    ],
    [
      'no algorithms',
      JSON.stringify([{ ...entra, algorithms: [] }]),
      'AUTH_ISSUERS[0].algorithms must be a non-empty array of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    ],
    [
      'alg none',
      JSON.stringify([{ ...entra, algorithms: 'none' }]),
      'AUTH_ISSUERS[0].algorithms must be a non-empty array of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA',
    ],
    [
      'an unknown field',
      JSON.stringify([{ ...cis2, audiences: ['x'] }]),
      'AUTH_ISSUERS[0] has unknown field(s) audiences (allowed: issuer, audience, jwksUrl, algorithms, name)',
    ],
    [
      'the same issuer twice',
      JSON.stringify([cis2, cis2]),
      'AUTH_ISSUERS[1].issuer "https://cis2.example" is listed twice',
    ],
  ])('names a bad AUTH_ISSUERS: %s', (_what, value, message) => {
    expect(problemsOf({ ...valid, AUTH_ISSUERS: value })).toContain(message);
  });

  it('refuses AUTH_ISSUERS together with the single-issuer AUTH_JWKS_URL', () => {
    expect(
      problemsOf({
        ...valid,
        AUTH_ISSUERS: JSON.stringify([cis2]),
        AUTH_ISSUER: 'https://idp',
        AUTH_AUDIENCE: 'fh',
        AUTH_JWKS_URL: 'https://idp/jwks',
      }),
    ).toContain('AUTH_ISSUERS and AUTH_JWKS_URL are exclusive: list every issuer in AUTH_ISSUERS');
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x' })).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is required',
        'REDIS_URL is required',
        'SMTP_URL is required',
        'PORT must be an integer',
      ]),
    );
  });
  describe('shared-secret tokens in production (issue 12 item 6)', () => {
    const issuers = JSON.stringify([{ issuer: 'https://idp', audience: 'fh', jwksUrl: 'https://idp/jwks' }]);

    it('refuses AUTH_JWT_SECRET when NODE_ENV=production', () => {
      expect(problemsOf({ ...valid, NODE_ENV: 'production', ...ring })).toEqual([
        expect.stringContaining('AUTH_JWT_SECRET is refused when NODE_ENV=production'),
      ]);
      expect(problemsOf({ ...valid, NODE_ENV: 'production', ...ring, AUTH_ISSUERS: issuers })).toEqual([
        expect.stringContaining('set ALLOW_SHARED_SECRET_AUTH=true to accept it knowingly'),
      ]);
      expect(problemsOf({ ...valid, NODE_ENV: 'production', ...ring, ALLOW_SHARED_SECRET_AUTH: 'false' })).toEqual([
        expect.stringContaining('AUTH_JWT_SECRET is refused when NODE_ENV=production'),
      ]);
    });

    it('accepts it with ALLOW_SHARED_SECRET_AUTH=true, with a loud warning', () => {
      const config = loadConfig({ ...valid, NODE_ENV: 'production', ...ring, ALLOW_SHARED_SECRET_AUTH: 'true' });
      expect(config.production).toBe(true);
      expect(config.auth.sharedSecret).not.toBeNull();
      expect(config.warnings).toEqual([expect.stringContaining('ALLOW_SHARED_SECRET_AUTH=true')]);
    });

    it('needs no permission for issuers in production, nor for the secret outside production', () => {
      const { AUTH_JWT_SECRET: _secret, ...withoutSecret } = valid;
      const production = loadConfig({ ...withoutSecret, NODE_ENV: 'production', ...ring, AUTH_ISSUERS: issuers });
      expect(production.auth.sharedSecret).toBeNull();
      expect(production.warnings).toEqual([]);
      for (const NODE_ENV of [undefined, 'development', 'test']) {
        const config = loadConfig({ ...valid, NODE_ENV });
        expect(config.production).toBe(false);
        expect(config.warnings).toEqual([]);
      }
    });

    it('checks ALLOW_SHARED_SECRET_AUTH', () => {
      expect(problemsOf({ ...valid, ALLOW_SHARED_SECRET_AUTH: 'yes' })).toContain(
        'ALLOW_SHARED_SECRET_AUTH must be true or false',
      );
    });
  });

  it('reads the migration role apart from the app role (MIGRATION_DATABASE_URL, issue 12 item 10)', () => {
    expect(loadConfig(valid).migrationDatabaseUrl).toBeUndefined();
    const config = loadConfig({ ...valid, MIGRATION_DATABASE_URL: 'postgres://owner@127.0.0.1:5432/fh' });
    expect(config.migrationDatabaseUrl).toBe('postgres://owner@127.0.0.1:5432/fh');
    expect(config.databaseUrl).toBe(valid.DATABASE_URL);
    expect(problemsOf({ ...valid, MIGRATION_DATABASE_URL: 'mysql://x' })).toContain(
      'MIGRATION_DATABASE_URL must be a postgres:// URL',
    );
  });

  describe('the data key ring (issue 12 item 11)', () => {
    it('reads DATA_KEY_RING and DATA_KEY_ACTIVE', () => {
      const { dataKeys } = loadConfig({ ...valid, ...ring });
      expect(dataKeys.activeId).toBe('k2026a');
      expect(dataKeys.development).toBe(false);
      expect([...dataKeys.keys.keys()]).toEqual(['k2026a', 'k2025']);
      expect(dataKeys.keys.get('k2025')).toEqual(Buffer.alloc(32, 9));
    });

    it('is required in production, and outside it the development key is used', () => {
      expect(problemsOf({ ...valid, NODE_ENV: 'production', ALLOW_SHARED_SECRET_AUTH: 'true' })).toEqual([
        expect.stringContaining('DATA_KEY_RING and DATA_KEY_ACTIVE are required when NODE_ENV=production'),
      ]);
      const { dataKeys } = loadConfig(valid);
      expect(dataKeys.development).toBe(true);
      expect(dataKeys.activeId).toBe(DEVELOPMENT_KEY_ID);
      expect(dataKeys.keys.get(DEVELOPMENT_KEY_ID)).toHaveLength(32);
    });

    it('refuses malformed rings, naming the entry but never a key', () => {
      const secret = Buffer.alloc(16, 1).toString('base64');
      const problems = problemsOf({
        ...valid,
        DATA_KEY_RING: `short:${secret},bad id:${KEY_A}`,
        DATA_KEY_ACTIVE: 'short',
      });
      expect(problems).toEqual([
        expect.stringContaining('DATA_KEY_RING entry 1 (short): the key must be 32 bytes'),
        expect.stringContaining('DATA_KEY_RING entry 2 must be <id>:<base64'),
      ]);
      expect(problems.join(' ')).not.toContain(secret);
      expect(problemsOf({ ...valid, DATA_KEY_RING: `a:${KEY_A},a:${KEY_B}`, DATA_KEY_ACTIVE: 'a' })).toEqual([
        'DATA_KEY_RING entry 2: the id a is listed twice',
      ]);
      expect(problemsOf({ ...valid, DATA_KEY_RING: `a:${KEY_A}`, DATA_KEY_ACTIVE: 'b' })).toEqual([
        'DATA_KEY_ACTIVE (b) must be one of the ids in DATA_KEY_RING',
      ]);
      expect(problemsOf({ ...valid, DATA_KEY_RING: `a:${KEY_A}` })).toEqual([
        expect.stringContaining('DATA_KEY_ACTIVE is required with DATA_KEY_RING'),
      ]);
      expect(problemsOf({ ...valid, DATA_KEY_ACTIVE: 'a' })).toEqual([
        'DATA_KEY_ACTIVE is set but DATA_KEY_RING is not',
      ]);
    });
  });

  it('keeps family data RETENTION_DAYS (default two years) and sent emails and dispatched outbox rows DELIVERED_RETENTION_DAYS (default 30) — issue 12 item 12', () => {
    expect(loadConfig(valid)).toEqual(expect.objectContaining({ retentionDays: 730, deliveredRetentionDays: 30 }));
    expect(loadConfig({ ...valid, RETENTION_DAYS: '2557', DELIVERED_RETENTION_DAYS: '7' })).toEqual(
      expect.objectContaining({ retentionDays: 2557, deliveredRetentionDays: 7 }),
    );
    expect(problemsOf({ ...valid, RETENTION_DAYS: '0' })).toContain('RETENTION_DAYS must be between 1 and 3650');
    expect(problemsOf({ ...valid, RETENTION_DAYS: 'two years' })).toContain('RETENTION_DAYS must be an integer');
    expect(problemsOf({ ...valid, DELIVERED_RETENTION_DAYS: '366' })).toContain(
      'DELIVERED_RETENTION_DAYS must be between 1 and 365',
    );
  });

  it('reads the temporary-move thresholds SHORT_STAY_DAYS (default 15) and MOVE_REVIEW_WEEKS (default 12) into the one clock policy — issue 13 items 3 and 7', () => {
    expect(loadConfig(valid).clocks).toEqual(expect.objectContaining({ shortStayDays: 15, moveReviewWeeks: 12 }));
    const clocks = loadConfig({ ...valid, SHORT_STAY_DAYS: '28', MOVE_REVIEW_WEEKS: '6' }).clocks;
    expect(clocks).toEqual(expect.objectContaining({ shortStayDays: 28, moveReviewWeeks: 6 }));
    // The rest of the policy keeps its defaults.
    expect(clocks).toEqual(
      expect.objectContaining({ conferenceDueWorkingDays: 15, conferenceClockStart: 'initiation' }),
    );
    expect(problemsOf({ ...valid, SHORT_STAY_DAYS: '0' })).toContain('SHORT_STAY_DAYS must be between 1 and 90');
    expect(problemsOf({ ...valid, SHORT_STAY_DAYS: '91' })).toContain('SHORT_STAY_DAYS must be between 1 and 90');
    expect(problemsOf({ ...valid, SHORT_STAY_DAYS: 'a fortnight' })).toContain(
      'SHORT_STAY_DAYS must be a whole number of days',
    );
    expect(problemsOf({ ...valid, MOVE_REVIEW_WEEKS: '0' })).toContain('MOVE_REVIEW_WEEKS must be between 1 and 52');
    expect(problemsOf({ ...valid, MOVE_REVIEW_WEEKS: '53' })).toContain('MOVE_REVIEW_WEEKS must be between 1 and 52');
    expect(problemsOf({ ...valid, MOVE_REVIEW_WEEKS: '12.5' })).toContain(
      'MOVE_REVIEW_WEEKS must be a whole number of weeks',
    );
  });

  it('reads TRANSFER_REQUEST_ANSWER_WORKING_DAYS (default 2) into the one clock policy — issue 14 item 3', () => {
    expect(loadConfig(valid).clocks.requestAnswerWorkingDays).toBe(2);
    expect(loadConfig({ ...valid, TRANSFER_REQUEST_ANSWER_WORKING_DAYS: '5' }).clocks.requestAnswerWorkingDays).toBe(5);
    expect(problemsOf({ ...valid, TRANSFER_REQUEST_ANSWER_WORKING_DAYS: '0' })).toContain(
      'TRANSFER_REQUEST_ANSWER_WORKING_DAYS must be between 1 and 20',
    );
    expect(problemsOf({ ...valid, TRANSFER_REQUEST_ANSWER_WORKING_DAYS: 'two' })).toContain(
      'TRANSFER_REQUEST_ANSWER_WORKING_DAYS must be a whole number of working days',
    );
  });

  it('reads the child-seen clocks CHILD_SEEN_WORKING_DAYS (default 10) and CHILD_SEEN_URGENT_WORKING_DAYS (default 5) into the one clock policy — issue 14 item 1', () => {
    expect(loadConfig(valid).clocks).toEqual(
      expect.objectContaining({ childSeenWorkingDays: 10, childSeenUrgentWorkingDays: 5 }),
    );
    const clocks = loadConfig({ ...valid, CHILD_SEEN_WORKING_DAYS: '15', CHILD_SEEN_URGENT_WORKING_DAYS: '3' }).clocks;
    expect(clocks).toEqual(expect.objectContaining({ childSeenWorkingDays: 15, childSeenUrgentWorkingDays: 3 }));
    expect(clocks).toEqual(expect.objectContaining({ shortStayDays: 15, conferenceDueWorkingDays: 15 }));
    expect(problemsOf({ ...valid, CHILD_SEEN_WORKING_DAYS: '0' })).toContain(
      'CHILD_SEEN_WORKING_DAYS must be between 1 and 60',
    );
    expect(problemsOf({ ...valid, CHILD_SEEN_URGENT_WORKING_DAYS: 'soon' })).toContain(
      'CHILD_SEEN_URGENT_WORKING_DAYS must be a whole number of working days',
    );
    // The urgent clock is never the longer one.
    expect(problemsOf({ ...valid, CHILD_SEEN_WORKING_DAYS: '4' })).toContain(
      'CHILD_SEEN_URGENT_WORKING_DAYS must not be more than CHILD_SEEN_WORKING_DAYS',
    );
  });
});

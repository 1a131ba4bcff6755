import { createServer, Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { approved } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi, TEST_SECRET } from './support/harness';

const secret = new TextEncoder().encode(TEST_SECRET);
const sign = (
  claims: Record<string, unknown>,
  options: { exp?: string | number; alg?: string; key?: Uint8Array } = {},
) => {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt();
  if (options.exp !== undefined) jwt = jwt.setExpirationTime(options.exp);
  return jwt.sign(options.key ?? secret);
};
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('sign-in', () => {
  let api: RunningApi;
  let teamId: string;

  beforeAll(async () => {
    api = await startApi();
    await api.call('POST', '/v1/areas', { as: ADMIN_EMAIL, body: { code: 'sandwell', name: 'Sandwell' } });
    teamId = (
      await api.call('POST', '/v1/teams', {
        as: ADMIN_EMAIL,
        body: { areaCode: 'sandwell', name: 'HV', service: 'health_visiting', mailbox: 'hv@sandwell.test' },
      })
    ).body.id;
    await approved(api, 'POST', '/v1/practitioners', {
      teamId,
      name: 'Pat',
      email: 'pat@sandwell.test',
      role: 'practitioner',
    });
  });
  afterAll(() => api.close());

  const get = (token?: string) => api.call('GET', '/v1/teams', { token });

  it('accepts a valid token and maps the email case-insensitively', async () => {
    const response = await get(await sign({ email: 'PAT@Sandwell.TEST' }, { exp: '10m' }));
    expect(response.status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined, 'a bearer token is required'],
    [
      'an expired token',
      async () => sign({ email: 'pat@sandwell.test' }, { exp: Math.floor(Date.now() / 1000) - 60 }),
      'token has expired',
    ],
    ['a token without exp', async () => sign({ email: 'pat@sandwell.test' }), 'token is not valid'],
    [
      'a bad signature',
      async () =>
        sign(
          { email: 'pat@sandwell.test' },
          { exp: '10m', key: new TextEncoder().encode('another-secret-that-is-long-enough-000000') },
        ),
      'token is not valid',
    ],
    [
      'alg: none',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ email: 'pat@sandwell.test', exp: Math.floor(Date.now() / 1000) + 600 })}.`,
      'token is not valid',
    ],
    [
      'HS512 (algorithm not pinned)',
      async () => sign({ email: 'pat@sandwell.test' }, { exp: '10m', alg: 'HS512' }),
      'token is not valid',
    ],
    ['garbage', async () => 'not-a-jwt', 'token is not valid'],
    ['a token without an email claim', async () => sign({ sub: 'pat' }, { exp: '10m' }), 'token has no email claim'],
  ])('refuses %s with 401', async (_what, token, message) => {
    const response = await get(await token());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: [message],
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses an unknown practitioner with 403', async () => {
    const response = await get(await sign({ email: 'stranger@elsewhere.test' }, { exp: '10m' }));
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('takes roles from the directory, never from the token', async () => {
    const token = await sign({ email: 'pat@sandwell.test', role: 'admin', roles: ['admin'] }, { exp: '10m' });
    const response = await api.call('POST', '/v1/areas', { token, body: { code: 'walsall', name: 'Walsall' } });
    expect(response.status).toBe(403);
  });

  it('stops a deactivated practitioner on their next request', async () => {
    const token = await sign({ email: 'pat@sandwell.test' }, { exp: '10m' });
    expect((await get(token)).status).toBe(200);
    const pat = (await api.call('GET', `/v1/practitioners?teamId=${teamId}`, { as: ADMIN_EMAIL })).body[0];
    expect(
      (await api.call('PATCH', `/v1/practitioners/${pat.id}`, { as: ADMIN_EMAIL, body: { active: false } })).status,
    ).toBe(200);
    const after = await get(token);
    expect(after.status).toBe(403);
    expect(after.body.message).toEqual(['practitioner is not active']);
  });
});

describe('sign-in with issuer and audience', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ AUTH_ISSUER: 'https://login.handover.test', AUTH_AUDIENCE: 'family-handover' });
  });
  afterAll(() => api.close());

  const tokenWith = (iss: string, aud: string) =>
    new SignJWT({ email: ADMIN_EMAIL })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);

  it('accepts the configured issuer and audience and refuses others', async () => {
    expect(
      (await api.call('GET', '/v1/areas', { token: await tokenWith('https://login.handover.test', 'family-handover') }))
        .status,
    ).toBe(200);
    expect(
      (await api.call('GET', '/v1/areas', { token: await tokenWith('https://evil.test', 'family-handover') })).status,
    ).toBe(401);
    expect(
      (await api.call('GET', '/v1/areas', { token: await tokenWith('https://login.handover.test', 'other-app') }))
        .status,
    ).toBe(401);
    // `npm run token` signs with the configured issuer and audience
    expect((await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL })).status).toBe(200);
  });
});

describe('sign-in through an OIDC issuer’s JWKS', () => {
  let api: RunningApi;
  let jwks: Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as { port: number }).port;
    api = await startApi({
      AUTH_JWT_SECRET: undefined,
      AUTH_ISSUER: 'https://idp.handover.test',
      AUTH_AUDIENCE: 'family-handover',
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
    });
  });
  afterAll(async () => {
    await api.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('verifies RS256 tokens against the issuer’s keys and refuses shared-secret tokens', async () => {
    // An issuer's token must carry `sub` (issue 10: matched by issuer + subject after the first sign-in).
    const good = await new SignJWT({ email: ADMIN_EMAIL, sub: 'admin-at-idp' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp.handover.test')
      .setAudience('family-handover')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await api.call('GET', '/v1/areas', { token: good })).status).toBe(200);
    // Issue 12 item 6: an issuer's email_verified, when sent, must be true.
    const unverified = await new SignJWT({ email: ADMIN_EMAIL, sub: 'admin-at-idp', email_verified: false })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('https://idp.handover.test')
      .setAudience('family-handover')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await api.call('GET', '/v1/areas', { token: unverified })).status).toBe(401);
    const hs = await new SignJWT({ email: ADMIN_EMAIL })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.handover.test')
      .setAudience('family-handover')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    expect((await api.call('GET', '/v1/areas', { token: hs })).status).toBe(401);
  });
});

describe('rate limiting', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => api.close());

  it('answers 429 RATE_LIMITED with Retry-After past the limit, per practitioner', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL });
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // health probes are never limited
    for (let i = 0; i < 10; i++) expect((await api.call('GET', '/health/live')).status).toBe(200);
  });
});

describe('rate limiting per client address, for every request', () => {
  let api: RunningApi;
  let address = 0;
  // One trusted proxy hop: each test is its own client address (X-Forwarded-For), sharing one API.
  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY_HOPS: '1' });
  });
  afterAll(() => api.close());

  const from = () => ({ 'x-forwarded-for': `203.0.113.${++address}` });
  async function sixTimes(
    method: string,
    path: string,
    options: { raw?: string; headers?: Record<string, string>; as?: string } = {},
  ) {
    const headers = { ...from(), ...(options.headers ?? {}) };
    const responses = [];
    for (let i = 0; i < 6; i++) responses.push(await api.call(method, path, { ...options, headers }));
    const limited = responses[5];
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    return responses.map((r) => r.status);
  }

  it('counts unknown routes', async () => {
    expect(await sixTimes('GET', '/v1/no-such-thing')).toEqual([404, 404, 404, 404, 404, 429]);
  });

  it('counts URLs the router refuses before any hook: a percent-encoding that is not UTF-8, an over-long path segment', async () => {
    expect(await sixTimes('GET', '/v1/transfers/%E0%A4%A')).toEqual([400, 400, 400, 400, 400, 429]);
    expect(await sixTimes('GET', `/v1/transfers/${'a'.repeat(201)}`)).toEqual([414, 414, 414, 414, 414, 429]);
    // The two kinds share the address's count with everything else it sends.
    const headers = from();
    const statuses = [];
    for (const path of [
      '/v1/no-such-thing',
      '/v1/transfers/%E0%A4%A',
      '/v1/no-such-thing',
      `/v1/transfers/${'a'.repeat(201)}`,
    ])
      statuses.push((await api.call('GET', path, { headers })).status);
    statuses.push((await api.call('GET', '/v1/areas', { headers })).status);
    statuses.push((await api.call('GET', '/v1/transfers/%E0%A4%A', { headers })).status);
    expect(statuses).toEqual([404, 400, 404, 414, 401, 429]);
  });

  it('counts bodies that are not JSON', async () => {
    expect(await sixTimes('POST', '/v1/areas', { raw: '{"code":', as: ADMIN_EMAIL })).toEqual([
      400, 400, 400, 400, 400, 429,
    ]);
  });

  it('counts requests refused before the guard (unsupported content type)', async () => {
    const headers = { 'content-type': 'text/plain' };
    expect(await sixTimes('POST', '/v1/areas', { raw: 'hello', headers })).toEqual([415, 415, 415, 415, 415, 429]);
  });

  it('counts the queue dashboard', async () => {
    expect(await sixTimes('GET', '/admin/queues/api/queues')).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('counts unauthenticated requests, and health probes stay open from an address past its limit', async () => {
    const headers = from();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.call('GET', '/v1/areas', { headers })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    for (const path of ['/health/live', '/metrics'])
      expect((await api.call('GET', path, { headers })).status).toBe(200);
  });

  it('a signed-in request counts against its practitioner, not the address it came from', async () => {
    const headers = from();
    for (let i = 0; i < 5; i++)
      expect((await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL, headers })).status).toBe(200);
    // The same address still has its whole budget for anything else.
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await api.call('GET', '/v1/areas', { headers })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

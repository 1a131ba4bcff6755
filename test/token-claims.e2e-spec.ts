import { SignJWT } from 'jose';
import { approved } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi, TEST_SECRET } from './support/harness';

/** Issue 12 item 6: `iat` required, a maximum token age whatever `exp` says, ASCII-only email claims. */
const secret = new TextEncoder().encode(TEST_SECRET);
const now = () => Math.floor(Date.now() / 1000);
const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret);

describe('token age and email claims', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ AUTH_MAX_TOKEN_AGE_SECONDS: '600' });
    await api.call('POST', '/v1/areas', { as: ADMIN_EMAIL, body: { code: 'sandwell', name: 'Sandwell' } });
    const teamId = (
      await api.call('POST', '/v1/teams', {
        as: ADMIN_EMAIL,
        body: { areaCode: 'sandwell', name: 'HV', service: 'health_visiting', mailbox: 'hv@sandwell.test' },
      })
    ).body.id;
    const kim = await approved(api, 'POST', '/v1/practitioners', {
      teamId,
      name: 'Kim',
      email: 'kim@sandwell.test',
      role: 'practitioner',
    });
    expect(kim.status).toBe(201);
  });
  afterAll(() => api.close());

  const get = async (claims: Record<string, unknown>) =>
    (await api.call('GET', '/v1/teams', { token: await token(claims) })).status;

  it('refuses a token without iat, and one older than the maximum age even when exp is far away', async () => {
    const exp = now() + 86_400;
    expect(await get({ email: 'kim@sandwell.test', exp, iat: now() })).toBe(200);
    expect(await get({ email: 'kim@sandwell.test', exp })).toBe(401);
    expect(await get({ email: 'kim@sandwell.test', exp, iat: now() - 540 })).toBe(200);
    expect(await get({ email: 'kim@sandwell.test', exp, iat: now() - 900 })).toBe(401);
  });

  it('refuses an email claim that is not plain ASCII after NFKC (a Kelvin sign is not a k)', async () => {
    const exp = now() + 300;
    expect(await get({ email: 'KIM@sandwell.test', exp, iat: now() })).toBe(200);
    expect(await get({ email: '\u212Aim@sandwell.test', exp, iat: now() })).toBe(401);
    expect(await get({ email: 'kim@sandwell.test\u200B', exp, iat: now() })).toBe(401);
  });
});

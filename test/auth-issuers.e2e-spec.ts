import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi, TEST_SECRET } from './support/harness';

/** An identity provider for the test: its own RSA key, served as a JWKS on a loopback port. */
interface TestIssuer {
  issuer: string;
  audience: string;
  privateKey: KeyObject;
  publicPem: string;
  server: Server;
  jwksUrl: string;
}

async function testIssuer(issuer: string, audience: string): Promise<TestIssuer> {
  // A plain RSA key (usable for RS256 and PS256) with no `alg` in its JWK, so only the issuer's
  // configured allow-list decides which algorithms pass.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: `${audience}-k1`, use: 'sig' };
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
  return {
    issuer,
    audience,
    privateKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    server,
    jwksUrl,
  };
}

interface SignOptions {
  iss?: string;
  aud?: string;
  alg?: string;
  key?: KeyObject | Uint8Array;
  kid?: string;
  exp?: string | number | null;
}

function sign(by: TestIssuer, claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? `${by.audience}-k1` })
    .setIssuer(options.iss ?? by.issuer)
    .setAudience(options.aud ?? by.audience)
    .setIssuedAt();
  if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? '5m');
  return jwt.sign(options.key ?? by.privateKey);
}

describe('sign-in through several OIDC issuers (AUTH_ISSUERS) beside the shared secret', () => {
  let api: RunningApi;
  let db: DataSource;
  let people: SeededDirectory;
  let cis2: TestIssuer;
  let entra: TestIssuer;

  beforeAll(async () => {
    cis2 = await testIssuer('https://cis2.handover.test', 'fh-health');
    entra = await testIssuer('https://login.handover.test/tenant/v2.0', 'api://family-handover');
    api = await startApi({
      AUTH_ISSUERS: JSON.stringify([
        {
          issuer: cis2.issuer,
          audience: cis2.audience,
          jwksUrl: cis2.jwksUrl,
          algorithms: ['RS256'],
          name: 'NHS CIS2',
        },
        {
          issuer: entra.issuer,
          audience: entra.audience,
          jwksUrl: entra.jwksUrl,
          algorithms: ['RS256', 'PS256'],
          name: 'Council Entra ID',
        },
      ]),
    });
    db = api.app.get(DataSource);
    people = await seedDirectory(api);
  });
  afterAll(async () => {
    await api.close();
    await Promise.all([cis2, entra].map((i) => new Promise((resolve) => i.server.close(resolve))));
  });

  const get = (token: string) => api.call('GET', '/v1/teams', { token });
  /** Who the API took the caller for: the accountable practitioner of a draft they start. */
  const whoAmI = async (token: string): Promise<string> => {
    const created = await api.call('POST', '/v1/transfers', { token, body: reviewFamily(people.sandwell.hv.id) });
    expect(created.status).toBe(201);
    return created.body.accountablePractitioner.id;
  };
  const identities = (): Promise<{ issuer: string; subject: string; practitionerId: string }[]> =>
    db.query(
      `SELECT issuer, subject, practitioner_id AS "practitionerId" FROM practitioner_identities ORDER BY created_at, issuer, subject`,
    );
  const links = (
    practitionerId: string,
  ): Promise<{ outcome: string; reasonCode: string | null; details: unknown; actorId: string }[]> =>
    db.query(
      `SELECT outcome, reason_code AS "reasonCode", details, actor_id AS "actorId" FROM audit_events
       WHERE action = 'practitioner.identity_link' AND entity_id = $1 ORDER BY id`,
      [practitionerId],
    );
  const refused = (status: number, message: string) => ({
    statusCode: status,
    error: status === 401 ? 'Unauthorized' : 'Forbidden',
    message: [message],
    code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
  });

  describe('verification', () => {
    const who = () => ({ sub: 'verify-subject', email: people.birmingham.csc.manager.email });

    it('accepts each issuer’s own tokens, and shared-secret tokens too', async () => {
      expect((await get(await sign(cis2, who()))).status).toBe(200);
      expect((await get(await sign(entra, { ...who(), sub: 'entra-verify' }))).status).toBe(200);
      expect((await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL })).status).toBe(200);
    });

    it.each<[string, () => Promise<string>, string]>([
      [
        'a token naming issuer A signed with issuer B’s key',
        () => sign(cis2, who(), { key: entra.privateKey, kid: `${entra.audience}-k1` }),
        'token is not valid',
      ],
      [
        'issuer A’s token with issuer B’s audience',
        () => sign(cis2, who(), { aud: entra.audience }),
        'token is not valid',
      ],
      [
        'issuer B’s token with issuer A’s audience',
        () => sign(entra, who(), { aud: cis2.audience }),
        'token is not valid',
      ],
      [
        'a token from an issuer nobody configured',
        () => sign(cis2, who(), { iss: 'https://idp.elsewhere.test' }),
        'token is not valid',
      ],
      [
        'an issuer’s token without iss',
        () =>
          new SignJWT(who())
            .setProtectedHeader({ alg: 'RS256' })
            .setAudience(cis2.audience)
            .setExpirationTime('5m')
            .sign(cis2.privateKey),
        'token is not valid',
      ],
      ['PS256 from an issuer that allows RS256 only', () => sign(cis2, who(), { alg: 'PS256' }), 'token is not valid'],
      [
        'HS256 signed with the issuer’s public key (algorithm confusion)',
        () => sign(cis2, who(), { alg: 'HS256', key: new TextEncoder().encode(cis2.publicPem) }),
        'token is not valid',
      ],
      [
        'an expired issuer token',
        () => sign(cis2, who(), { exp: Math.floor(Date.now() / 1000) - 60 }),
        'token has expired',
      ],
      ['an issuer token without exp', () => sign(cis2, who(), { exp: null }), 'token is not valid'],
      [
        'an issuer token without sub',
        () => sign(cis2, { email: people.birmingham.csc.manager.email }),
        'token has no subject claim',
      ],
    ])('refuses %s with 401', async (_what, token, message) => {
      const response = await get(await token());
      expect(response.body).toEqual(refused(401, message));
    });

    it('checks each issuer’s own algorithm list: PS256 passes where it is allowed', async () => {
      expect((await get(await sign(entra, { ...who(), sub: 'entra-verify' }, { alg: 'PS256' }))).status).toBe(200);
    });

    it('still checks a shared-secret token with the secret only', async () => {
      const secret = new TextEncoder().encode(TEST_SECRET);
      const good = await new SignJWT({ email: ADMIN_EMAIL })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(secret);
      expect((await api.call('GET', '/v1/areas', { token: good })).status).toBe(200);
      const forged = await new SignJWT({ email: ADMIN_EMAIL })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('not-the-secret-but-long-enough-000000000'));
      expect((await api.call('GET', '/v1/areas', { token: forged })).body).toEqual(refused(401, 'token is not valid'));
    });
  });

  describe('matching: by email the first time, by issuer and subject after that', () => {
    it('records the identity at the first sign-in and keeps matching it when the email claim changes', async () => {
      const hana = people.birmingham.hv.practitioner;
      const first = await sign(cis2, { sub: 'cis2-hana', email: hana.email.toUpperCase() });
      expect(await whoAmI(first)).toBe(hana.id);
      expect(await identities()).toContainEqual({ issuer: cis2.issuer, subject: 'cis2-hana', practitionerId: hana.id });
      expect(await links(hana.id)).toEqual([
        { outcome: 'succeeded', reasonCode: null, details: { issuer: cis2.issuer }, actorId: hana.id },
      ]);

      // The email claim now names someone else (or nobody): the recorded identity decides.
      const renamed = await sign(cis2, { sub: 'cis2-hana', email: people.birmingham.hv.manager.email });
      expect(await whoAmI(renamed)).toBe(hana.id);
      expect(await whoAmI(await sign(cis2, { sub: 'cis2-hana', email: 'hana.new-name@nhs.test' }))).toBe(hana.id);
      expect(await whoAmI(await sign(cis2, { sub: 'cis2-hana' }))).toBe(hana.id);
    });

    it('links the same practitioner at a second issuer by email, separately', async () => {
      const hana = people.birmingham.hv.practitioner;
      expect(await whoAmI(await sign(entra, { sub: 'entra-hana', email: hana.email }))).toBe(hana.id);
      const hers = (await identities())
        .filter((i) => i.practitionerId === hana.id)
        .map((i) => `${i.issuer} ${i.subject}`);
      expect(hers).toEqual(expect.arrayContaining([`${cis2.issuer} cis2-hana`, `${entra.issuer} entra-hana`]));
    });

    it('does not let a second account at the same issuer take over a linked practitioner by email', async () => {
      const hana = people.birmingham.hv.practitioner;
      const response = await get(await sign(cis2, { sub: 'cis2-someone-else', email: hana.email }));
      expect(response.body).toEqual(
        refused(403, 'the practitioner with this email is already linked to another account at this identity provider'),
      );
      expect((await identities()).some((i) => i.subject === 'cis2-someone-else')).toBe(false);
      expect((await links(hana.id)).at(-1)).toEqual({
        outcome: 'refused',
        reasonCode: 'LINKED_ELSEWHERE',
        details: { issuer: cis2.issuer },
        actorId: hana.id,
      });
    });

    it('refuses a first sign-in nobody in the directory matches (403), or without an email to match by (401), and records nothing', async () => {
      const before = await identities();
      expect((await get(await sign(cis2, { sub: 'cis2-stranger', email: 'stranger@elsewhere.test' }))).body).toEqual(
        refused(403, 'practitioner is not in the directory'),
      );
      expect((await get(await sign(cis2, { sub: 'cis2-no-email' }))).body).toEqual(
        refused(401, 'token has no email claim'),
      );
      expect(await identities()).toEqual(before);
    });

    it('answers 403 for a known identity whose practitioner is now inactive, and for an inactive practitioner’s first sign-in', async () => {
      const sam = people.sandwell.hv.practitioner;
      const token = await sign(cis2, { sub: 'cis2-sam', email: sam.email });
      expect((await get(token)).status).toBe(200);
      expect(
        (await api.call('PATCH', `/v1/practitioners/${sam.id}`, { as: ADMIN_EMAIL, body: { active: false } })).status,
      ).toBe(200);
      expect((await get(token)).body).toEqual(refused(403, 'practitioner is not active'));
      // First sign-in at the other issuer while inactive: refused, nothing recorded.
      expect((await get(await sign(entra, { sub: 'entra-sam', email: sam.email }))).body).toEqual(
        refused(403, 'practitioner is not active'),
      );
      expect((await identities()).some((i) => i.subject === 'entra-sam')).toBe(false);
      expect(
        (await api.call('PATCH', `/v1/practitioners/${sam.id}`, { as: ADMIN_EMAIL, body: { active: true } })).status,
      ).toBe(200);
      expect((await get(token)).status).toBe(200);
    });

    it('keeps email-only matching for shared-secret tokens, whatever their sub says', async () => {
      const manager = people.birmingham.hv.manager;
      const secret = new TextEncoder().encode(TEST_SECRET);
      // The sub of an identity linked to Hana, but a shared-secret token: the email decides.
      const token = await new SignJWT({ email: manager.email, sub: 'cis2-hana', iss: cis2.issuer })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(secret);
      expect(await whoAmI(token)).toBe(manager.id);
    });

    it('records one identity when several first sign-ins arrive at once', async () => {
      const worker = people.birmingham.csc.practitioner;
      const token = await sign(entra, { sub: 'entra-csc-worker', email: worker.email });
      const statuses = await Promise.all(Array.from({ length: 6 }, () => get(token).then((r) => r.status)));
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect((await identities()).filter((i) => i.subject === 'entra-csc-worker')).toEqual([
        { issuer: entra.issuer, subject: 'entra-csc-worker', practitionerId: worker.id },
      ]);
      expect((await links(worker.id)).map((l) => l.outcome)).toEqual(['succeeded']);
    });
  });
});

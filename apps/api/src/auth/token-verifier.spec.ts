import { SignJWT } from 'jose';
import type { AppConfig } from '@fh/config';
import { TokenRejected, TokenVerifier } from './token-verifier.service';

/** Issue 11 item 7: a token already verified is not verified again until it would stop being valid. */
const now = () => Math.floor(Date.now() / 1000);

function verifierWith(key: Uint8Array, maxTokenAgeSeconds = 600): TokenVerifier {
  return new TokenVerifier({
    auth: { sharedSecret: { key }, issuers: [], maxTokenAgeSeconds },
  } as unknown as AppConfig);
}

const sign = (key: Uint8Array, claims: Record<string, unknown>) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);

describe('TokenVerifier: verified tokens are remembered until they expire', () => {
  it('does not check a token it has already verified again, while it is valid', async () => {
    const key = new TextEncoder().encode('unit-test-secret-that-is-long-enough-0123');
    const verifier = verifierWith(key);
    const token = await sign(key, { email: 'Kim@Sandwell.test', iat: now(), exp: now() + 300 });
    expect(await verifier.verify(token)).toEqual({ email: 'kim@sandwell.test', identity: null });

    // Change the key the verifier holds: a token checked afresh now fails, a remembered one does not.
    key.fill(0x41);
    const fresh = await sign(new TextEncoder().encode('unit-test-secret-that-is-long-enough-0123'), {
      email: 'kim@sandwell.test',
      iat: now(),
      exp: now() + 301,
    });
    await expect(verifier.verify(fresh)).rejects.toThrow(TokenRejected);
    expect(await verifier.verify(token)).toEqual({ email: 'kim@sandwell.test', identity: null });
  });

  it('checks a remembered token afresh once it expires', async () => {
    const key = new TextEncoder().encode('unit-test-secret-that-is-long-enough-4567');
    const verifier = verifierWith(key);
    const issuedAt = now();
    const token = await sign(key, { email: 'kim@sandwell.test', iat: issuedAt, exp: issuedAt + 1 });
    await verifier.verify(token);
    key.fill(0x42);
    // Past exp the cache no longer answers: the changed key makes the fresh check fail.
    await new Promise((r) => setTimeout(r, Math.max(0, (issuedAt + 1) * 1000 - Date.now() + 50)));
    await expect(verifier.verify(token)).rejects.toThrow(TokenRejected);
  });

  it('never remembers a refused token, and keeps the token itself out of its keys', async () => {
    const key = new TextEncoder().encode('unit-test-secret-that-is-long-enough-89ab');
    const verifier = verifierWith(key);
    const token = await sign(key, { email: 'kim@sandwell.test', iat: now() - 900, exp: now() + 300 });
    await expect(verifier.verify(token)).rejects.toThrow(TokenRejected);
    await expect(verifier.verify(token)).rejects.toThrow(TokenRejected);
    const good = await sign(key, { email: 'kim@sandwell.test', iat: now(), exp: now() + 300 });
    await verifier.verify(good);
    const keys = [...(verifier as unknown as { verified: Map<string, unknown> }).verified.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(good.split('.')[2]);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

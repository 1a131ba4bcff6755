import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig, OidcIssuer } from '@fh/config';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  JWTPayload,
  JWTVerifyGetKey,
  JWTVerifyOptions,
} from 'jose';
import { createHash } from 'node:crypto';

export class TokenRejected extends Error {}

/** What a verified token says about who is calling. */
export interface VerifiedToken {
  /** The `email` claim, lower-cased; null when an issuer's token has none. */
  email: string | null;
  /** For a token from an OIDC issuer: that issuer and the token's subject. null for a shared-secret token. */
  identity: { issuer: string; subject: string } | null;
}

const MAX_EMAIL = 320;
const MAX_SUBJECT = 255;
/** Tokens remembered as verified, at most (the oldest is forgotten first). */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Verifies bearer JWTs. A token whose header says HS256 is checked with the shared secret
 * (development, tests, demo), when one is configured; any other token by the OIDC issuer named in
 * its (as yet unverified) `iss` claim, against that issuer's JWKS, algorithms, issuer and audience —
 * so a token can never pick its own way of being checked. `exp` and `iat` are required everywhere, and
 * a token older than AUTH_MAX_TOKEN_AGE_SECONDS is refused however far away its `exp` is. An email
 * claim must be plain ASCII as sent (a Kelvin sign U+212A lower-cases, and NFKC-normalises, to
 * someone else's `k`); an issuer's `email_verified`, when sent, must be true.
 *
 * A token once verified is not verified again until it would stop being valid (its `exp`, or `iat`
 * plus the maximum age, whichever comes first): a bounded cache keyed by the token's SHA-256, never
 * the token itself. What the token maps to in the directory is looked up on every request all the
 * same (DirectoryLookup), so a deactivation still takes effect at once.
 */
@Injectable()
export class TokenVerifier {
  private readonly secret: { key: Uint8Array; options: JWTVerifyOptions } | null;
  private readonly issuers = new Map<
    string,
    { issuer: OidcIssuer; keys: JWTVerifyGetKey; options: JWTVerifyOptions }
  >();
  private readonly verified = new Map<string, { token: VerifiedToken; until: number }>();
  private readonly maxTokenAgeSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.maxTokenAgeSeconds = config.auth.maxTokenAgeSeconds;
    const common: JWTVerifyOptions = {
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: config.auth.maxTokenAgeSeconds,
      clockTolerance: 5,
    };
    const shared = config.auth.sharedSecret;
    this.secret = shared
      ? {
          key: shared.key,
          options: { ...common, algorithms: ['HS256'], issuer: shared.issuer, audience: shared.audience },
        }
      : null;
    for (const issuer of config.auth.issuers) {
      this.issuers.set(issuer.issuer, {
        issuer,
        keys: createRemoteJWKSet(new URL(issuer.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 }),
        options: { ...common, algorithms: issuer.algorithms, issuer: issuer.issuer, audience: issuer.audience },
      });
    }
  }

  async verify(token: string): Promise<VerifiedToken> {
    const key = createHash('sha256').update(token).digest('base64url');
    const known = this.verified.get(key);
    if (known && Date.now() < known.until) return known.token;
    if (known) this.verified.delete(key);
    const { verified, payload } = await this.check(token);
    // Valid until the earlier of exp and iat + the maximum age (both are required claims); after
    // that it is checked again, with the clock tolerance, exactly as a token never seen before.
    const until = Math.min(payload.exp!, payload.iat! + this.maxTokenAgeSeconds) * 1000;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, { token: verified, until });
    return verified;
  }

  private async check(token: string): Promise<{ verified: VerifiedToken; payload: JWTPayload }> {
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256') {
        if (!this.secret) throw new TokenRejected('token is not valid');
        const { payload } = await jwtVerify(token, this.secret.key, this.secret.options);
        const email = emailOf(payload);
        if (!email) throw new TokenRejected('token has no email claim');
        return { verified: { email, identity: null }, payload };
      }
      const claimed = decodeJwt(token).iss;
      const issuer = typeof claimed === 'string' ? this.issuers.get(claimed) : undefined;
      if (!issuer) throw new TokenRejected('token is not valid');
      const { payload } = await jwtVerify(token, issuer.keys, issuer.options);
      if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > MAX_SUBJECT) {
        throw new TokenRejected('token has no subject claim');
      }
      if (payload.email_verified !== undefined && payload.email_verified !== true)
        throw new TokenRejected('token email is not verified');
      return {
        verified: { email: emailOf(payload), identity: { issuer: issuer.issuer.issuer, subject: payload.sub } },
        payload,
      };
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      const code = (error as { code?: string }).code;
      throw new TokenRejected(code === 'ERR_JWT_EXPIRED' ? 'token has expired' : 'token is not valid');
    }
  }
}

function emailOf(payload: JWTPayload): string | null {
  const email = payload.email;
  if (typeof email !== 'string' || email.length === 0 || email.length > MAX_EMAIL) return null;
  // Plain ASCII as sent, and unchanged by NFKC: NFKC alone would turn a Kelvin sign into a K.
  if (!/^[\x21-\x7e]+$/.test(email) || email.normalize('NFKC') !== email)
    throw new TokenRejected('token email is not a plain ASCII address');
  return email.toLowerCase();
}

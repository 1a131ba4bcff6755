import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { createRemoteJWKSet, jwtVerify, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';

export class TokenRejected extends Error {}

/**
 * Verifies bearer JWTs: HS256 with a shared secret (development, tests, demo) or an OIDC issuer's
 * JWKS (production). Algorithms are pinned, `exp` is required, issuer and audience are checked
 * when configured. Returns the token's `email` claim, lower-cased.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const auth = config.auth;
    if (auth.mode === 'oidc') {
      this.key = createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      this.options = { algorithms: ['RS256', 'PS256', 'ES256'], issuer: auth.issuer, audience: auth.audience };
    } else {
      this.key = auth.secret;
      this.options = { algorithms: ['HS256'], issuer: auth.issuer, audience: auth.audience };
    }
    this.options = { ...this.options, requiredClaims: ['exp'], clockTolerance: 5 };
  }

  async emailOf(token: string): Promise<string> {
    try {
      const { payload } = typeof this.key === 'function' ? await jwtVerify(token, this.key, this.options) : await jwtVerify(token, this.key, this.options);
      if (typeof payload.email !== 'string' || payload.email.length === 0 || payload.email.length > 320) {
        throw new TokenRejected('token has no email claim');
      }
      return payload.email.toLowerCase();
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      const code = (error as { code?: string }).code;
      throw new TokenRejected(code === 'ERR_JWT_EXPIRED' ? 'token has expired' : 'token is not valid');
    }
  }
}

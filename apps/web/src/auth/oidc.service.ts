import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { WEB_CONFIG } from '../web-config.token.js';
import type { WebConfig } from '../web-config.js';

export interface IssuedTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string | null;
  idToken: string | null;
  email: string | null;
}

/**
 * The console as an OpenID Connect relying party: authorisation code flow with PKCE (S256), state
 * and nonce, a confidential client. The issuer is discovered on first use (it may start after us).
 */
@Injectable()
export class OidcService {
  private configuration?: Promise<client.Configuration>;

  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  get redirectUri(): string {
    return `${this.config.webBaseUrl}/sign-in/callback`;
  }

  private discovered(): Promise<client.Configuration> {
    if (!this.configuration) {
      const { issuerUrl, clientId, clientSecret } = this.config.oidc;
      const insecure = issuerUrl.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : undefined;
      this.configuration = client.discovery(new URL(issuerUrl), clientId, clientSecret, undefined, insecure);
      this.configuration.catch(() => (this.configuration = undefined));
    }
    return this.configuration;
  }

  private resource(): Record<string, string> {
    return this.config.oidc.apiAudience ? { resource: this.config.oidc.apiAudience } : {};
  }

  async authorizationUrl(): Promise<{ url: string; codeVerifier: string; state: string; nonce: string }> {
    const configuration = await this.discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...this.resource(),
    });
    return { url: url.href, codeVerifier, state, nonce };
  }

  async exchange(
    callbackUrl: URL,
    expected: { codeVerifier: string; state: string; nonce: string },
  ): Promise<IssuedTokens> {
    const configuration = await this.discovered();
    const tokens = await client.authorizationCodeGrant(
      configuration,
      callbackUrl,
      {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      },
      this.resource(),
    );
    const claims = tokens.claims();
    return this.issued(tokens, typeof claims?.email === 'string' ? claims.email : null);
  }

  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const tokens = await client.refreshTokenGrant(await this.discovered(), refreshToken, this.resource());
    return this.issued(tokens, null);
  }

  /** Where to send the browser to sign out at the issuer too (RP-initiated logout), or null if it has none. */
  async endSessionUrl(idToken: string | null): Promise<string | null> {
    const configuration = await this.discovered().catch(() => null);
    if (!configuration?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: `${this.config.webBaseUrl}/signed-out`,
      client_id: this.config.oidc.clientId,
      ...(idToken ? { id_token_hint: idToken } : {}),
    }).href;
  }

  private issued(
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
    email: string | null,
  ): IssuedTokens {
    return {
      accessToken: tokens.access_token,
      accessTokenExpiresAt: new Date(Date.now() + (tokens.expires_in ?? 300) * 1000),
      refreshToken: tokens.refresh_token ?? null,
      idToken: tokens.id_token ?? null,
      email,
    };
  }
}

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { IdpConfig } from './idp-config.js';

/** The subject for an email: stable across restarts, and not the email itself (the API matches by email once, then by issuer + subject). */
export const subjectOf = (email: string) => `dev-${Buffer.from(email.trim().toLowerCase()).toString('base64url')}`;
const emailOf = (subject: string) =>
  subject.startsWith('dev-') ? Buffer.from(subject.slice(4), 'base64url').toString() : null;

const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,190}$/;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(nonce: string, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – development identity provider</title>
<style nonce="${nonce}">
  body { font-family: arial, sans-serif; margin: 0; color: #0b0c0c; background: #f3f2f1; font-size: 19px; line-height: 1.3; }
  header { background: #0b0c0c; color: #fff; padding: 15px 30px; font-weight: 700; }
  main { max-width: 640px; margin: 30px auto; background: #fff; padding: 30px; }
  h1 { font-size: 36px; margin-top: 0; }
  .warning { border-left: 10px solid #d4351c; padding: 10px 15px; margin-bottom: 20px; font-weight: 700; }
  label { display: block; font-weight: 700; margin-bottom: 5px; }
  input[type=email] { font-size: 19px; padding: 5px; width: 100%; max-width: 400px; border: 2px solid #0b0c0c; box-sizing: border-box; }
  input:focus, button:focus { outline: 3px solid #fd0; outline-offset: 0; box-shadow: inset 0 0 0 2px; }
  button { font-size: 19px; background: #00703c; color: #fff; border: 0; padding: 8px 12px; margin-top: 20px; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
  .error { color: #d4351c; font-weight: 700; }
  .error-input { border-color: #d4351c !important; }
</style></head>
<body><header>Development identity provider</header><main id="main-content">${body}</main></body></html>`;
}

function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) request.destroy(new Error('too large'));
    });
    request.on('end', () => resolve(new URLSearchParams(body)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, nonce: string, html: string, formTarget: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The sign-in form's answer redirects on to the console: form-action must allow it (browsers check redirects too).
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self' ${formTarget}; frame-ancestors 'none'; base-uri 'none'`,
  });
  response.end(html);
}

function signInForm(nonce: string, uid: string, email = '', error?: string): string {
  return page(
    nonce,
    error ? 'Error: Sign in' : 'Sign in',
    `<h1>Sign in</h1>
<p class="warning">For development only. Anyone can sign in as anyone here: there is no password. It never runs in production.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login" novalidate>
  <label for="email">Email address</label>
  ${error ? `<p class="error" id="email-error"><span style="position:absolute;left:-9999px">Error:</span> ${escapeHtml(error)}</p>` : ''}
  <input type="email" id="email" name="email" autocomplete="email" spellcheck="false" value="${escapeHtml(email)}"${error ? ' class="error-input" aria-describedby="email-error"' : ''}>
  <div><button type="submit">Sign in</button></div>
</form>`,
  );
}

/**
 * A development OpenID Connect provider (oidc-provider): one field, "Email address", no password.
 * Issues short-lived RS256 JWT access tokens for the API's audience with the `email` claim, which
 * the API verifies through this provider's JWKS exactly as it would a real issuer's.
 */
export async function startDevIdp(
  config: IdpConfig,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: config.clientId,
        client_secret: config.clientSecret,
        redirect_uris: [`${config.webBaseUrl}/sign-in/callback`],
        post_logout_redirect_uris: [`${config.webBaseUrl}/signed-out`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const email = emailOf(sub);
      if (!email) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email, email_verified: true }) };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          const nonce = randomBytes(16).toString('base64');
          ctx.set(
            'content-security-policy',
            `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self' ${new URL(config.webBaseUrl).origin}; frame-ancestors 'none'; base-uri 'none'`,
          );
          ctx.body = page(
            nonce,
            'Sign out',
            `<h1>Sign out of the development identity provider?</h1>${form.replace('<form', '<form id="op.logoutForm"')}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          const nonce = randomBytes(16).toString('base64');
          ctx.set('content-security-policy', `default-src 'none'; style-src 'nonce-${nonce}'`);
          ctx.body = page(nonce, 'Signed out', '<h1>You have signed out</h1>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => config.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== config.audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: 'openid email',
            audience: config.audience,
            accessTokenTTL: config.accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== 'AccessToken') return undefined;
      const email = emailOf(String(token.accountId));
      return email ? { email } : undefined;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Only this console: its grant is given at sign-in, no consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email');
      grant.addOIDCClaims(['email', 'email_verified']);
      grant.addResourceScope(config.audience, 'openid email');
      await grant.save();
      return grant;
    },
    ttl: {
      AccessToken: config.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 900,
      Grant: 10 * 3600,
      Session: 10 * 3600,
      RefreshToken: 10 * 3600,
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: async (ctx, out) => {
      const nonce = randomBytes(16).toString('base64');
      ctx.set('content-security-policy', `default-src 'none'; style-src 'nonce-${nonce}'`);
      ctx.type = 'html';
      ctx.body = page(
        nonce,
        'Sign-in error',
        `<h1>Sign-in did not work</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p>`,
      );
    },
  };
  const provider = new Provider(config.issuer, configuration);
  provider.on('server_error', (_ctx, error) => process.stderr.write(`dev-idp: ${error.message}\n`));
  const callback = provider.callback();
  const consoleOrigin = new URL(config.webBaseUrl).origin;

  const server = createServer((request, response) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec((request.url ?? '').split('?')[0]);
    if (!match) return void callback(request, response);
    void (async () => {
      const nonce = randomBytes(16).toString('base64');
      try {
        const details = await provider.interactionDetails(request, response);
        if (details.uid !== match[1])
          return send(
            response,
            400,
            nonce,
            page(nonce, 'Sign-in error', '<h1>Sign-in did not work</h1><p>Start again from the service.</p>'),
            consoleOrigin,
          );
        if (details.prompt.name !== 'login') {
          // Consent: only the console is a client; its grant is created by loadExistingGrant.
          const grant = new provider.Grant({
            clientId: String(details.params.client_id),
            accountId: details.session!.accountId,
          });
          grant.addOIDCScope('openid email');
          grant.addResourceScope(config.audience, 'openid email');
          return void (await provider.interactionFinished(
            request,
            response,
            { consent: { grantId: await grant.save() } },
            { mergeWithLastSubmission: true },
          ));
        }
        if (request.method === 'GET' && !match[2])
          return send(response, 200, nonce, signInForm(nonce, details.uid), consoleOrigin);
        if (request.method === 'POST' && match[2]) {
          const email = (await readForm(request)).get('email')?.trim() ?? '';
          if (!EMAIL.test(email)) {
            return send(
              response,
              400,
              nonce,
              signInForm(
                nonce,
                details.uid,
                email,
                email
                  ? 'Enter an email address in the correct format, like name@example.com'
                  : 'Enter your email address',
              ),
              consoleOrigin,
            );
          }
          return void (await provider.interactionFinished(
            request,
            response,
            { login: { accountId: subjectOf(email) } },
            { mergeWithLastSubmission: false },
          ));
        }
        send(response, 405, nonce, page(nonce, 'Not allowed', '<h1>Not allowed</h1>'), consoleOrigin);
      } catch (error) {
        send(
          response,
          400,
          nonce,
          page(
            nonce,
            'Sign-in error',
            `<h1>Sign-in did not work</h1><p>${escapeHtml((error as Error).message)}. Start again from the service.</p>`,
          ),
          consoleOrigin,
        );
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  return {
    server,
    url: config.issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

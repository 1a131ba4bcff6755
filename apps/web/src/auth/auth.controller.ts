import { Controller, Get, HttpCode, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiClient, ApiFailure } from '../api/api-client.service.js';
import { PublicPage } from '../common/signed-in.guard.js';
import { Views } from '../common/views.service.js';
import { safeReturnPath } from '../common/web-request.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { SessionService } from '../session/session.service.js';
import { WEB_CONFIG } from '../web-config.token.js';
import type { WebConfig } from '../web-config.js';
import { OidcService } from './oidc.service.js';

/** Sign-in (OIDC code flow with PKCE), sign-out (here and at the issuer) and the session keep-alive. */
@Controller()
export class AuthController {
  private readonly logger = new Logger('sign-in');

  constructor(
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
    private readonly oidc: OidcService,
    private readonly sessions: SessionService,
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  @Get('sign-in')
  @PublicPage()
  async signIn(@Req() request: WebRequest, @Res() reply: WebReply) {
    const session = request.web.session;
    if (session?.row.practitionerId) return reply.status(303).redirect('/');
    const returnTo = safeReturnPath(session?.row.signIn?.returnTo);
    let authorization;
    try {
      authorization = await this.oidc.authorizationUrl();
    } catch (error) {
      this.logger.warn(`identity provider unreachable: ${(error as Error).name}`);
      return this.views.page(
        request,
        reply,
        'error',
        {
          title: 'Sign-in is not available at the moment',
          body: 'The identity provider did not answer. Try again in a few minutes.',
        },
        503,
      );
    }
    await this.sessions.start(request, reply, {
      returnTo,
      codeVerifier: authorization.codeVerifier,
      state: authorization.state,
      nonce: authorization.nonce,
    });
    return reply.status(303).redirect(authorization.url);
  }

  @Get('sign-in/callback')
  @PublicPage()
  async callback(@Req() request: WebRequest, @Res() reply: WebReply) {
    const signIn = request.web.session?.row.signIn;
    if (!signIn?.codeVerifier || !signIn.state || !signIn.nonce) return reply.status(303).redirect('/sign-in');
    let tokens;
    try {
      tokens = await this.oidc.exchange(new URL(request.url, this.config.webBaseUrl), {
        codeVerifier: signIn.codeVerifier,
        state: signIn.state,
        nonce: signIn.nonce,
      });
    } catch (error) {
      this.logger.warn(`sign-in refused: ${(error as Error).name}`);
      await this.sessions.end(request, reply);
      return this.views.page(request, reply, 'sign-in-failed', {}, 400);
    }
    let practitionerId: string | undefined;
    try {
      const directory = await this.api.practitioners(request, tokens.accessToken);
      practitionerId = directory.find((p) => tokens.email && p.email?.toLowerCase() === tokens.email.toLowerCase())?.id;
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 403) throw error;
    }
    if (!practitionerId) {
      await this.sessions.end(request, reply);
      return this.views.page(
        request,
        reply,
        'error',
        {
          title: 'Your account is not set up in Family Handover',
          body: 'You signed in, but the service does not know you yet, or your account is no longer active. Ask your team manager or the service administrator to add you.',
        },
        403,
      );
    }
    // A new session id on sign-in: a value known before signing in is worth nothing after it.
    const session = await this.sessions.start(request, reply, null);
    await this.sessions.signedIn(session.idHash, {
      practitionerId,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt,
      refreshToken: tokens.refreshToken,
      idToken: tokens.idToken,
    });
    return reply.status(303).redirect(safeReturnPath(signIn.returnTo));
  }

  @Get('sign-out')
  @PublicPage()
  async signOut(@Req() request: WebRequest, @Res() reply: WebReply) {
    const idToken = request.web.session?.row.idToken ?? null;
    const signedIn = Boolean(request.web.session?.row.practitionerId);
    await this.sessions.end(request, reply);
    const issuer = signedIn ? await this.oidc.endSessionUrl(idToken) : null;
    return reply.status(303).redirect(issuer ?? '/signed-out');
  }

  @Get('signed-out')
  @PublicPage()
  signedOut(@Req() request: WebRequest, @Res() reply: WebReply) {
    return this.views.page(request, reply, 'signed-out');
  }

  /** The timeout warning's "Stay signed in": loading the session already kept it alive. */
  @Post('session/keep-alive')
  @HttpCode(204)
  keepAlive(@Res() reply: WebReply) {
    return reply.status(204).send();
  }

  @Get('health/live')
  @PublicPage()
  live(@Res() reply: WebReply) {
    return reply.type('application/json').send({ status: 'ok' });
  }
}

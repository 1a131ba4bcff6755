import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ApiFailure, SignInRequired } from '../api/api-client.service.js';
import { SessionService } from '../session/session.service.js';
import { Views } from './views.service.js';
import { safeReturnPath } from './web-request.js';
import type { WebReply, WebRequest } from './web-request.js';

/** A POST without the session's synchroniser token. */
export class CsrfRefused extends Error {
  constructor() {
    super('CSRF token missing or wrong');
    this.name = 'CsrfRefused';
  }
}

/**
 * Every failure becomes a page: sign in first (remembering a GET's path in the pre-sign-in
 * session), 404 alike for "does not exist" and "not yours", 403, and a plain error page. Logs say
 * what kind of failure it was, never what the page held.
 */
@Catch()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('web');

  constructor(
    private readonly views: Views,
    private readonly sessions: SessionService,
  ) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<WebRequest>();
    const reply = host.switchToHttp().getResponse<WebReply>();
    if (reply.sent) return;
    try {
      await this.respond(error, request, reply);
    } catch (inner) {
      this.logger.error(`error page failed: ${(inner as Error).name}`);
      if (!reply.sent) void reply.status(500).type('text/plain').send('Sorry, there is a problem with the service.');
    }
  }

  private async respond(error: unknown, request: WebRequest, reply: WebReply): Promise<void> {
    if (error instanceof SignInRequired) {
      const returnTo = request.method === 'GET' ? safeReturnPath(request.url) : '/';
      await this.sessions.start(request, reply, { returnTo });
      void reply.status(303).redirect('/sign-in');
      return;
    }
    if (error instanceof CsrfRefused) {
      this.views.page(
        request,
        reply,
        'error',
        {
          title: 'You cannot submit this form',
          body: 'The form had expired or was not sent from this service. Nothing was changed. Go back, reload the page and try again.',
        },
        403,
      );
      return;
    }
    const status =
      error instanceof ApiFailure ? error.status : error instanceof HttpException ? error.getStatus() : 500;
    if (status === 404 || status === 405) {
      this.views.page(request, reply, 'not-found', {}, 404);
      return;
    }
    if (status === 403) {
      this.views.page(
        request,
        reply,
        'error',
        {
          title: 'You do not have access to this',
          body: 'Your account does not allow this. If you think it should, ask your team manager or the service administrator.',
        },
        403,
      );
      return;
    }
    if (status === 409) {
      this.views.page(
        request,
        reply,
        'error',
        {
          title: 'Someone else changed this transfer',
          body: 'Nothing was changed. Go back, reload the page to see what changed, and try again.',
        },
        409,
      );
      return;
    }
    if (status === 400 || status === 413 || status === 415 || status === 422) {
      this.views.page(
        request,
        reply,
        'error',
        { title: 'The service could not do this', body: 'Nothing was changed. Go back and check what you entered.' },
        400,
      );
      return;
    }
    this.logger.error(`page failed: ${error instanceof Error ? error.name : typeof error} (status ${status})`);
    this.views.page(
      request,
      reply,
      'error',
      { title: 'Sorry, there is a problem with the service', body: 'Try again later.' },
      500,
    );
  }
}

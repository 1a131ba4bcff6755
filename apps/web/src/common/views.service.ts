import { Inject, Injectable } from '@nestjs/common';
import type nunjucks from 'nunjucks';
import { createViewEnvironment } from '../view.service.js';
import { WEB_CONFIG } from '../web-config.token.js';
import type { WebConfig } from '../web-config.js';
import { navigationFor } from './nav.js';
import type { WebReply, WebRequest } from './web-request.js';

/** Renders a page with the layout's context (nonce, CSRF token, navigation, who is signed in). */
@Injectable()
export class Views {
  private readonly env: nunjucks.Environment = createViewEnvironment();

  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  render(request: WebRequest, template: string, context: Record<string, unknown> = {}): string {
    const practitioner = request.web.practitioner;
    return this.env.render(`pages/${template}.njk`, {
      cspNonce: request.web.nonce,
      csrfToken: request.web.session?.row.csrfToken ?? '',
      practitioner,
      navigation: navigationFor(practitioner, request.url),
      signedIn: Boolean(practitioner),
      sessionIdleSeconds: this.config.sessionIdleSeconds,
      currentPath: request.url.split('?')[0],
      ...context,
    });
  }

  page(
    request: WebRequest,
    reply: WebReply,
    template: string,
    context: Record<string, unknown> = {},
    status = 200,
  ): WebReply {
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(this.render(request, template, context));
  }
}

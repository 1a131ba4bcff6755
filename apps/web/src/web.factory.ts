import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { requestIdOf } from '@fh/observability';
import { Logger } from 'nestjs-pino';
import { Views } from './common/views.service.js';
import type { WebRequest } from './common/web-request.js';
import { SessionService } from './session/session.service.js';
import { repositoryRoot } from './view.service.js';
import type { WebConfig } from './web-config.js';
import { WebModule } from './web.module.js';

const STATIC_PREFIXES = ['/assets/', '/stylesheets/', '/javascripts/'];

/** The Content-Security-Policy of one page: scripts and styles only from here or with this request's nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `object-src 'none'`,
  ].join('; ');
}

/** Builds the console (apps/web); `main` and the tests both use it. */
export async function createWebApp(config: WebConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024,
    genReqId: requestIdOf,
    routerOptions: { maxParamLength: 200 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(WebModule.register(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const root = repositoryRoot();

  // Security headers from one helmet middleware made at start-up (the CSP, with its nonce, is set per page).
  const securityHeaders = helmet({ contentSecurityPolicy: false, hsts: config.webBaseUrl.startsWith('https:') });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
  await app.register(fastifyCookie);
  // Form bodies (application/x-www-form-urlencoded) are parsed by Nest's Fastify adapter itself.
  await app.register(fastifyStatic, {
    root: [
      join(root, 'node_modules/govuk-frontend/dist/govuk/assets'),
      join(root, 'node_modules/@ministryofjustice/frontend/moj/assets'),
    ],
    prefix: '/assets/',
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: [
      join(root, 'node_modules/govuk-frontend/dist/govuk'),
      join(root, 'node_modules/@ministryofjustice/frontend/moj'),
      join(root, 'apps/web/public'),
    ],
    prefix: '/stylesheets/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.css'),
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: [
      join(root, 'node_modules/govuk-frontend/dist/govuk'),
      join(root, 'node_modules/@ministryofjustice/frontend/moj'),
      join(root, 'apps/web/public'),
    ],
    prefix: '/javascripts/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.js') || path.endsWith('.mjs'),
    maxAge: '1d',
  });

  const sessions = app.get(SessionService);
  const views = app.get(Views);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('web', null);
  fastify.addHook('onRequest', async (request, reply) => {
    const web = { nonce: randomBytes(16).toString('base64'), session: null, practitioner: null };
    (request as WebRequest).web = web;
    if (STATIC_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    // Every page: its own nonce, never stored by the browser or any cache on the way.
    void reply.header('Content-Security-Policy', contentSecurityPolicy(web.nonce));
    void reply.header('Cache-Control', 'no-store');
    void reply.header('Pragma', 'no-cache');
  });
  // After @fastify/cookie has parsed the Cookie header (its own onRequest hook).
  fastify.addHook('preValidation', async (request) => {
    if (STATIC_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    await sessions.load(request as WebRequest);
  });
  // The synchroniser token: every POST carries the session's token in `_csrf`, or is refused (403) before any handler runs.
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const body = request.body as Record<string, unknown> | undefined;
    if (sessions.csrfValid(request as WebRequest, body?._csrf)) return;
    await reply
      .status(403)
      .type('text/html; charset=utf-8')
      .send(
        views.render(request as WebRequest, 'error', {
          title: 'You cannot submit this form',
          body: 'The form had expired or was not sent from this service. Nothing was changed. Go back, reload the page and try again.',
        }),
      );
  });
  return app;
}

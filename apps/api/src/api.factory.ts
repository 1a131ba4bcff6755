import helmet from 'helmet';
import proxyAddr from '@fastify/proxy-addr';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { accessLevel, accessLine, requestIdOf } from '@fh/observability';
import { Logger, PinoLogger } from 'nestjs-pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { registerQueueDashboard } from './admin/queue-dashboard.js';
import { AppModule } from './app.module.js';
import { countAgainstAddress, limitEveryRequest, RateLimiter } from './auth/rate-limiter.js';
import { ApiError } from './common/api-error.js';
import { toErrorBody } from './common/error-response.js';
import { METRICS_REGISTRY } from './health/health.controller.js';

export const BODY_LIMIT_BYTES = 256 * 1024;
const MAX_BODY_DEPTH = 16;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A string PostgreSQL (and every other part) cannot take as text: U+0000, or a lone UTF-16
 * surrogate (`"\ud800"` in JSON, which is not Unicode text: it would be stored as U+FFFD or break
 * on the way in). Returns what is wrong, or null.
 */
function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text))
    return 'a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not valid Unicode text';
  return null;
}

/**
 * How deeply a parsed JSON value nests (counting stops past `limit`) and the first key or string
 * that no field accepts, named by its path as validation names fields (`household.0.givenName`).
 * Iterative: no stack to overflow.
 */
function inspectBody(value: unknown, limit: number, label: string): { depth: number; problem: string | null } {
  let deepest = 0;
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length) {
    const [node, depth, path] = stack.pop()!;
    if (typeof node === 'string') {
      const wrong = unstorable(node);
      if (wrong) return { depth: deepest, problem: `${path || label} contains ${wrong}` };
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return { depth: deepest, problem: null };
    for (const [key, child] of Object.entries(node)) {
      const at = path ? `${path}.${key}` : key;
      const wrong = unstorable(key);
      if (wrong) return { depth: deepest, problem: `a field name in ${path || label} contains ${wrong}` };
      stack.push([child, depth + 1, at]);
    }
  }
  return { depth: deepest, problem: null };
}

/**
 * A request refused before its body was read (too large, wrong content type…) is answered only
 * once the client has finished sending: answering and closing while it still writes makes its
 * kernel see a reset, and the client reports EPIPE/ECONNRESET instead of the 413. The rest of the
 * body is read and thrown away, up to a hard cap and a time limit so it cannot be abused; a body
 * declared larger than the cap is not waited for.
 */
export const DRAIN_CAP_BYTES = 32 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

function unreadBody(raw: IncomingMessage): boolean {
  if (raw.complete || raw.readableEnded || raw.destroyed) return false;
  return Number(raw.headers['content-length'] ?? 0) > 0 || raw.headers['transfer-encoding'] !== undefined;
}

function drain(raw: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const done = (complete: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', onEnd).off('error', onEnd).off('close', onEnd);
      if (!complete) raw.pause(); // the reply closes the connection; stop reading what nobody waits for
      resolve();
    };
    const onEnd = () => done(true);
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > DRAIN_CAP_BYTES) done(false);
    };
    const timer = setTimeout(() => done(false), DRAIN_TIMEOUT_MS);
    raw.on('data', onData).on('end', onEnd).on('error', onEnd).on('close', onEnd);
    raw.resume();
  });
}

/** Builds the HTTP application with every cross-cutting concern; `main` and the tests both use it. */
export async function createApiApp(
  config: AppConfig,
  options: { clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  /** Set once the application exists; the router's refusals below count against the address too. */
  const limits: { limiter?: RateLimiter } = {};
  /** `X-Forwarded-For` is believed for TRUST_PROXY_HOPS proxies. */
  const trustProxy = (_address: string, hop: number) => hop < config.trustProxyHops;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy,
    routerOptions: { maxParamLength: 200 },
    genReqId: requestIdOf,
    // SIGTERM: a request that reaches a kept-alive connection while the server closes is served,
    // not answered 503 (Fastify's default): no request gets a 5xx for the API stopping. Idle
    // connections are closed at once; new ones are refused (the port is closed).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // The router answers a malformed URL (400) or an over-long path segment (414) before any hook
    // runs; answer those in the API's error shape too (and, like every refusal, after the body).
    // No hook runs for them, so they are counted against the client address here (429 past the limit).
    // Fastify hands this handler a plain request whose `ip` ignores trustProxy: the address is found
    // as Fastify finds it for every other request (its own proxy-addr, the same trust function).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const client = { ip: proxyAddr(request.raw, trustProxy) };
      const limited = limits.limiter ? countAgainstAddress(limits.limiter, client) : null;
      const body = toErrorBody(limited ?? error);
      if (limited) void reply.header('Retry-After', String(limited.retryAfterSeconds));
      void (unreadBody(request.raw) ? drain(request.raw) : Promise.resolve()).then(() =>
        reply.code(body.statusCode).send(body),
      );
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options.clock), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  const limiter = app.get(RateLimiter);
  limits.limiter = limiter;
  limitEveryRequest(fastify, limiter); // first hook: every request counts, refused or not
  // Bodies nested deeper than any real request are refused before validation walks them; text no
  // field can hold (U+0000, lone surrogates) is refused wherever it is: body, query or path.
  fastify.addHook('preValidation', async (request) => {
    for (const [label, value] of [
      ['body', request.body],
      ['the query string', request.query],
      ['the path', request.params],
    ] as const) {
      if (value === undefined || value === null) continue;
      const shape = inspectBody(value, MAX_BODY_DEPTH, label);
      if (shape.depth > MAX_BODY_DEPTH)
        throw ApiError.invalid([`${label} is nested more than ${MAX_BODY_DEPTH} levels deep`]);
      if (shape.problem) throw ApiError.invalid([shape.problem]);
    }
  });
  // The API speaks JSON only: other bodies are refused with 415 rather than parsed as text.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (unreadBody(request.raw)) {
      if (Number(request.headers['content-length'] ?? 0) <= DRAIN_CAP_BYTES) await drain(request.raw);
      if (unreadBody(request.raw)) void reply.header('connection', 'close');
    }
    void reply.header('x-request-id', request.id);
    if (!request.url.startsWith('/docs')) void reply.header('Cache-Control', 'no-store');
    return payload;
  });

  const registry = app.get<Registry>(METRICS_REGISTRY);
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    // One access line per request (issue 12 item 9): the route's pattern, never the URL, a body or a header.
    const line = accessLine(request, reply);
    PinoLogger.root[accessLevel(line)]({ access: line }, 'request');
  });

  // Security headers from one helmet middleware made at start-up (@fastify/helmet made it again, and
  // parsed the CSP again, on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`],
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));

  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      stopAtFirstError: false,
    }),
  );

  await registerQueueDashboard(app, config);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Family Handover')
      .setDescription('Transfer of responsibility for children between local-authority areas. See API.md.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
  return app;
}

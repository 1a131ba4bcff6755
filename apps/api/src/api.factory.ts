import helmet from '@fastify/helmet';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { requestIdOf } from '@fh/observability';
import { Logger } from 'nestjs-pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { registerQueueDashboard } from './admin/queue-dashboard.js';
import { AppModule } from './app.module.js';
import { ApiError } from './common/api-error.js';
import { METRICS_REGISTRY } from './health/health.controller.js';

export const BODY_LIMIT_BYTES = 256 * 1024;
const MAX_BODY_DEPTH = 16;

/**
 * How deeply a parsed JSON value nests (counting stops past `limit`) and whether any key or string
 * holds U+0000. Iterative: no stack to overflow.
 */
function inspectBody(value: unknown, limit: number): { depth: number; nulCharacter: boolean } {
  let deepest = 0;
  let nulCharacter = false;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node === 'string') {
      nulCharacter ||= node.includes('\u0000');
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return { depth: deepest, nulCharacter };
    for (const [key, child] of Object.entries(node)) {
      nulCharacter ||= key.includes('\u0000');
      stack.push([child, depth + 1]);
    }
  }
  return { depth: deepest, nulCharacter };
}

/** Builds the HTTP application with every cross-cutting concern; `main` and the tests both use it. */
export async function createApiApp(config: AppConfig, options: { clock?: Clock } = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    routerOptions: { maxParamLength: 200 },
    genReqId: requestIdOf,
    // SIGTERM: a request that reaches a kept-alive connection while the server closes is served,
    // not answered 503 (Fastify's default): no request gets a 5xx for the API stopping. Idle
    // connections are closed at once; new ones are refused (the port is closed).
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, options.clock), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  // Bodies nested deeper than any real request are refused before validation walks them.
  fastify.addHook('preValidation', async (request) => {
    if (request.body === undefined) return;
    const shape = inspectBody(request.body, MAX_BODY_DEPTH);
    if (shape.depth > MAX_BODY_DEPTH) throw ApiError.invalid([`body is nested more than ${MAX_BODY_DEPTH} levels deep`]);
    // PostgreSQL cannot store U+0000 in text; no real field needs it.
    if (shape.nulCharacter) throw ApiError.invalid(['body contains a NUL character (U+0000), which no field accepts']);
  });
  // The API speaks JSON only: other bodies are refused with 415 rather than parsed as text.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-request-id', request.id);
    if (!request.url.startsWith('/docs')) void reply.header('Cache-Control', 'no-store');
    return payload;
  });

  const registry = app.get<Registry>(METRICS_REGISTRY);
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
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
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        scriptSrc: [`'self'`],
      },
    },
  });

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
  return app;
}

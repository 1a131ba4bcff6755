import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { assertNoEviction, metricsAccess, probeRedis } from '@fh/observability';
import { pingDatabase } from '@fh/persistence';
import { createServer, Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { METRICS_REGISTRY } from './worker.constants.js';
import { WorkerModule } from './worker.module.js';

export interface RunningWorker {
  app: INestApplicationContext;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts the worker: refuses to run unless Redis keeps every key (noeviction), then starts the
 * processors and the outbox relay, and serves /health/live, /health/ready and /metrics only.
 * Ready means PostgreSQL answers and Redis accepts a write.
 */
export async function startWorker(
  config: AppConfig,
  options: { clock?: Clock; processors?: boolean } = {},
): Promise<RunningWorker> {
  const redis = probeRedis(config.redisUrl);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await assertNoEviction(redis);
  } finally {
    redis.disconnect();
  }

  const app = await NestFactory.createApplicationContext(
    WorkerModule.register(config, options.clock, { processors: options.processors }),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  // Signals are handled in main.ts, which closes the health server first and then this context.
  await app.init();

  const registry = app.get<Registry>(METRICS_REGISTRY);
  const dataSource = app.get(DataSource);
  const probe = probeRedis(config.redisUrl);
  probe.on('error', () => undefined);
  // A link that keeps dropping (a flapping network, a failover in progress) is not ready either,
  // even if a write squeezes through now and then: ready needs the link up for 2 s.
  let probeDroppedAt = 0;
  probe.on('close', () => (probeDroppedAt = Date.now()));
  const readyKey = `${config.queuePrefix}:worker-ready-probe`;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    };
    if (req.method !== 'GET')
      return send(
        405,
        JSON.stringify({
          statusCode: 405,
          error: 'Method Not Allowed',
          message: ['only GET'],
          code: 'METHOD_NOT_ALLOWED',
        }),
      );
    if (path === '/health/live') return send(200, JSON.stringify({ status: 'ok' }));
    if (path === '/health/ready') {
      // A write, not a PING: a Redis that answers but refuses writes (a read-only replica, a failed
      // RDB save, out of memory) cannot run a single job either.
      const redisUsable = (probe.status === 'wait' ? probe.connect() : Promise.resolve()).then(() =>
        probe.set(readyKey, '1', 'PX', 10_000),
      );
      void Promise.allSettled([pingDatabase(dataSource.manager), redisUsable]).then(([db, r]) => {
        const checks = {
          database: db.status === 'fulfilled' ? 'up' : 'down',
          redis: r.status === 'fulfilled' && Date.now() - probeDroppedAt > 2_000 ? 'up' : 'down',
        };
        const ok = checks.database === 'up' && checks.redis === 'up';
        send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks }));
      });
      return;
    }
    if (path === '/metrics') {
      const access = metricsAccess(config.metricsToken, config.production, req.headers.authorization);
      if (access === 'unauthorized')
        return send(
          401,
          JSON.stringify({
            statusCode: 401,
            error: 'Unauthorized',
            message: ['the metrics scrape token is required'],
            code: 'UNAUTHENTICATED',
          }),
        );
      if (access === 'allowed') {
        void registry.metrics().then((text) => send(200, text, registry.contentType));
        return;
      }
    }
    send(404, JSON.stringify({ statusCode: 404, error: 'Not Found', message: ['not found'], code: 'NOT_FOUND' }));
  });
  await new Promise<void>((resolve) => server.listen(config.workerPort, config.workerHealthHost, resolve));

  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      probe.disconnect();
      await app.close();
    })());
  return { app, server, close };
}

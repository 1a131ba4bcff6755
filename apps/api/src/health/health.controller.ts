import { Controller, Get, HttpStatus, Inject, Injectable, OnApplicationShutdown, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { metricsAccess, probeRedis } from '@fh/observability';
import { pingDatabase } from '@fh/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public, SkipRateLimit } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** PostgreSQL and Redis, each answered within two seconds or counted as down. */
@Injectable()
export class ReadinessProbe implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = probeRedis(config.redisUrl);
    this.redis.on('error', () => undefined); // reported through readiness, not as crashes
  }

  async check(): Promise<{ database: 'up' | 'down'; redis: 'up' | 'down' }> {
    const within = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
      ]);
    const [database, redis] = await Promise.allSettled([
      within(pingDatabase(this.dataSource.manager)),
      within((this.redis.status === 'wait' ? this.redis.connect() : Promise.resolve()).then(() => this.redis.ping())),
    ]);
    return {
      database: database.status === 'fulfilled' ? 'up' : 'down',
      redis: redis.status === 'fulfilled' ? 'up' : 'down',
    };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@ApiExcludeController()
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessProbe,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @SkipRateLimit()
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @SkipRateLimit()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const checks = await this.readiness.check();
    const ok = checks.database === 'up' && checks.redis === 'up';
    void reply.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'unavailable', checks };
  }

  @Get('metrics')
  @SkipRateLimit()
  async metrics(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const access = metricsAccess(this.config.metricsToken, this.config.production, request.headers.authorization);
    if (access === 'closed') throw new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', ['not found']);
    if (access === 'unauthorized')
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', ['the metrics scrape token is required']);
    const text = await this.registry.metrics();
    void reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return text;
  }
}

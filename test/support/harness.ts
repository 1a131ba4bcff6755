import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { createApiApp } from '../../apps/api/src/api.factory';
import { signToken } from '../../apps/api/src/cli';
import { createTestDatabase } from './database';
import { redisUrl } from './services';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';
export const ADMIN_EMAIL = 'admin@handover.test';

/** Configuration for one test file: its own database and queue prefix, quiet logs. */
export function testConfig(databaseUrl: string, overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    SMTP_URL: 'smtp://127.0.0.1:2525',
    MAIL_FROM: 'handover@handover.test',
    APP_BASE_URL: 'http://handover.test',
    AUTH_JWT_SECRET: TEST_SECRET,
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    QUEUE_PREFIX: `fh-test-${randomBytes(4).toString('hex')}`,
    PORT: '0',
    WORKER_PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '5',
    ...overrides,
  });
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RunningApi {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  token(email: string): Promise<string>;
  call<T = any>(
    method: string,
    path: string,
    options?: { as?: string; token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** The whole API over real HTTP on a loopback port, against a fresh database. */
export async function startApi(
  overrides: Record<string, string | undefined> = {},
  databaseUrl?: string,
  clock?: Clock,
): Promise<RunningApi> {
  const db = databaseUrl ? null : await createTestDatabase();
  const config = testConfig(databaseUrl ?? db!.url, overrides);
  const app = await createApiApp(config, { clock });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const token = (email: string) => signToken(config.auth, email);
  return {
    app,
    config,
    baseUrl,
    token,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      const bearer = options.token ?? (options.as ? await token(options.as) : undefined);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) body = JSON.stringify(options.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    async close() {
      await app.close();
      await db?.drop();
    },
  };
}

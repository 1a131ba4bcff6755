import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@fh/config';
import { TEST_SECRET } from './harness';
import { freePort } from './own-redis';
import { waitFor } from './wait';

const DIST = join(__dirname, '..', '..', 'dist', 'apps');

export interface BuiltApp {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<number | null>;
  /** SIGKILL (no warning) unless it has exited already; resolves when it has. */
  kill(): Promise<void>;
}

/**
 * The built API or worker (dist/, from `npm run build`) as a real process, configured like `config`
 * (its database, Redis, queue prefix, SMTP), on a free loopback port; resolves once `/health/live`
 * answers. `env` adds or overrides variables.
 */
export async function startBuiltApp(
  app: 'api' | 'worker',
  config: AppConfig,
  env: Record<string, string> = {},
): Promise<BuiltApp> {
  const main = join(DIST, app, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: npm test builds it first (pretest); run npm run build`);
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: config.databaseUrl,
      REDIS_URL: config.redisUrl,
      SMTP_URL: config.smtpUrl,
      MAIL_FROM: config.mailFrom,
      APP_BASE_URL: config.appBaseUrl,
      AUTH_JWT_SECRET: TEST_SECRET,
      QUEUE_PREFIX: config.queuePrefix,
      CHASE_SWEEP_SECONDS: String(config.chaseSweepSeconds),
      PORT: String(port),
      WORKER_PORT: String(port),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `the built ${app} to answer /health/live`,
    () => {
      if (gone) throw new Error(`the built ${app} exited at start`);
      return fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
    },
    30_000,
  );
  return {
    child,
    port,
    url,
    exited,
    async kill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}

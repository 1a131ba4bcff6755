import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AxeResults } from 'axe-core';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { createTestDatabase } from '../support/database';
import { reviewFamily } from '../support/family';
import { TEST_SECRET } from '../support/harness';
import { freePort } from '../support/own-redis';
import { redisUrl } from '../support/services';
import { TestSmtpServer } from '../support/smtp';
import { waitFor } from '../support/wait';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'apps');
export const SCREENS = join(ROOT, 'docs', 'screens');
export const API_AUDIENCE = 'urn:family-handover:api';
const CLIENT_SECRET = 'browser-test-client-secret-0123456789';

export interface DemoPerson {
  name: string;
  email: string;
  role: string;
  area: string;
  team: string;
  token: string;
}

/** The whole service as built processes: dev IdP, API, worker and console, on one fresh database and an in-process SMTP server. */
export interface Stack {
  webUrl: string;
  apiUrl: string;
  idpUrl: string;
  smtp: TestSmtpServer;
  people: DemoPerson[];
  person(email: string): DemoPerson;
  /** The API as that person, with an HS256 token (for seeding and checking, never for the pages). */
  api<T = any>(email: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The review family (with `overrides`), sent by the Birmingham health visitor to Sandwell health visiting: awaiting contact. */
  seedTransfer(overrides?: Record<string, unknown>): Promise<{ id: string; reference: string }>;
  close(): Promise<void>;
}

function start(
  name: string,
  main: string,
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<number | null>; gone: () => boolean } {
  if (!existsSync(main)) throw new Error(`${main} is missing: npm test builds it first (pretest); run npm run build`);
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'node'), [main], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let gone = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      gone = true;
      if (code && code !== 0) process.stderr.write(`${name} exited ${code}: ${stderr}\n`);
      resolve(code);
    }),
  );
  return { child, exited, gone: () => gone };
}

async function ready(name: string, url: string, process: { gone: () => boolean }): Promise<void> {
  await waitFor(
    `${name} to answer ${url}`,
    () => {
      if (process.gone()) throw new Error(`${name} exited at start`);
      return fetch(url).then(
        (r) => r.ok,
        () => false,
      );
    },
    // Four built apps start at once: on a loaded machine the first answer can take longer than 30 s.
    90_000,
  );
}

export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  const smtp = await new TestSmtpServer().start(0);
  const [apiPort, workerPort, webPort, idpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const idpUrl = `http://127.0.0.1:${idpPort}`;
  const common = { LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  const serviceEnv = {
    ...common,
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl(),
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'handover@handover.test',
    APP_BASE_URL: apiUrl,
    WEB_BASE_URL: webUrl,
    AUTH_JWT_SECRET: TEST_SECRET,
    AUTH_ISSUERS: JSON.stringify([
      { issuer: idpUrl, audience: API_AUDIENCE, jwksUrl: `${idpUrl}/jwks`, name: 'Development identity provider' },
    ]),
    BOOTSTRAP_ADMIN_EMAIL: 'admin@demo.local',
    QUEUE_PREFIX: `fh-browser-${randomBytes(4).toString('hex')}`,
    CHASE_SWEEP_SECONDS: '3600',
    PORT: String(apiPort),
    WORKER_PORT: String(workerPort),
  };
  const oidcEnv = {
    OIDC_CLIENT_ID: 'family-handover-console',
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_API_AUDIENCE: API_AUDIENCE,
    WEB_BASE_URL: webUrl,
  };
  const processes = [
    start('dev-idp', join(DIST, 'dev-idp', 'src', 'main.js'), {
      ...common,
      ...oidcEnv,
      IDP_PORT: String(idpPort),
      IDP_ACCESS_TOKEN_SECONDS: '120',
    }),
    start('api', join(DIST, 'api', 'src', 'main.js'), serviceEnv),
    start('worker', join(DIST, 'worker', 'src', 'main.js'), serviceEnv),
    start('web', join(DIST, 'web', 'src', 'main.js'), {
      ...common,
      ...oidcEnv,
      DATABASE_URL: db.url,
      API_URL: apiUrl,
      OIDC_ISSUER_URL: idpUrl,
      WEB_PORT: String(webPort),
    }),
  ];
  const close = async () => {
    for (const p of processes) if (!p.gone()) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 10_000))])));
    for (const p of processes) if (!p.gone()) p.child.kill('SIGKILL');
    await smtp.stop();
    await db.drop().catch(() => undefined);
  };
  try {
    await ready('dev-idp', `${idpUrl}/.well-known/openid-configuration`, processes[0]);
    await ready('api', `${apiUrl}/health/ready`, processes[1]);
    await ready('worker', `http://127.0.0.1:${workerPort}/health/live`, processes[2]);
    await ready('web', `${webUrl}/health/live`, processes[3]);
  } catch (error) {
    await close();
    throw error;
  }
  const seeded = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'node'),
    [join(DIST, 'api', 'src', 'cli.js'), 'seed-demo'],
    {
      env: { PATH: process.env.PATH, ...serviceEnv },
      encoding: 'utf8',
    },
  );
  if (seeded.status !== 0) {
    await close();
    throw new Error(`seed-demo failed: ${seeded.stderr}`);
  }
  const people: DemoPerson[] = JSON.parse(seeded.stdout.trim().split('\n').pop()!).people;
  const person = (email: string) =>
    people.find((p) => p.email === email) ?? (Promise.reject(new Error(`no demo person ${email}`)) as never);
  const api = async (email: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${person(email).token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text,
    };
  };
  const seedTransfer = async (overrides: Record<string, unknown> = {}) => {
    const sender = 'hana.begum@birmingham.demo';
    const teams = await api(sender, 'GET', '/v1/teams?area=sandwell');
    const receiving = (teams.body as { id: string; service: string }[]).find((t) => t.service === 'health_visiting')!;
    const created = await api(sender, 'POST', '/v1/transfers', reviewFamily(receiving.id, overrides));
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
    const initiated = await api(sender, 'POST', `/v1/transfers/${created.body.id}/initiate`);
    if (initiated.status !== 200)
      throw new Error(`initiate failed: ${initiated.status} ${JSON.stringify(initiated.body)}`);
    return { id: created.body.id as string, reference: created.body.reference as string };
  };
  return { webUrl, apiUrl, idpUrl, smtp, people, person, api, seedTransfer, close };
}

/** Debian's Chromium, headless, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--headless'],
  });
}

const AXE_SOURCE: string = require('axe-core').source;
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core (WCAG 2.2 A and AA) on the page as it is now; returns the violations, described for a failure message. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline scripts) stays in force for the page itself.
  await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(
    (tags) => (globalThis as any).axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_TAGS,
  )) as AxeResults;
  return results.violations.map(
    (v) => `${page.url()} ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/**
 * A practitioner in their own browser context. Every page they load is checked with axe-core;
 * the violations pile up in `violations` so the test can assert there are none at the end.
 */
export class Person {
  readonly violations: string[] = [];
  readonly visited: string[] = [];
  page!: Page;
  context!: BrowserContext;

  constructor(
    private readonly browser: Browser,
    private readonly stack: Stack,
    readonly email: string,
    private readonly options: { javaScriptEnabled?: boolean } = {},
  ) {}

  async open(): Promise<this> {
    this.context = await this.browser.newContext({
      javaScriptEnabled: this.options.javaScriptEnabled ?? true,
      viewport: { width: 1100, height: 900 },
    });
    this.page = await this.context.newPage();
    this.page.on('load', () => undefined);
    return this;
  }

  /** Checks the page now on screen (once per distinct path). */
  async check(): Promise<void> {
    const path = new URL(this.page.url()).pathname;
    if (this.options.javaScriptEnabled === false) {
      // axe-core is script: with JavaScript off in the page, check the same HTML in a scripted page.
      const html = await this.page.content();
      const probe = await this.context.browser()!.newPage({ javaScriptEnabled: true });
      await probe.route('**/*', (route) =>
        route.request().url() === this.page.url()
          ? route.fulfill({ body: html, contentType: 'text/html' })
          : route.continue(),
      );
      await probe.goto(this.page.url());
      this.violations.push(...(await accessibilityViolations(probe)));
      await probe.close();
    } else {
      this.violations.push(...(await accessibilityViolations(this.page)));
    }
    this.visited.push(path);
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(`${this.stack.webUrl}${path}`);
    await this.check();
  }

  /** Signs in at the development identity provider (the console sends the browser there first). */
  async signIn(path = '/'): Promise<void> {
    await this.page.goto(`${this.stack.webUrl}${path}`);
    await this.page.getByLabel('Email address').waitFor();
    if (!this.page.url().startsWith(this.stack.idpUrl))
      throw new Error(`expected the identity provider, got ${this.page.url()}`);
    await this.check();
    await this.page.getByLabel('Email address').fill(this.email);
    await Promise.all([
      this.page.waitForURL((url) => url.href.startsWith(this.stack.webUrl) && !url.pathname.startsWith('/sign-in')),
      this.page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await this.check();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

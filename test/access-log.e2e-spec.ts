import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { SECOND_ADMIN_EMAIL } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi, TEST_SECRET } from './support/harness';
import { freePort } from './support/own-redis';
import { waitFor } from './support/wait';

const API = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');

/**
 * The built API at LOG_LEVEL=debug writes one access line per request (method, route pattern,
 * status, duration, request id, practitioner id) and nothing of the family it was given: a family
 * with distinctive names, NHS number, address and free text goes through every kind of write and
 * read, and none of it appears anywhere in the process's output (issue 12 item 9).
 */
describe('access log: one line per request, no family data', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let child: ChildProcess;
  let url = '';
  let log = '';

  const SECRETS = [
    'Zephyrine',
    'Octavian',
    'Philippa',
    'Barnaby',
    'Quillfeather',
    'Thistlewood',
    '9434765919',
    'B70 9ZZ',
    'West Bromwich',
    'maternal grandparents',
    'father’s relatives',
    'fading bruise',
    'slow weight gain',
    'not engaging',
    'Marigold kitchen table',
    'Oldbury Surgery',
    'Gooseberry lane',
  ];

  /** Every /v1 endpoint of the API's controllers (the admin dashboard and health are not /v1). */
  const EVERY_ENDPOINT = [
    'POST /v1/transfers',
    'GET /v1/transfers',
    'GET /v1/transfers/:id',
    'PATCH /v1/transfers/:id',
    'POST /v1/transfers/:id/initiate',
    'POST /v1/transfers/:id/direct-contact',
    'POST /v1/transfers/:id/direct-contact/confirm',
    'POST /v1/transfers/:id/flags/:code/acknowledge',
    'POST /v1/transfers/:id/accept',
    'POST /v1/transfers/:id/acknowledge-notification',
    'POST /v1/transfers/:id/conference',
    'POST /v1/transfers/:id/conference/confirm',
    'POST /v1/transfers/:id/children/:memberId/seen',
    'POST /v1/transfers/:id/return',
    'POST /v1/transfers/:id/cancel',
    'POST /v1/transfers/:id/reassign',
    'GET /v1/transfers/:id/audit',
    'GET /v1/transfers/:id/packet',
    'GET /v1/transfers/:id/packet.pdf',
    'GET /v1/transfers/:id/packets/:version',
    'GET /v1/transfers/:id/chase-items',
    'POST /v1/chase-items/:id/close',
    'POST /v1/appointments/:id/outcome',
    'POST /v1/areas',
    'GET /v1/areas',
    'POST /v1/teams',
    'GET /v1/teams',
    'POST /v1/practitioners',
    'GET /v1/practitioners',
    'PATCH /v1/practitioners/:id',
    'GET /v1/practitioner-changes',
    'GET /v1/practitioner-changes/:id',
    'POST /v1/practitioner-changes/:id/approve',
    'POST /v1/practitioner-changes/:id/reject',
    'GET /v1/monitoring/unconfirmed',
    'GET /v1/monitoring/host-notifications',
    'GET /v1/monitoring/children-not-seen',
    'GET /v1/monitoring/summary',
  ];

  beforeAll(async () => {
    if (!existsSync(API)) throw new Error(`${API} is missing: run npm run build`);
    api = await startApi();
    dir = await seedDirectory(api);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [API], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: api.config.databaseUrl,
        REDIS_URL: api.config.redisUrl,
        SMTP_URL: api.config.smtpUrl,
        MAIL_FROM: api.config.mailFrom,
        APP_BASE_URL: api.config.appBaseUrl,
        AUTH_JWT_SECRET: TEST_SECRET,
        QUEUE_PREFIX: api.config.queuePrefix,
        PORT: String(port),
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(
      'the built API to answer',
      () =>
        fetch(`${url}/health/live`).then(
          (r) => r.ok,
          () => false,
        ),
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await api?.close();
  });

  const sent: { requestId: string; status: number }[] = [];
  async function call(method: string, path: string, as: string, body?: unknown) {
    const headers: Record<string, string> = { authorization: `Bearer ${await api.token(as)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    sent.push({ requestId: response.headers.get('x-request-id')!, status: response.status });
    return { status: response.status, body: /^[[{]/.test(text) ? JSON.parse(text) : text };
  }

  it('logs every request once, by route pattern, and no family data', async () => {
    const sender = dir.birmingham.hv.practitioner.email;
    const receiver = dir.sandwell.hv.practitioner.email;
    const family = reviewFamily(dir.sandwell.hv.id, {
      concerns: [
        {
          memberRef: 'baby',
          type: 'weight_faltering',
          observedOn: new Date().toISOString().slice(0, 10),
          description: 'slow weight gain',
          safeguardingAdviceSought: false,
        },
      ],
    });
    const created = await call('POST', '/v1/transfers', sender, family);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call('PATCH', `/v1/transfers/${id}`, sender, { supportNetworkNote: 'Gooseberry lane' })).status).toBe(
      200,
    );
    // refused input: the log names no value of it either
    expect((await call('PATCH', `/v1/transfers/${id}`, sender, { givenName: 'Zephyrine' })).status).toBe(400);
    expect((await call('POST', `/v1/transfers/${id}/initiate`, sender)).status).toBe(200);
    const transfer = (await call('GET', `/v1/transfers/${id}`, receiver)).body;
    const flags = transfer.riskFlags.map((f: { code: string }) => ({ code: f.code, understanding: 'understood' }));
    const contact = await call('POST', `/v1/transfers/${id}/direct-contact`, receiver, {
      occurredAt: new Date().toISOString(),
      method: 'in_person',
      sendingPractitionerId: dir.birmingham.hv.practitioner.id,
      summary: 'Marigold kitchen table',
      flagAcknowledgements: flags,
    });
    expect(contact.status).toBe(200);
    expect((await call('POST', `/v1/transfers/${id}/direct-contact/confirm`, sender, { agree: true })).status).toBe(
      200,
    );
    const items = (await call('GET', `/v1/transfers/${id}/chase-items`, receiver)).body;
    const gp = items.find((i: { kind: string }) => i.kind === 'gp_registration');
    expect(
      (
        await call('POST', `/v1/transfers/${id}/accept`, receiver, {
          leadPractitionerId: dir.sandwell.hv.practitioner.id,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/v1/chase-items/${gp.id}/close`, receiver, {
          resolution: 'registered',
          evidence: {
            practiceOds: 'M88006',
            practiceName: 'Oldbury Surgery',
            registeredOn: new Date().toISOString().slice(0, 10),
          },
        })
      ).status,
    ).toBeLessThan(300);
    const outcome = await call('POST', `/v1/appointments/${transfer.appointments[0].id}/outcome`, receiver, {
      status: 'attended',
      attendedOn: new Date().toISOString().slice(0, 10),
    });
    expect(outcome.status).toBeLessThan(500);
    expect((await call('GET', `/v1/transfers/${id}/packet`, receiver)).status).toBeLessThan(500);
    expect((await call('GET', `/v1/transfers/${id}/audit`, sender)).status).toBeLessThan(500);
    expect((await call('GET', `/v1/transfers?q=Quillfeather`, sender)).status).toBeLessThan(500);
    // …and every other endpoint of the API (the status is whatever the transfer's state makes it:
    // what matters here is that the request went through the endpoint and was logged once).
    const lead = dir.sandwell.lead.email;
    const today = new Date().toISOString().slice(0, 10);
    const code = transfer.riskFlags[0]?.code ?? 'non_mobile_bruising';
    const answered = async (method: string, path: string, as: string, body?: unknown) => {
      const response = await call(method, path, as, body);
      expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
      expect(response.status).toBeLessThan(500);
      return response;
    };
    await answered('POST', `/v1/transfers/${id}/flags/${code}/acknowledge`, lead, { advice: 'Thistlewood advice' });
    await answered('GET', `/v1/transfers/${id}/packet.pdf`, receiver);
    await answered('GET', `/v1/transfers/${id}/packets/1`, receiver);
    await answered('POST', `/v1/transfers/${id}/reassign`, dir.sandwell.hv.manager.email, {
      practitionerId: dir.sandwell.hv.manager.id,
    });
    await answered('POST', `/v1/transfers/${id}/acknowledge-notification`, receiver, {
      contactPractitionerId: dir.sandwell.hv.practitioner.id,
    });
    await answered('POST', `/v1/transfers/${id}/conference`, receiver, {
      heldOn: today,
      outcome: 'plan_continues',
      chair: 'Philippa Barnaby',
      notes: 'fading bruise discussed',
    });
    await answered('POST', `/v1/transfers/${id}/conference/confirm`, sender, { receivedOn: today });
    const child = transfer.household.find((m: { role: string }) => m.role === 'child');
    await answered('POST', `/v1/transfers/${id}/children/${child.id}/seen`, receiver, {
      seenOn: today,
      seenById: dir.sandwell.hv.practitioner.id,
      where: 'home',
      seenAlone: false,
      note: 'Seen with Philippa at the Marigold kitchen table',
    });
    // a second transfer, returned and then cancelled
    const second = (await answered('POST', '/v1/transfers', sender, reviewFamily(dir.sandwell.hv.id))).body.id;
    await answered('POST', `/v1/transfers/${second}/initiate`, sender);
    await answered('POST', `/v1/transfers/${second}/return`, receiver, { reason: 'Philippa not engaging' });
    await answered('POST', `/v1/transfers/${second}/cancel`, sender, { reason: 'Barnaby stayed in Birmingham' });
    for (const path of ['unconfirmed', 'host-notifications', 'children-not-seen', 'summary'])
      await answered('GET', `/v1/monitoring/${path}`, dir.sandwell.hv.manager.email);
    // the directory, as the admins
    await answered('GET', '/v1/areas', ADMIN_EMAIL);
    await answered('POST', '/v1/areas', ADMIN_EMAIL, { code: 'walsall', name: 'Walsall' });
    await answered('GET', '/v1/teams', ADMIN_EMAIL);
    await answered('POST', '/v1/teams', ADMIN_EMAIL, {
      areaCode: 'walsall',
      name: 'Walsall Health Visiting',
      service: 'health_visiting',
      mailbox: 'hv@walsall.handover.test',
    });
    await answered('GET', '/v1/practitioners', ADMIN_EMAIL);
    await answered('POST', '/v1/practitioners', ADMIN_EMAIL, {
      teamId: dir.sandwell.hv.id,
      name: 'New Starter',
      email: 'new.starter@sandwell.handover.test',
      role: 'practitioner',
    });
    const proposed = await answered('PATCH', `/v1/practitioners/${dir.sandwell.hv.practitioner.id}`, ADMIN_EMAIL, {
      role: 'manager',
    });
    const other = await answered('PATCH', `/v1/practitioners/${dir.birmingham.hv.practitioner.id}`, ADMIN_EMAIL, {
      role: 'manager',
    });
    await answered('GET', '/v1/practitioner-changes', SECOND_ADMIN_EMAIL);
    await answered('GET', `/v1/practitioner-changes/${proposed.body.id}`, SECOND_ADMIN_EMAIL);
    await answered('POST', `/v1/practitioner-changes/${proposed.body.id}/approve`, SECOND_ADMIN_EMAIL);
    await answered('POST', `/v1/practitioner-changes/${other.body.id}/reject`, SECOND_ADMIN_EMAIL);
    expect((await call('GET', `/v1/nothing/Quillfeather`, sender)).status).toBe(404);

    // the last line is written after the response: wait for it
    await waitFor('every access line', () => sent.every((s) => log.includes(s.requestId)), 10_000);
    const lines = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { access?: Record<string, unknown>; level: number });
    const access = lines.filter((l) => l.access && !String(l.access.route).startsWith('/health'));
    for (const request of sent) {
      const mine = access.filter((l) => l.access!.requestId === request.requestId);
      expect(mine).toHaveLength(1);
      expect(mine[0].access).toEqual({
        method: expect.any(String),
        route: expect.stringMatching(/^(\/v1\/|unmatched$)/),
        status: request.status,
        durationMs: expect.any(Number),
        requestId: request.requestId,
        practitionerId: mine[0].access!.route === 'unmatched' ? null : expect.any(String),
      });
    }
    // every endpoint of the API's /v1 controllers, each by its pattern
    expect(new Set(access.map((l) => `${l.access!.method} ${l.access!.route}`))).toEqual(
      new Set([...EVERY_ENDPOINT, 'GET unmatched']),
    );
    expect(access.some((l) => String(l.access!.route).includes(id))).toBe(false);
    // at debug level, and still none of the family
    expect(lines.some((l) => l.level === 20)).toBe(true);
    for (const secret of SECRETS) expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
  }, 120_000);
});

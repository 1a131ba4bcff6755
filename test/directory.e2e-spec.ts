import { approved } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { DataSource } from 'typeorm';

describe('directory API', () => {
  let api: RunningApi;
  const admin = { as: ADMIN_EMAIL };
  let sandwellTeamId: string;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('creates the bootstrap admin at start-up', async () => {
    const response = await api.call('GET', '/v1/practitioners', admin);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      expect.objectContaining({ email: ADMIN_EMAIL, role: 'admin', active: true, teamId: null }),
    ]);
  });

  // Moved before any second admin exists (issue 12 item 1 made one necessary to build the directory).
  it('keeps at least one active admin', async () => {
    const me = (await api.call('GET', '/v1/practitioners', admin)).body.find(
      (p: { email: string }) => p.email === ADMIN_EMAIL,
    );
    const lastAdmin = await api.call('PATCH', `/v1/practitioners/${me.id}`, { ...admin, body: { active: false } });
    expect(lastAdmin.status).toBe(422);
    expect(lastAdmin.body.code).toBe('PRECONDITION_FAILED');
  });

  it('lets an admin build areas, teams and practitioners', async () => {
    const area = await api.call('POST', '/v1/areas', { ...admin, body: { code: 'sandwell', name: 'Sandwell' } });
    expect(area.status).toBe(201);
    expect(area.body).toEqual(expect.objectContaining({ id: expect.any(String), code: 'sandwell', name: 'Sandwell' }));

    const team = await api.call('POST', '/v1/teams', {
      ...admin,
      body: {
        areaCode: 'sandwell',
        name: 'Sandwell Health Visiting',
        service: 'health_visiting',
        mailbox: 'HV@sandwell.example',
      },
    });
    expect(team.status).toBe(201);
    expect(team.body).toEqual(
      expect.objectContaining({ id: expect.any(String), areaCode: 'sandwell', mailbox: 'hv@sandwell.example' }),
    );
    sandwellTeamId = team.body.id;

    // Issue 12 item 1: a practitioner in a team needs a second admin's approval; approved() proposes
    // as the bootstrap admin (202) and approves as a second admin, answering 201 with the practitioner.
    const person = await approved(api, 'POST', '/v1/practitioners', {
      teamId: sandwellTeamId,
      name: 'Harriet Visitor',
      email: 'Harriet.Visitor@sandwell.example',
      role: 'practitioner',
    });
    expect(person.status).toBe(201);
    expect(person.body).toEqual(
      expect.objectContaining({ email: 'harriet.visitor@sandwell.example', role: 'practitioner', active: true }),
    );
  });

  it('answers duplicates with 409 and changes nothing', async () => {
    const area = await api.call('POST', '/v1/areas', { ...admin, body: { code: 'sandwell', name: 'Sandwell again' } });
    expect(area.status).toBe(409);
    expect(area.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: ['area sandwell already exists'],
      code: 'DUPLICATE',
    });
    const team = await api.call('POST', '/v1/teams', {
      ...admin,
      body: {
        areaCode: 'sandwell',
        name: 'SANDWELL health visiting',
        service: 'health_visiting',
        mailbox: 'x@sandwell.example',
      },
    });
    expect(team.status).toBe(409);
    const person = await api.call('POST', '/v1/practitioners', {
      ...admin,
      body: { teamId: sandwellTeamId, name: 'Someone', email: 'HARRIET.visitor@sandwell.example', role: 'manager' },
    });
    expect(person.status).toBe(409);
    const areas = await api.call('GET', '/v1/areas', admin);
    expect(areas.body.map((a: { name: string }) => a.name)).toEqual(['Sandwell']);
  });

  it.each([
    ['an unknown field', { code: 'dudley', name: 'Dudley', colour: 'red' }, 'property colour should not exist'],
    ['a wrong type', { code: 'dudley', name: 42 }, 'name must be a string'],
    ['a missing field', { code: 'dudley' }, 'name should not be empty'],
    [
      'a bad code',
      { code: 'Dudley Council', name: 'Dudley' },
      'code must be 2-40 lower-case letters, digits or hyphens, starting with a letter',
    ],
  ])('refuses %s with 400 naming the field', async (_what, body, message) => {
    const response = await api.call('POST', '/v1/areas', { ...admin, body });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.error).toBe('Bad Request');
    expect(response.body.message).toContain(message);
  });

  it('refuses a team for an unknown area, a bad service or mailbox', async () => {
    const response = await api.call('POST', '/v1/teams', {
      ...admin,
      body: { areaCode: 'nowhere', name: 'X', service: 'dentistry', mailbox: 'not-an-email' },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(
      expect.arrayContaining([expect.stringMatching(/^service must be one of/), 'mailbox must be an email']),
    );
    const unknownArea = await api.call('POST', '/v1/teams', {
      ...admin,
      body: { areaCode: 'nowhere', name: 'X', service: 'other', mailbox: 'x@nowhere.example' },
    });
    expect(unknownArea.status).toBe(400);
    expect(unknownArea.body.message).toEqual(['areaCode: no area nowhere']);
  });

  it('refuses malformed JSON, a wrong content type and an oversized body with 4xx in the error shape', async () => {
    const malformed = await api.call('POST', '/v1/areas', { ...admin, raw: '{"code": "x",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual(
      expect.objectContaining({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: [expect.stringMatching(/not valid JSON/)],
      }),
    );

    const wrongType = await api.call('POST', '/v1/areas', {
      ...admin,
      raw: 'code=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const huge = await api.call('POST', '/v1/areas', { ...admin, body: { code: 'huge', name: 'x'.repeat(400_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE', message: [expect.stringMatching(/too large/i)] }),
    );

    const array = await api.call('POST', '/v1/areas', { ...admin, body: [1, 2] });
    expect(array.status).toBe(400);
    const nothing = await api.call('POST', '/v1/areas', { ...admin });
    expect(nothing.status).toBe(400);
  });

  it('lets only admins write, and any signed-in practitioner read teams', async () => {
    const worker = { as: 'harriet.visitor@sandwell.example' };
    const write = await api.call('POST', '/v1/areas', { ...worker, body: { code: 'walsall', name: 'Walsall' } });
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('FORBIDDEN');
    const patch = await api.call('PATCH', `/v1/practitioners/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, {
      ...worker,
      body: { active: false },
    });
    expect(patch.status).toBe(403);

    const teams = await api.call('GET', '/v1/teams?area=sandwell', worker);
    expect(teams.status).toBe(200);
    expect(teams.body).toEqual([
      expect.objectContaining({ name: 'Sandwell Health Visiting', areaCode: 'sandwell', service: 'health_visiting' }),
    ]);
    expect((await api.call('GET', '/v1/teams?area=birmingham', worker)).body).toEqual([]);
    expect((await api.call('GET', '/v1/teams?area=NOT%20A%20CODE', worker)).status).toBe(400);
    expect((await api.call('GET', '/v1/teams?colour=red', worker)).status).toBe(400);
  });

  it('updates practitioners', async () => {
    const list = await api.call('GET', `/v1/practitioners?teamId=${sandwellTeamId}`, admin);
    const harriet = list.body[0];
    // Issue 12 item 1: granting manager takes effect once a second admin approves it (approved()).
    const promoted = await approved(api, 'PATCH', `/v1/practitioners/${harriet.id}`, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('manager');

    expect((await api.call('PATCH', `/v1/practitioners/${harriet.id}`, { ...admin, body: {} })).status).toBe(400);
    expect(
      (await api.call('PATCH', `/v1/practitioners/${harriet.id}`, { ...admin, body: { active: 'no' } })).status,
    ).toBe(400);
    expect(
      (await api.call('PATCH', '/v1/practitioners/not-a-uuid', { ...admin, body: { active: false } })).status,
    ).toBe(400);
    const missing = await api.call('PATCH', '/v1/practitioners/6f1c2f7e-58e5-4b53-9d8a-3b8f7f9f1a11', {
      ...admin,
      body: { active: false },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('audits every write with its outcome, refusals included', async () => {
    const rows = await api.app
      .get(DataSource)
      .query(
        `SELECT action, outcome, reason_code AS "reasonCode", request_id AS "requestId", actor_id AS "actorId" FROM audit_events ORDER BY id`,
      );
    const summary = rows.map(
      (r: { action: string; outcome: string; reasonCode: string | null }) =>
        `${r.action}:${r.outcome}${r.reasonCode ? `:${r.reasonCode}` : ''}`,
    );
    expect(summary).toEqual(
      expect.arrayContaining([
        'practitioner.bootstrap_admin:succeeded',
        'area.create:succeeded',
        'team.create:succeeded',
        'practitioner.create:succeeded',
        'area.create:refused:DUPLICATE',
        'team.create:refused:DUPLICATE',
        'practitioner.create:refused:DUPLICATE',
        'practitioner.update:succeeded',
        'practitioner.update:refused:PRECONDITION_FAILED',
        'practitioner.update:refused:NOT_FOUND',
      ]),
    );
    const written = rows.filter((r: { action: string }) => r.action !== 'practitioner.bootstrap_admin');
    expect(written.every((r: { requestId: string | null; actorId: string | null }) => r.requestId && r.actorId)).toBe(
      true,
    );
  });

  it('sends the HTTP basics: no-store, Helmet headers, a request id, the 404 shape', async () => {
    const response = await api.call('GET', '/v1/areas', { ...admin, headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    // The id is the service's own (issue 12 item 7); the caller's is kept only in the audit trail.
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).not.toBe('trace-123');
    const missing = await api.call('GET', '/v1/nothing-here', admin);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(expect.objectContaining({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found' }));
  });

  it('serves health, metrics and the OpenAPI document without sign-in', async () => {
    expect((await api.call('GET', '/health/live')).status).toBe(200);
    const ready = await api.call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
    const metrics = await api.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('http_requests_total');
    const openapi = await api.call('GET', '/docs/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining(['/v1/areas', '/v1/teams', '/v1/practitioners', '/v1/practitioners/{id}']),
    );
    expect((await api.call('GET', '/docs')).status).toBe(200);
  });
});

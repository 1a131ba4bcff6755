import { DataSource } from 'typeorm';
import { TestClock } from './support/clock';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

/** Who is between two areas right now, seen from every role and from a third area. */
describe('monitoring unconfirmed transfers', () => {
  const clock = new TestClock(new Date('2026-12-01T10:00:00Z'));
  let api: RunningApi;
  let dir: SeededDirectory;
  const ids: Record<string, string> = {};

  const start = async (
    key: string,
    from: string,
    toTeamId: string,
    involvement: string,
    at: string,
    initiate = true,
  ) => {
    clock.set(at);
    const created = await api.call('POST', '/v1/transfers', {
      as: from,
      body: reviewFamily(toTeamId, { involvement, concerns: [] }),
    });
    expect(created.status).toBe(201);
    ids[key] = created.body.id;
    if (initiate)
      expect((await api.call('POST', `/v1/transfers/${created.body.id}/initiate`, { as: from })).status).toBe(200);
  };

  beforeAll(async () => {
    api = await startApi({ LOG_LEVEL: 'error' }, undefined, clock);
    dir = await seedDirectory(api);
    // Dudley → Birmingham, early help (10 working days): due Tue 15 Dec 10:00.
    await start(
      'dudleyToBham',
      dir.dudley.csc.practitioner.email,
      dir.birmingham.hv.id,
      'early_help',
      '2026-12-01T10:00:00Z',
    );
    // Birmingham CSC → Sandwell CSC, child in need (5): from Mon 21 Dec, due Wed 30 Dec (Christmas, Boxing Day skipped).
    await start(
      'bhamCscToSandwell',
      dir.birmingham.csc.practitioner.email,
      dir.sandwell.csc.id,
      'child_in_need',
      '2026-12-21T10:00:00Z',
    );
    // Birmingham HV → Sandwell HV, child protection (1): from Thu 24 Dec, due Tue 29 Dec 10:00.
    await start(
      'bhamHvToSandwell',
      dir.birmingham.hv.practitioner.email,
      dir.sandwell.hv.id,
      'child_protection',
      '2026-12-24T10:00:00Z',
    );
    // A draft is nobody's gap yet.
    await start(
      'sandwellDraft',
      dir.sandwell.hv.practitioner.email,
      dir.dudley.csc.id,
      'child_in_need',
      '2026-12-24T11:00:00Z',
      false,
    );
    clock.set('2026-12-29T10:00:00Z');
  });
  afterAll(() => api.close());

  const unconfirmed = async (as: string, query = '') => {
    const response = await api.call('GET', `/v1/monitoring/unconfirmed${query}`, { as });
    expect(response.status).toBe(200);
    return response.body.items as {
      id: string;
      reference: string;
      workingDaysWaiting: number;
      overdue: boolean;
      escalationLevel: number;
      criticalFlags: string[];
    }[];
  };
  const idsSeen = async (as: string, query = '') =>
    (await unconfirmed(as, query)).map((t) => Object.entries(ids).find(([, id]) => id === t.id)![0]);

  it('orders most overdue first, with working days waiting counted across Christmas', async () => {
    const items = await unconfirmed(ADMIN_EMAIL);
    expect(items.map((t) => Object.entries(ids).find(([, id]) => id === t.id)![0])).toEqual([
      'dudleyToBham',
      'bhamHvToSandwell',
      'bhamCscToSandwell',
    ]);
    const byKey = Object.fromEntries(items.map((t) => [Object.entries(ids).find(([, id]) => id === t.id)![0], t]));
    // From Tue 1 Dec: 18 working days to Tue 29 Dec (25 and 28 Dec are bank holidays).
    expect(byKey.dudleyToBham).toEqual(
      expect.objectContaining({ workingDaysWaiting: 18, overdue: true, escalationLevel: 0, criticalFlags: [] }),
    );
    // From Thu 24 Dec: only Tue 29 Dec has been a working day since.
    expect(byKey.bhamHvToSandwell).toEqual(expect.objectContaining({ workingDaysWaiting: 1, overdue: false }));
    expect(byKey.bhamCscToSandwell).toEqual(expect.objectContaining({ workingDaysWaiting: 4, overdue: false }));
  });

  it('shows a transfer as overdue the moment its contact deadline passes', async () => {
    expect(await idsSeen(ADMIN_EMAIL, '?overdue=true')).toEqual(['dudleyToBham']);
    clock.set('2026-12-29T10:00:01Z');
    expect(await idsSeen(ADMIN_EMAIL, '?overdue=true')).toEqual(['dudleyToBham', 'bhamHvToSandwell']);
    const summary = await api.call('GET', '/v1/monitoring/summary?area=sandwell', { as: ADMIN_EMAIL });
    expect(summary.body.unconfirmedOverdue).toBe(1);
  });

  it.each([
    ['an admin', () => ADMIN_EMAIL, ['dudleyToBham', 'bhamHvToSandwell', 'bhamCscToSandwell']],
    [
      'Birmingham’s safeguarding lead',
      () => dir.birmingham.lead.email,
      ['dudleyToBham', 'bhamHvToSandwell', 'bhamCscToSandwell'],
    ],
    ['Sandwell’s safeguarding lead', () => dir.sandwell.lead.email, ['bhamHvToSandwell', 'bhamCscToSandwell']],
    ['the third area’s safeguarding lead', () => dir.dudley.lead.email, ['dudleyToBham']],
    [
      'the Birmingham health-visiting manager',
      () => dir.birmingham.hv.manager.email,
      ['dudleyToBham', 'bhamHvToSandwell'],
    ],
    ['the Sandwell health-visiting manager', () => dir.sandwell.hv.manager.email, ['bhamHvToSandwell']],
    ['the Sandwell social-care manager', () => dir.sandwell.csc.manager.email, ['bhamCscToSandwell']],
    ['the third area’s manager', () => dir.dudley.csc.manager.email, ['dudleyToBham']],
  ])('scopes the list for %s', async (_who, email, expected) => {
    expect(await idsSeen(email())).toEqual(expected);
  });

  it('refuses plain practitioners with 403, audited', async () => {
    for (const email of [dir.birmingham.hv.practitioner.email, dir.dudley.csc.practitioner.email]) {
      expect((await api.call('GET', '/v1/monitoring/unconfirmed', { as: email })).status).toBe(403);
      expect((await api.call('GET', '/v1/monitoring/summary', { as: email })).status).toBe(403);
    }
    const refused = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'access.refused' AND actor_id = $1`, [
        dir.birmingham.hv.practitioner.id,
      ]);
    expect(refused[0].n).toBe(2);
  });

  it('filters by area and team within the caller’s scope, and pages with a cursor', async () => {
    expect(await idsSeen(ADMIN_EMAIL, '?area=sandwell')).toEqual(['bhamHvToSandwell', 'bhamCscToSandwell']);
    expect(await idsSeen(ADMIN_EMAIL, `?team=${dir.birmingham.csc.id}`)).toEqual(['bhamCscToSandwell']);
    expect(await idsSeen(dir.dudley.lead.email, '?area=sandwell')).toEqual([]);
    const first = await api.call('GET', '/v1/monitoring/unconfirmed?limit=2', { as: ADMIN_EMAIL });
    const second = await api.call('GET', `/v1/monitoring/unconfirmed?limit=2&cursor=${first.body.nextCursor}`, {
      as: ADMIN_EMAIL,
    });
    expect([...first.body.items, ...second.body.items].map((t: { id: string }) => t.id)).toEqual([
      ids.dudleyToBham,
      ids.bhamHvToSandwell,
      ids.bhamCscToSandwell,
    ]);
    expect(second.body.nextCursor).toBeNull();
    expect((await api.call('GET', '/v1/monitoring/unconfirmed?overdue=maybe', { as: ADMIN_EMAIL })).status).toBe(400);
    expect((await api.call('GET', '/v1/monitoring/unconfirmed?cursor=nope', { as: ADMIN_EMAIL })).status).toBe(400);
  });

  it('summarises the caller’s scope: counts by status, overdue, chase items, failed emails, the oldest', async () => {
    const summary = await api.call('GET', '/v1/monitoring/summary', { as: dir.sandwell.lead.email });
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual(
      expect.objectContaining({
        countsByStatus: { awaiting_contact: 2, draft: 1 }, // Sandwell's own outgoing draft is in its lead's scope
        unconfirmed: 2,
        unconfirmedOverdue: 1,
        failedEmails: 0,
        oldestUnconfirmed: expect.objectContaining({ id: ids.bhamCscToSandwell, workingDaysWaiting: 4 }),
      }),
    );
    expect(summary.body.openChaseItems.direct_contact).toEqual({ 0: 2 });
    const hvManager = await api.call('GET', '/v1/monitoring/summary', { as: dir.sandwell.hv.manager.email });
    expect(hvManager.body.countsByStatus).toEqual({ awaiting_contact: 1, draft: 1 });
    const audited = await api.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action IN ('monitoring.summary', 'monitoring.unconfirmed')`,
      );
    expect(audited[0].n).toBeGreaterThan(15);
  });

  it('shares a summary for up to 10 seconds of clock time, then computes it afresh', async () => {
    const as = { as: dir.dudley.lead.email };
    const first = await api.call('GET', '/v1/monitoring/summary', as);
    clock.set(new Date(clock.now().getTime() + 1_000));
    await start(
      'late',
      dir.dudley.csc.practitioner.email,
      dir.sandwell.hv.id,
      'child_in_need',
      clock.now().toISOString(),
    );
    const cached = await api.call('GET', '/v1/monitoring/summary', as);
    expect(cached.body).toEqual(first.body);
    clock.set(new Date(clock.now().getTime() + 10_000));
    const fresh = await api.call('GET', '/v1/monitoring/summary', as);
    expect(fresh.body.unconfirmed).toBe(first.body.unconfirmed + 1);
    expect(new Date(fresh.body.asOf).getTime()).toBeGreaterThan(new Date(first.body.asOf).getTime());
    // the list is always live
    expect((await idsSeen(dir.dudley.lead.email)).includes('late')).toBe(true);
  });
});

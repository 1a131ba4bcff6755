import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { scenario } from './support/scenario';

/** Every access rule, tried from people who must not see the transfer, and from those who must. */
describe('transfer access', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let draftId: string;
  let liveId: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    draftId = (await scenario(api, dir).created()).id;
    liveId = (await scenario(api, dir).created().initiated()).id;
  });
  afterAll(() => api.close());

  const subResources = (id: string): [string, string, unknown?][] => [
    ['GET', `/v1/transfers/${id}`],
    ['GET', `/v1/transfers/${id}/audit`],
    ['PATCH', `/v1/transfers/${id}`, { reason: 'x' }],
    ['POST', `/v1/transfers/${id}/initiate`],
    [
      'POST',
      `/v1/transfers/${id}/direct-contact`,
      {
        occurredAt: new Date().toISOString(),
        method: 'phone',
        sendingPractitionerId: dir.birmingham.hv.practitioner.id,
        summary: 's',
        flagAcknowledgements: [],
      },
    ],
    ['POST', `/v1/transfers/${id}/direct-contact/confirm`, { agree: true }],
    ['POST', `/v1/transfers/${id}/flags/NO_GP_REGISTRATION/acknowledge`, { advice: 'a' }],
    ['POST', `/v1/transfers/${id}/accept`, { leadPractitionerId: dir.dudley.csc.practitioner.id }],
    ['POST', `/v1/transfers/${id}/return`, { reason: 'r' }],
    ['POST', `/v1/transfers/${id}/cancel`, { reason: 'r' }],
    ['POST', `/v1/transfers/${id}/reassign`, { practitionerId: dir.dudley.csc.practitioner.id }],
  ];

  const outsiders = () => [
    ['a practitioner of a third area', dir.dudley.csc.practitioner.email],
    ['a manager of a third area', dir.dudley.csc.manager.email],
    ['the safeguarding lead of a third area', dir.dudley.lead.email],
    ['another team in the sending area', dir.birmingham.csc.practitioner.email],
    ['another team in the receiving area', dir.sandwell.csc.practitioner.email],
    ['an admin', ADMIN_EMAIL],
  ];

  it('answers 404 to outsiders on every endpoint, exactly as for a transfer that does not exist', async () => {
    const missing = '0b6f4c1e-9a7d-4c1b-8f3e-2d5a6b7c8d9e';
    for (const [who, email] of outsiders()) {
      for (const id of [draftId, liveId]) {
        for (const [method, path, body] of subResources(id)) {
          const response = await api.call(method, path, { as: email, body });
          const nothing = await api.call(method, path.replace(id, missing), { as: email, body });
          expect({ who, method, path, status: response.status, body: response.body }).toEqual({
            who,
            method,
            path,
            status: 404,
            body: nothing.body,
          });
        }
      }
      const list = await api.call('GET', '/v1/transfers', { as: email });
      expect({ who, items: list.body.items }).toEqual({ who, items: [] });
    }
  });

  it('tells an admin plainly that they cannot start a transfer', async () => {
    const response = await api.call('POST', '/v1/transfers', {
      as: ADMIN_EMAIL,
      body: reviewFamily(dir.sandwell.hv.id),
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('hides a draft from the receiving side, and shows an initiated one', async () => {
    for (const email of [dir.sandwell.hv.practitioner.email, dir.sandwell.hv.manager.email, dir.sandwell.lead.email]) {
      expect((await api.call('GET', `/v1/transfers/${draftId}`, { as: email })).status).toBe(404);
      expect((await api.call('GET', `/v1/transfers/${liveId}`, { as: email })).status).toBe(200);
      const ids = (await api.call('GET', '/v1/transfers', { as: email })).body.items.map((t: { id: string }) => t.id);
      expect(ids).toEqual([liveId]);
    }
  });

  it('shows both to the sending team and the sending area’s safeguarding lead', async () => {
    for (const email of [
      dir.birmingham.hv.practitioner.email,
      dir.birmingham.hv.manager.email,
      dir.birmingham.lead.email,
    ]) {
      const ids = (await api.call('GET', '/v1/transfers?direction=outgoing', { as: email })).body.items.map(
        (t: { id: string }) => t.id,
      );
      expect(ids.sort()).toEqual([draftId, liveId].sort());
      expect((await api.call('GET', '/v1/transfers?direction=incoming', { as: email })).body.items).toEqual([]);
    }
  });

  it('lets a sending manager act for the team, and refuses the wrong side with 403', async () => {
    const managerCancel = await api.call('POST', `/v1/transfers/${draftId}/cancel`, {
      as: dir.birmingham.hv.manager.email,
      body: { reason: 'family did not move' },
    });
    expect(managerCancel.status).toBe(200);
    expect(managerCancel.body.status).toBe('cancelled');
    const receiverCancel = await api.call('POST', `/v1/transfers/${liveId}/cancel`, {
      as: dir.sandwell.hv.practitioner.email,
      body: { reason: 'no' },
    });
    expect(receiverCancel.status).toBe(403);
    const senderReturn = await api.call('POST', `/v1/transfers/${liveId}/return`, {
      as: dir.birmingham.hv.practitioner.email,
      body: { reason: 'no' },
    });
    expect(senderReturn.status).toBe(403);
  });

  it('paginates lists with a cursor and filters by status', async () => {
    const sender = dir.birmingham.hv.practitioner.email;
    for (let i = 0; i < 4; i++)
      await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await api.call(
        'GET',
        `/v1/transfers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { as: sender },
      );
      seen.push(...page.body.items.map((t) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const drafts = await api.call('GET', '/v1/transfers?status=draft', { as: sender });
    expect(drafts.body.items).toHaveLength(4);
    expect((await api.call('GET', '/v1/transfers?cursor=garbage', { as: sender })).status).toBe(400);
    expect((await api.call('GET', '/v1/transfers?limit=0', { as: sender })).status).toBe(400);
    expect((await api.call('GET', '/v1/transfers?status=lost', { as: sender })).status).toBe(400);
    expect((await api.call('GET', '/v1/transfers/not-a-uuid', { as: sender })).status).toBe(404);
  });
});

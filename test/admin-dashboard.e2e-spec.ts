import { seedDirectory, SeededDirectory } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

describe('queue dashboard at /admin/queues', () => {
  let api: RunningApi;
  let dir: SeededDirectory;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
  });
  afterAll(() => api.close());

  it('refuses anyone not signed in, sending a browser to the sign-in page', async () => {
    const json = await api.call('GET', '/admin/queues');
    expect(json.status).toBe(401);
    expect(json.body.code).toBe('UNAUTHENTICATED');
    const page = await fetch(`${api.baseUrl}/admin/queues`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/login');
    const login = await fetch(`${api.baseUrl}/admin/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('Admin sign-in');
    expect((await api.call('GET', '/admin/queues', { token: 'not-a-token' })).status).toBe(401);
    // however the path is spelt
    for (const path of [
      '/admin/%71ueues/api/queues',
      '/%61dmin/queues/api/queues',
      '/admin/queues/%61pi/queues',
      '/admin//queues/api/queues',
    ]) {
      const response = await fetch(`${api.baseUrl}${path}`);
      expect({ path, status: response.status === 401 || response.status === 404 }).toEqual({ path, status: true });
    }
  });

  it('refuses practitioners, managers and safeguarding leads', async () => {
    for (const email of [dir.sandwell.hv.practitioner.email, dir.sandwell.hv.manager.email, dir.sandwell.lead.email]) {
      expect((await api.call('GET', '/admin/queues', { as: email })).status).toBe(403);
      expect((await api.call('GET', '/admin/queues/api/queues', { as: email })).status).toBe(403);
      expect((await api.call('POST', '/admin/session', { as: email })).status).toBe(403);
    }
  });

  it('shows the queues to an admin, by bearer token or by the cookie the sign-in page sets', async () => {
    const page = await api.call('GET', '/admin/queues', { as: ADMIN_EMAIL });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');

    const session = await api.call('POST', '/admin/session', { as: ADMIN_EMAIL });
    expect(session.status).toBe(204);
    const cookie = session.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^fh_admin=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const queues = await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { cookie: cookie.split(';')[0] } });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['chasing', 'notifications', 'packets']);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
  });
});

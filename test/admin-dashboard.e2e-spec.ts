import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
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

  /** Signs in as the admin and returns the cookie pair (`fh_admin=…`) the browser would send back. */
  async function signIn(): Promise<{ cookie: string; value: string; header: string }> {
    const session = await api.call('POST', '/admin/session', { as: ADMIN_EMAIL });
    expect(session.status).toBe(204);
    const header = session.headers.get('set-cookie')!;
    const cookie = header.split(';')[0];
    return { cookie, value: cookie.slice('fh_admin='.length), header };
  }
  const queues = (cookie: string) => fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers: { cookie } });
  const rowOf = (value: string) => createHash('sha256').update(value).digest();

  it('sets an opaque session id, not a token: it opens nothing under /v1', async () => {
    const { cookie, value } = await signIn();
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(value.split('.')).toHaveLength(1); // a JWT has three dot-separated parts
    expect((await queues(cookie)).status).toBe(200);
    const asBearer = await api.call('GET', '/v1/areas', { token: value });
    expect(asBearer.status).toBe(401);
    const asCookie = await api.call('GET', '/v1/areas', { headers: { cookie } });
    expect(asCookie.status).toBe(401);
    const rows = await api.app
      .get(DataSource)
      .query(`SELECT audience, access_token AS "accessToken" FROM web_sessions WHERE id_hash = $1`, [rowOf(value)]);
    expect(rows).toEqual([{ audience: 'admin', accessToken: null }]);
  });

  it('signs out: the session row is deleted and the same cookie no longer opens the queues', async () => {
    const { cookie, value } = await signIn();
    expect((await queues(cookie)).status).toBe(200);
    const out = await fetch(`${api.baseUrl}/admin/session`, { method: 'DELETE', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^fh_admin=; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect((await queues(cookie)).status).toBe(401);
    const page = await fetch(`${api.baseUrl}/admin/queues`, {
      headers: { cookie, accept: 'text/html' },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
    const rows = await api.app.get(DataSource).query(`SELECT 1 FROM web_sessions WHERE id_hash = $1`, [rowOf(value)]);
    expect(rows).toHaveLength(0);
  });

  it('ends a session at its absolute end and after 30 minutes unused', async () => {
    const ds = api.app.get(DataSource);
    const expired = await signIn();
    const idle = await signIn();
    expect((await queues(expired.cookie)).status).toBe(200);
    expect((await queues(idle.cookie)).status).toBe(200);
    await ds.query(`UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`, [
      rowOf(expired.value),
    ]);
    await ds.query(`UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes' WHERE id_hash = $1`, [
      rowOf(idle.value),
    ]);
    expect((await queues(expired.cookie)).status).toBe(401);
    expect((await queues(idle.cookie)).status).toBe(401);
    // the cookie's own lifetime is no longer than the token's (the test token's) and at most 8 hours
    const maxAge = Number(/Max-Age=(\d+)/.exec((await signIn()).header)![1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(8 * 60 * 60);
  });

  it('stops opening the queues once the admin is no longer an admin', async () => {
    const { cookie } = await signIn();
    const ds = api.app.get(DataSource);
    const [{ id }] = await ds.query(`SELECT id FROM practitioners WHERE email = $1`, [dir.sandwell.hv.manager.email]);
    await ds.query(`UPDATE web_sessions SET practitioner_id = $1 WHERE audience = 'admin'`, [id]);
    expect((await queues(cookie)).status).toBe(403);
  });

  it('a console session cannot open the dashboard', async () => {
    const { value } = await signIn();
    await api.app
      .get(DataSource)
      .query(`UPDATE web_sessions SET audience = 'console' WHERE id_hash = $1`, [rowOf(value)]);
    expect((await queues(`fh_admin=${value}`)).status).toBe(401);
  });
});

describe('admin session cookie behind https', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ APP_BASE_URL: 'https://handover.test' });
  });
  afterAll(() => api.close());

  it('is Secure whenever the public URL is https', async () => {
    const session = await api.call('POST', '/admin/session', { as: ADMIN_EMAIL });
    expect(session.status).toBe(204);
    expect(session.headers.get('set-cookie')).toMatch(
      /^fh_admin=[A-Za-z0-9_-]{43}; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
    const out = await fetch(`${api.baseUrl}/admin/session`, { method: 'DELETE' });
    expect(out.headers.get('set-cookie')).toMatch(/; Secure$/);
  });
});

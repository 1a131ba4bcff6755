import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { seedDirectory, SeededDirectory } from './support/directory';
import { reviewFamily } from './support/family';
import { RunningApi, startApi } from './support/harness';

/**
 * Issue 11 item 7: GET /v1/transfers/:id is one named statement and its audit event one more (a read
 * changes nothing, so no BEGIN/COMMIT), whatever the household; a transfer that exists but is hidden costs exactly what a missing one
 * costs; the list is one statement too, and audits every row it shows (item 5).
 */
describe('transfer reads: round trips and prepared statements', () => {
  let api: RunningApi;
  let dir: SeededDirectory;
  let sender: string;
  let id: string;

  beforeAll(async () => {
    api = await startApi();
    dir = await seedDirectory(api);
    sender = dir.birmingham.hv.practitioner.email;
    const created = await api.call('POST', '/v1/transfers', { as: sender, body: reviewFamily(dir.sandwell.hv.id) });
    expect(created.status).toBe(201);
    id = created.body.id;
  });
  afterAll(() => api.close());

  /** Every statement the API sends while serving one request (the sign-in already cached). */
  const statementsOf = async (path: string, token: string) => {
    await api.call('GET', '/v1/teams', { token }); // signs in, so the lookup is cached
    const original = Client.prototype.query;
    const sent: { text: string; name?: string }[] = [];
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const query = args[0] as string | { text: string; name?: string };
      sent.push(typeof query === 'string' ? { text: query } : { text: query.text, name: query.name });
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const response = await api.call('GET', path, { token });
      return { status: response.status, body: response.body, sent };
    } finally {
      Client.prototype.query = original;
    }
  };

  it('reads a transfer in one named statement, and a hidden one costs what a missing one does', async () => {
    const token = await api.token(sender);
    const visible = await statementsOf(`/v1/transfers/${id}`, token);
    expect(visible.status).toBe(200);
    expect(visible.body.household.length).toBeGreaterThan(0);
    // The read and the audit event — and nothing else.
    expect(visible.sent).toHaveLength(2);
    const [read, audit] = visible.sent;
    expect(read.name).toMatch(/^fh_/);
    expect(read.text).toMatch(/json_agg/);
    expect(audit.name).toMatch(/^fh_/);

    // Dudley's worker may not see it; a random id does not exist: the same statements, the same 404.
    const outsider = await api.token(dir.dudley.csc.practitioner.email);
    const hidden = await statementsOf(`/v1/transfers/${id}`, outsider);
    const missing = await statementsOf('/v1/transfers/00000000-0000-4000-8000-000000000000', outsider);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect(hidden.sent.map((s) => s.name ?? s.text)).toEqual(missing.sent.map((s) => s.name ?? s.text));
    expect(hidden.sent).toHaveLength(2);

    const refused = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM audit_events WHERE transfer_id = $1 AND outcome = 'refused'`, [id]);
    expect(refused[0].n).toBe(1);
  });

  it('opens every connection READ COMMITTED, so a transaction needs no SET of its own', async () => {
    const [row] = await api.app.get(DataSource).query('SHOW default_transaction_isolation');
    expect(row.default_transaction_isolation).toBe('read committed');
  });

  it('lists in one named statement and audits every row shown through the same helper', async () => {
    const token = await api.token(sender);
    const listed = await statementsOf('/v1/transfers?direction=outgoing', token);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(id);
    expect(listed.sent).toHaveLength(2);
    expect(listed.sent.every((s) => s.name?.startsWith('fh_'))).toBe(true);
    const audited = await api.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM audit_events WHERE transfer_id = $1 AND action = 'transfer.list_view'`, [
        id,
      ]);
    expect(audited[0].n).toBe(1);
  });
});

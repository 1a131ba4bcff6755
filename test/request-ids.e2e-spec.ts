import { DataSource } from 'typeorm';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The audit trail's request id is the service's own; a caller's X-Request-Id is kept beside it as
 * client_request_id when it is short printable ASCII, and dropped otherwise (issue 12 item 7).
 */
describe('request ids are the server’s', () => {
  let api: RunningApi;
  let ds: DataSource;

  beforeAll(async () => {
    api = await startApi();
    ds = api.app.get(DataSource);
  });
  afterAll(() => api.close());

  async function auditOf(areaId: string): Promise<{ requestId: string | null; clientRequestId: string | null }> {
    const rows = await ds.query(
      `SELECT request_id AS "requestId", client_request_id AS "clientRequestId" FROM audit_events
        WHERE action = 'area.create' AND entity_id = $1`,
      [areaId],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('generates the request id and keeps a valid client id separately', async () => {
    const response = await api.call('POST', '/v1/areas', {
      as: ADMIN_EMAIL,
      headers: { 'x-request-id': 'client-trace-7:abc/1' },
      body: { code: 'dudley', name: 'Dudley' },
    });
    expect(response.status).toBe(201);
    const serverId = response.headers.get('x-request-id');
    expect(serverId).toMatch(UUID);
    const audit = await auditOf(response.body.id);
    expect(audit.requestId).toBe(serverId);
    expect(audit.requestId).not.toBe('client-trace-7:abc/1');
    expect(audit.clientRequestId).toBe('client-trace-7:abc/1');
  });

  it.each([
    ['too long', 'x'.repeat(65)],
    ['a space', 'has space'],
    ['not ASCII', 'trace-é'],
    ['a control character (tab)', 'trace\tid'],
  ])('drops a client id with %s', async (_label, clientId) => {
    const code = `area-${Math.random().toString(36).slice(2, 8)}`;
    const response = await api.call('POST', '/v1/areas', {
      as: ADMIN_EMAIL,
      headers: { 'x-request-id': clientId },
      body: { code, name: 'Somewhere' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    const audit = await auditOf(response.body.id);
    expect(audit.requestId).toBe(response.headers.get('x-request-id'));
    expect(audit.clientRequestId).toBeNull();
  });

  it('gives every request a fresh id when none is sent, also on refusals', async () => {
    const first = await api.call('GET', '/v1/areas', { as: ADMIN_EMAIL });
    const second = await api.call('GET', '/v1/nothing-here', { headers: { 'x-request-id': 'same' } });
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
  });
});

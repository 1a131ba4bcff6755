import { Client } from 'pg';
import { DirectoryLookup } from '../apps/api/src/auth/directory-lookup.service';
import { approved } from './support/directory';
import { ADMIN_EMAIL, RunningApi, startApi } from './support/harness';
import { waitFor } from './support/wait';

/**
 * Issue 11 item 7: the sign-in lookup is cached, and a change to the directory — made anywhere,
 * here straight in SQL as another replica or an operator would — is forgotten as soon as its
 * notification arrives (a trigger notifies channel `directory`), with no request needed, and the
 * next request is refused. (A change through this API's own endpoints is forgotten before its
 * response is sent: test/auth.e2e-spec.ts, "stops a deactivated practitioner on their next request".)
 */
describe('sign-in lookup cache', () => {
  let api: RunningApi;
  let teamId: string;
  let sql: Client;

  beforeAll(async () => {
    api = await startApi();
    await api.call('POST', '/v1/areas', { as: ADMIN_EMAIL, body: { code: 'sandwell', name: 'Sandwell' } });
    teamId = (
      await api.call('POST', '/v1/teams', {
        as: ADMIN_EMAIL,
        body: { areaCode: 'sandwell', name: 'HV', service: 'health_visiting', mailbox: 'hv@sandwell.test' },
      })
    ).body.id;
    for (const [name, email] of [
      ['Ola', 'ola@sandwell.test'],
      ['Ren', 'ren@sandwell.test'],
    ]) {
      expect(
        // a practitioner in a team needs a second admin's approval (issue 12 item 1): approved() does both
        (await approved(api, 'POST', '/v1/practitioners', { teamId, name, email, role: 'practitioner' })).status,
      ).toBe(201);
    }
    sql = new Client({ connectionString: api.config.databaseUrl });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await api.close();
  });

  /** The statements the API sends while serving one request. */
  const statementsOf = async (token: string) => {
    const original = Client.prototype.query;
    const texts: string[] = [];
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const query = args[0] as string | { text: string };
      texts.push(typeof query === 'string' ? query : query.text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      const response = await api.call('GET', '/v1/teams', { token });
      return { status: response.status, body: response.body, texts };
    } finally {
      Client.prototype.query = original;
    }
  };
  const directoryReads = (texts: string[]) => texts.filter((t) => /FROM practitioners p/.test(t)).length;
  /** Runs SQL on a connection of its own and waits until the API has been told of the change. */
  const changeInSql = async (text: string) => {
    const lookup = api.app.get(DirectoryLookup);
    const seen = lookup.changesSeen;
    await sql.query(text);
    await waitFor('the directory change to reach the API', () => lookup.changesSeen > seen, 5_000);
  };

  it('looks a signed-in practitioner up once, not on every request', async () => {
    const token = await api.token('ola@sandwell.test');
    const first = await statementsOf(token);
    expect(first.status).toBe(200);
    const second = await statementsOf(token);
    expect(second.status).toBe(200);
    expect(directoryReads(second.texts)).toBe(0);
  });

  it('refuses a practitioner deactivated in SQL on their very next request', async () => {
    const token = await api.token('ren@sandwell.test');
    expect((await statementsOf(token)).status).toBe(200);
    expect((await statementsOf(token)).status).toBe(200);
    await changeInSql(`UPDATE practitioners SET active = false WHERE email = 'ren@sandwell.test'`);
    const after = await statementsOf(token);
    expect(after.status).toBe(403);
    expect(after.body.message).toEqual(['practitioner is not active']);
    expect(directoryReads(after.texts)).toBe(1);

    await changeInSql(`UPDATE practitioners SET active = true WHERE email = 'ren@sandwell.test'`);
    expect((await statementsOf(token)).status).toBe(200);
  });

  it('sees a move to another team on the next request', async () => {
    const token = await api.token('ola@sandwell.test');
    expect((await statementsOf(token)).status).toBe(200);
    await changeInSql(`UPDATE practitioners SET role = 'admin', team_id = NULL WHERE email = 'ola@sandwell.test'`);
    // Only admins may create areas: the new role counts at once.
    const response = await api.call('POST', '/v1/areas', { token, body: { code: 'walsall', name: 'Walsall' } });
    expect(response.status).toBe(201);
  });
});

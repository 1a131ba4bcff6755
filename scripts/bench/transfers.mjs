// Issue 3: reads of transfers with 10,000 seeded.
import { readFileSync } from 'node:fs';
import { API, apiCall, cloneTransfer, env, measure, pg, prepareDirectory, startApi, waitReady } from './common.mjs';

/**
 * A fresh database with the bench family cloned to 10,000 transfers (household of 4) and the built
 * API running on it. Returns the API (stop it when done), 2,000 random transfer ids and a token of a
 * receiving-team practitioner who may see them all.
 */
export async function seedTransfers() {
  const token = await prepareDirectory();
  const api = startApi();
  try {
    await waitReady(`${API}/health/ready`);
    const hana = token('hana.begum@birmingham.demo');
    const call = (method, path, body) => apiCall(hana, method, path, body);
    const teams = await call('GET', '/v1/teams?area=sandwell');
    const family = JSON.parse(readFileSync(new URL('../bench-family.json', import.meta.url), 'utf8'));
    const source = await call('POST', '/v1/transfers', {
      ...family,
      receivingTeamId: teams.find((t) => t.service === 'health_visiting').id,
    });
    await call('POST', `/v1/transfers/${source.id}/initiate`);

    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const seeded = Date.now();
    await cloneTransfer(db, source.id, 9999);
    const ids = (await db.query(`SELECT id FROM transfers ORDER BY random() LIMIT 2000`)).rows.map((r) => r.id);
    const total = (await db.query(`SELECT count(*)::int AS n FROM transfers`)).rows[0].n;
    await db.end();
    console.log(`seeded ${total} transfers in ${Date.now() - seeded} ms`);
    return { api, ids, total, reader: token('harriet.shaw@sandwell.demo') };
  } catch (error) {
    await api.stop();
    throw error;
  }
}

/** Issue 3: GET /v1/transfers/:id and the incoming list, with 10,000 transfers seeded. */
export async function benchTransfers() {
  const { api, ids, total, reader } = await seedTransfers();
  try {
    let next = 0;
    const rows = [
      await measure('GET /v1/transfers/:id (random of 2,000 ids; household of 4)', {
        url: API,
        headers: { authorization: `Bearer ${reader}` },
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/transfers/${ids[next++ % ids.length]}` }) },
        ],
      }),
      await measure('GET /v1/transfers?direction=incoming (first page of 25)', {
        url: `${API}/v1/transfers?direction=incoming`,
        headers: { authorization: `Bearer ${reader}` },
      }),
    ];
    return {
      id: 'transfers',
      heading: `Transfers: reads with ${total.toLocaleString('en-GB')} transfers seeded (issue 3)`,
      rows,
    };
  } finally {
    await api.stop();
  }
}

// Issue 3: reads of transfers with 10,000 seeded.
import { readFileSync } from 'node:fs';
import { API, apiCall, env, measure, pg, prepareDirectory, startApi, waitReady } from './common.mjs';

/** Issue 3: GET /v1/transfers/:id and the incoming list, with 10,000 transfers seeded. */
export async function benchTransfers() {
  const token = await prepareDirectory();
  const api = startApi();
  try {
    await waitReady(`${API}/health/ready`);
    const hana = token('hana.begum@birmingham.demo');
    const call = (method, path, body) => apiCall(hana, method, path, body);
    const teams = await call('GET', '/v1/teams?area=sandwell');
    const family = JSON.parse(readFileSync(new URL('../bench-family.json', import.meta.url), 'utf8'));
    const source = await call('POST', '/v1/transfers', { ...family, receivingTeamId: teams.find((t) => t.service === 'health_visiting').id });
    await call('POST', `/v1/transfers/${source.id}/initiate`);

    const db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const seeded = Date.now();
    await db.query('BEGIN');
    await db.query(`CREATE TEMP TABLE clone AS SELECT g, gen_random_uuid() AS tid FROM generate_series(1, 9999) g`);
    await db.query(
      `INSERT INTO transfers (id, reference, status, version, round, involvement, move_date, move_type, reason, previous_address_area, new_address,
         left_support_network, support_network_note, household_confirmed, no_male_carer_reason, sending_team_id, sending_area_id, receiving_team_id,
         receiving_area_id, accountable_practitioner_id, created_by_id, risk_flags, critical_flag_codes, contact_due_at, created_at, updated_at, initiated_at)
       SELECT c.tid, 'HT-BENCH-' || lpad(c.g::text, 6, '0'), t.status, t.version, t.round, t.involvement, t.move_date, t.move_type, t.reason, t.previous_address_area,
         t.new_address, t.left_support_network, t.support_network_note, t.household_confirmed, t.no_male_carer_reason, t.sending_team_id, t.sending_area_id,
         t.receiving_team_id, t.receiving_area_id, t.accountable_practitioner_id, t.created_by_id, t.risk_flags, t.critical_flag_codes, t.contact_due_at,
         t.created_at - make_interval(secs => c.g), t.updated_at, t.initiated_at - make_interval(secs => c.g)
       FROM transfers t CROSS JOIN clone c WHERE t.id = $1`,
      [source.id],
    );
    await db.query(`CREATE TEMP TABLE mclone AS SELECT c.tid, m.id AS old_id, gen_random_uuid() AS new_id FROM clone c CROSS JOIN household_members m WHERE m.transfer_id = $1`, [source.id]);
    await db.query(
      `INSERT INTO household_members (id, transfer_id, position, ref, role, given_name, family_name, date_of_birth, sex, nhs_number, lives_in_household, mobility,
         engaged, gp_status, gp_practice_ods, gp_practice_name, risk_factors)
       SELECT mc.new_id, mc.tid, m.position, m.ref, m.role, m.given_name, m.family_name, m.date_of_birth, m.sex, m.nhs_number, m.lives_in_household, m.mobility,
         m.engaged, m.gp_status, m.gp_practice_ods, m.gp_practice_name, m.risk_factors
       FROM mclone mc JOIN household_members m ON m.id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO member_involvements (member_id, transfer_id, position, agency, area, detail)
       SELECT mc.new_id, mc.tid, i.position, i.agency, i.area, i.detail FROM mclone mc JOIN member_involvements i ON i.member_id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO concerns (transfer_id, member_id, position, type, observed_on, description, safeguarding_advice_sought)
       SELECT mc.tid, mc.new_id, c.position, c.type, c.observed_on, c.description, c.safeguarding_advice_sought FROM mclone mc JOIN concerns c ON c.member_id = mc.old_id`,
    );
    await db.query(
      `INSERT INTO appointments (transfer_id, member_id, position, kind, provider, due_on, status)
       SELECT mc.tid, mc.new_id, a.position, a.kind, a.provider, a.due_on, a.status FROM mclone mc JOIN appointments a ON a.member_id = mc.old_id`,
    );
    await db.query('COMMIT');
    await db.query('ANALYZE');
    const ids = (await db.query(`SELECT id FROM transfers ORDER BY random() LIMIT 2000`)).rows.map((r) => r.id);
    const total = (await db.query(`SELECT count(*)::int AS n FROM transfers`)).rows[0].n;
    await db.end();
    console.log(`seeded ${total} transfers in ${Date.now() - seeded} ms`);

    const harriet = token('harriet.shaw@sandwell.demo');
    let next = 0;
    const rows = [
      await measure('GET /v1/transfers/:id (random of 2,000 ids; household of 4)', {
        url: API,
        headers: { authorization: `Bearer ${harriet}` },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/transfers/${ids[next++ % ids.length]}` }) }],
      }),
      await measure('GET /v1/transfers?direction=incoming (first page of 25)', {
        url: `${API}/v1/transfers?direction=incoming`,
        headers: { authorization: `Bearer ${harriet}` },
      }),
    ];
    return { id: 'transfers', heading: `Transfers: reads with ${total.toLocaleString('en-GB')} transfers seeded (issue 3)`, rows };
  } finally {
    await api.stop();
  }
}


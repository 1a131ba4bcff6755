// The bare floor for GET /v1/transfers/:id (issue 11 item 7): a minimal Fastify + pg server doing
// the same essential work as the service — verify the JWT, find the practitioner, check visibility,
// read the transfer with everything it shows in one statement, insert the same audit event, commit —
// with named (prepared) statements, against the same database. `npm run bench -- transfers-bare`
// measures it side by side with the service in one run and reports the ratio; set
// BENCH_BEFORE_DIST=<a dist/ built from an earlier commit> to measure that build in the same run too.
//
// Run on its own (the benchmark does this): node scripts/bench/bare.mjs serve  (DATABASE_URL,
// AUTH_JWT_SECRET, BARE_PORT, DATABASE_POOL_SIZE from the environment).
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { API, env, measure, pg, waitReady, withCpu } from './common.mjs';
import { seedTransfers } from './transfers.mjs';

const BARE_PORT = '3902';
const BEFORE_PORT = '3903';
const OPENING_PORT = '3904';

// ---------------------------------------------------------------------------------------------
// The server

const PRACTITIONER = {
  name: 'bare_practitioner',
  text: `SELECT p.id, p.role, p.team_id, t.area_id, p.active FROM practitioners p LEFT JOIN teams t ON t.id = p.team_id
         WHERE lower(p.email) = $1`,
};

const agg = (select, from, order) => `coalesce((SELECT json_agg(${select} ORDER BY ${order}) ${from}), '[]'::json)`;
const TRANSFER = {
  name: 'bare_transfer',
  text: `SELECT t.id, t.reference, t.status, t.version, t.round, t.involvement, t.move_date AS "moveDate", t.move_type AS "moveType",
      t.reason, t.previous_address_area AS "previousAddressArea", t.new_address AS "newAddress",
      t.left_support_network AS "leftSupportNetwork", t.support_network_note AS "supportNetworkNote",
      t.household_confirmed AS "householdConfirmed", t.no_male_carer_reason AS "noMaleCarerReason",
      json_build_object('area', sa.code, 'teamId', t.sending_team_id, 'teamName', st.name) AS sending,
      json_build_object('area', ra.code, 'teamId', t.receiving_team_id, 'teamName', rt.name) AS receiving,
      json_build_object('id', ap.id, 'name', ap.name, 'teamId', ap.team_id) AS "accountablePractitioner",
      ${agg(
        `json_build_object('id', m.id, 'ref', m.ref, 'role', m.role, 'givenName', m.given_name, 'familyName', m.family_name,
          'dateOfBirth', m.date_of_birth, 'sex', m.sex, 'nhsNumber', m.nhs_number, 'livesInHousehold', m.lives_in_household,
          'mobility', m.mobility, 'engaged', m.engaged, 'riskFactors', m.risk_factors,
          'gp', json_build_object('status', m.gp_status, 'practiceOds', m.gp_practice_ods, 'practiceName', m.gp_practice_name),
          'involvements', ${agg(
            `json_build_object('agency', i.agency, 'area', i.area, 'detail', i.detail)`,
            'FROM member_involvements i WHERE i.transfer_id = m.transfer_id AND i.member_id = m.id',
            'i.position',
          )})`,
        'FROM household_members m WHERE m.transfer_id = t.id',
        'm.position',
      )} AS household,
      ${agg(`to_json(c)`, 'FROM concerns c WHERE c.transfer_id = t.id', 'c.position')} AS concerns,
      ${agg(`to_json(a)`, 'FROM appointments a WHERE a.transfer_id = t.id', 'a.position')} AS appointments,
      ${agg(
        `json_build_object('contact', to_json(c), 'agreedActions', ${agg(
          'to_json(aa)',
          'FROM agreed_actions aa WHERE aa.direct_contact_id = c.id',
          'aa.position',
        )})`,
        'FROM direct_contacts c WHERE c.transfer_id = t.id AND c.round = t.round',
        'c.recorded_at, c.id',
      )} AS contacts,
      ${agg('to_json(fa)', 'FROM flag_acknowledgements fa WHERE fa.transfer_id = t.id AND fa.round = t.round', 'fa.acknowledged_at')} AS acknowledgements,
      (SELECT json_build_object('version', pk.version, 'sha256', pk.sha256, 'generatedAt', pk.generated_at)
         FROM packets pk WHERE pk.transfer_id = t.id ORDER BY pk.version DESC LIMIT 1) AS "latestPacket",
      t.risk_flags AS "riskFlags", t.contact_due_at AS "contactDueAt", t.created_at AS "createdAt", t.updated_at AS "updatedAt",
      t.initiated_at AS "initiatedAt", t.accepted_at AS "acceptedAt", t.returned_at AS "returnedAt", t.return_reason AS "returnReason",
      t.cancelled_at AS "cancelledAt", t.cancel_reason AS "cancelReason", t.closed_at AS "closedAt",
      k.kek_id AS "kekId", k.wrapped_key AS "wrappedKey"
    FROM transfers t
    JOIN teams st ON st.id = t.sending_team_id JOIN areas sa ON sa.id = t.sending_area_id
    JOIN teams rt ON rt.id = t.receiving_team_id JOIN areas ra ON ra.id = t.receiving_area_id
    JOIN practitioners ap ON ap.id = t.accountable_practitioner_id
    LEFT JOIN transfer_keys k ON k.transfer_id = t.id
    WHERE t.id = $1 AND (
      t.sending_team_id = $2 OR (t.receiving_team_id = $2 AND t.initiated_at IS NOT NULL)
      OR t.sending_area_id = $3 OR (t.receiving_area_id = $3 AND t.initiated_at IS NOT NULL))`,
};

const AUDIT = {
  name: 'bare_audit',
  text: `INSERT INTO audit_events (actor_id, action, entity_type, entity_id, transfer_id, outcome, request_id, details)
         VALUES ($1, 'transfer.view', 'transfer', $2::text, $2::text::uuid, 'succeeded', $3, '{}'::jsonb)`,
};

// ---------------------------------------------------------------------------------------------
// BARE_OPEN=1: the same server, and it also opens the sealed fields (the family's names, dates of
// birth, NHS numbers, the address, the free text: AES-256-GCM under each transfer's data key, itself
// wrapped by a key of the ring) — work the service cannot skip since the data is encrypted at rest,
// and the bare server above does not do (it answers the ciphertext). It uses the service's own
// cipher (node:crypto, no framework) and the development key ring the benchmark API runs with.

/** The table each nested JSON array or object of the row comes from (to name the AAD's column). */
const TABLE_OF = {
  household: 'household_members',
  involvements: 'member_involvements',
  concerns: 'concerns',
  contact: 'direct_contacts',
  agreedActions: 'agreed_actions',
  acknowledgements: 'flag_acknowledgements',
};
const JSON_COLUMNS = new Set([
  'transfers.new_address',
  'direct_contacts.flag_acknowledgements',
  'flag_acknowledgements.protocol_actions',
]);
const snake = (key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Opens, in place, every sealed text of `value` (a row of `table`, or an array of them). */
function openSealed(cipher, value, table) {
  if (Array.isArray(value)) {
    for (const item of value) openSealed(cipher, item, table);
    return;
  }
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' && field.startsWith('fh1:')) {
      const column = `${table}.${snake(key)}`;
      const text = cipher.open(column, field);
      value[key] = JSON_COLUMNS.has(column) ? JSON.parse(text) : text;
    } else if (field !== null && typeof field === 'object' && TABLE_OF[key]) {
      openSealed(cipher, field, TABLE_OF[key]);
    } else if (field !== null && typeof field === 'object' && key === 'contacts') {
      openSealed(cipher, field, 'transfers');
    }
  }
}

async function opener() {
  if (!process.env.BARE_OPEN) return null;
  const dist = new URL('../../dist/libs/', import.meta.url);
  const { TransferCipher } = await import(new URL('persistence/src/crypto/cipher.js', dist).href);
  const { unwrapDataKey } = await import(new URL('persistence/src/crypto/transfer-keys.repository.js', dist).href);
  const { developmentKeyRing } = await import(new URL('config/src/config.js', dist).href);
  const ring = developmentKeyRing();
  return (row) => {
    const { kekId, wrappedKey, ...shown } = row;
    openSealed(new TransferCipher(row.id, unwrapDataKey(ring, row.id, kekId, wrappedKey)), shown, 'transfers');
    return shown;
  };
}

async function serve() {
  const open = await opener();
  const { default: Fastify } = await import('fastify');
  const { jwtVerify } = await import('jose');
  const { randomUUID } = await import('node:crypto');
  const key = new TextEncoder().encode(process.env.AUTH_JWT_SECRET);
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 20),
  });
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ ok: true }));
  app.get('/v1/transfers/:id', async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
    let email;
    try {
      const { payload } = await jwtVerify(match[1], key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: 43_200,
      });
      email = String(payload.email).toLowerCase();
    } catch {
      return reply.code(401).send({ code: 'UNAUTHENTICATED' });
    }
    const client = await pool.connect();
    try {
      const [actor] = (await client.query({ ...PRACTITIONER, values: [email] })).rows;
      if (!actor?.active) return reply.code(403).send({ code: 'FORBIDDEN' });
      const area = actor.role === 'safeguarding_lead' ? actor.area_id : null;
      await client.query('BEGIN');
      const [row] = (await client.query({ ...TRANSFER, values: [request.params.id, actor.team_id, area] })).rows;
      if (!row) {
        await client.query('ROLLBACK');
        return reply.code(404).send({ code: 'NOT_FOUND' });
      }
      await client.query({ ...AUDIT, values: [actor.id, row.id, randomUUID()] });
      await client.query('COMMIT');
      if (open) return open(row);
      const { kekId: _k, wrappedKey: _w, ...shown } = row;
      return shown;
    } finally {
      client.release();
    }
  });
  await app.listen({ port: Number(process.env.BARE_PORT), host: '127.0.0.1' });
}

// ---------------------------------------------------------------------------------------------
// The comparison

function startProcess(script, extraEnv, cwd) {
  const child = spawn(process.execPath, script, {
    env: { ...env, ...extraEnv },
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    child,
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))),
  };
}

const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load average:\s*/, 'load ');

/** GET /v1/transfers/:id: the service, the bare server (and an earlier build), 3 rounds in one run. */
export async function benchTransfersBare() {
  const before = process.env.BENCH_BEFORE_DIST;
  if (before && !existsSync(`${before}/apps/api/src/main.js`))
    throw new Error(`BENCH_BEFORE_DIST=${before} has no apps/api/src/main.js (build it: npm run build at that commit)`);
  const { api, ids, total, reader } = await seedTransfers();
  const servers = [{ name: 'service (this build)', url: API, pid: api.child.pid }];
  const bare = startProcess(['scripts/bench/bare.mjs', 'serve'], { BARE_PORT });
  const opening = startProcess(['scripts/bench/bare.mjs', 'serve'], { BARE_PORT: OPENING_PORT, BARE_OPEN: '1' });
  const earlier = before ? startProcess([`${before}/apps/api/src/main.js`], { PORT: BEFORE_PORT }) : null;
  const bareServers = [
    { name: 'bare Fastify + pg, prepared', url: `http://127.0.0.1:${BARE_PORT}`, pid: bare.child.pid },
    {
      name: 'bare, opening the sealed fields too',
      url: `http://127.0.0.1:${OPENING_PORT}`,
      pid: opening.child.pid,
    },
  ];
  servers.push(...bareServers);
  if (earlier)
    servers.unshift({
      name: `service before (${before})`,
      url: `http://127.0.0.1:${BEFORE_PORT}`,
      pid: earlier.child.pid,
    });
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const loadAtStart = load();
  const rows = [];
  const rps = Object.fromEntries(servers.map((s) => [s.name, []]));
  const cpu = Object.fromEntries(servers.map((s) => [s.name, []]));
  try {
    for (const b of bareServers) await waitReady(`${b.url}/health`);
    if (earlier) await waitReady(`http://127.0.0.1:${BEFORE_PORT}/health/ready`);
    const reads = (server, extra) => {
      let next = 0;
      return {
        url: server.url,
        headers: { authorization: `Bearer ${reader}` },
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/transfers/${ids[next++ % ids.length]}` }) },
        ],
        ...extra,
      };
    };
    // Each server first serves 5 s unrecorded, so every round measures code the JIT has compiled
    // and pools already connected (round 1 otherwise charges the service for its larger warm-up).
    for (const server of servers) await measure(`warm-up: ${server.name}`, reads(server, { duration: 5 }));
    for (let round = 1; round <= 3; round++) {
      for (const server of servers) {
        const { row, nodeMs, pgMs } = await withCpu(server.pid, db, () =>
          measure(`round ${round}: ${server.name}`, reads(server)),
        );
        rps[server.name].push(row.rps);
        cpu[server.name].push(nodeMs + pgMs);
        rows.push([
          row.title,
          `${row.connections} × ${row.duration}`,
          row.requests,
          row.rps,
          row.p50,
          row.p95,
          row.p99,
          nodeMs.toFixed(2),
          pgMs.toFixed(2),
        ]);
      }
    }
  } finally {
    await db.end();
    await bare.stop();
    await opening.stop();
    await earlier?.stop();
    await api.stop();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratios = servers
    .slice(0, -bareServers.length)
    .flatMap((s) =>
      bareServers.map(({ name: bareName }) => {
        const perRound = rps[s.name].map((v, i) => (v / rps[bareName][i]).toFixed(2));
        const cpuRatio = median(cpu[bareName]) / median(cpu[s.name]);
        return `${s.name} against ${bareName}: median ${median(rps[s.name])} req/s against ${median(rps[bareName])}, ratio per round ${perRound.join(' / ')} (median **${(median(rps[s.name]) / median(rps[bareName])).toFixed(2)}×**); CPU per request (Node + PostgreSQL) ${median(cpu[s.name]).toFixed(2)} ms against ${median(cpu[bareName]).toFixed(2)} ms, so **${cpuRatio.toFixed(2)}×** its requests per CPU second`;
      }),
    )
    .join('; ');
  return {
    id: 'transfers-bare',
    heading: `GET /v1/transfers/:id against a bare Fastify + pg server, ${total.toLocaleString('en-GB')} transfers (issue 11 item 7)`,
    columns: [
      'what',
      'connections × seconds',
      'requests',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'server CPU ms/req',
      'PostgreSQL CPU ms/req',
    ],
    rows,
    notes: `${ratios}. After 5 s of unrecorded warm-up each, every round measures every server in turn for 15 s at 10 connections, with the same JWT (a practitioner of the receiving team) and the same random sequence of 2,000 ids. The bare server answers the sealed fields as stored (ciphertext); its second instance (BARE_OPEN=1) also opens them with the service's own cipher, as the service must, so the two bare rows bracket the floor. Machine load (uptime) at the start: ${loadAtStart}; at the end: ${load()} — compare the ratios measured side by side rather than absolute figures; CPU per request (the server process and every PostgreSQL backend of the benchmark database, from /proc, over each 15 s window) depends far less on what else the machine runs than req/s does. Command: \`npm run bench -- transfers-bare\` (with \`BENCH_BEFORE_DIST=/path/to/dist\` to include an earlier build).`,
  };
}

if (process.argv[2] === 'serve') await serve();

// `npm run demo`: the whole service on this machine with demo data. Builds, migrates a demo
// database, seeds Birmingham → Sandwell, starts a mail catcher (unless SMTP_URL is set), the API,
// the worker, the development identity provider and the console, then prints the console's URL,
// the people to sign in as, and a curl token for each.
import { spawn, spawnSync } from 'node:child_process';
import pg from 'pg';
import { startMailCatcher } from './mail-catcher.mjs';

const env = { ...process.env };
const set = (name, value) => {
  if (!env[name]) env[name] = value;
};
set('DEMO_DATABASE', 'family_handover_demo');
// Two roles, as in production: migrations run as the tables' owner (the local superuser), the apps as
// a LOGIN role the migrate command creates, which cannot alter, update or delete the audit trail or a
// packet. A DATABASE_URL of your own (without MIGRATION_DATABASE_URL) is used for both.
if (!env.DATABASE_URL) {
  set('MIGRATION_DATABASE_URL', `postgres://postgres@127.0.0.1:5432/${env.DEMO_DATABASE}`);
  env.DATABASE_URL = `postgres://family_handover_demo_app:demo-only-app-password@127.0.0.1:5432/${env.DEMO_DATABASE}`;
}
set('MIGRATION_DATABASE_URL', env.DATABASE_URL);
set('REDIS_URL', 'redis://127.0.0.1:6379');
set('PORT', '3000');
set('WORKER_PORT', '3001');
set('WEB_PORT', '3002');
set('IDP_PORT', '3003');
set('MAIL_UI_PORT', '1080');
set('WEB_BASE_URL', `http://127.0.0.1:${env.WEB_PORT}`);
set('API_URL', `http://127.0.0.1:${env.PORT}`);
// The development identity provider signs the console's users in; the API trusts its JWKS.
set('OIDC_ISSUER_URL', `http://127.0.0.1:${env.IDP_PORT}`);
set('OIDC_CLIENT_ID', 'family-handover-console');
set('OIDC_CLIENT_SECRET', 'demo-only-console-secret-0123456789');
set('OIDC_API_AUDIENCE', 'urn:family-handover:api');
set(
  'AUTH_ISSUERS',
  JSON.stringify([
    {
      issuer: env.OIDC_ISSUER_URL,
      audience: env.OIDC_API_AUDIENCE,
      jwksUrl: `${env.OIDC_ISSUER_URL}/jwks`,
      name: 'Development identity provider',
    },
  ]),
);
set('APP_BASE_URL', `http://127.0.0.1:${env.PORT}`);
set('MAIL_FROM', 'family-handover@demo.local');
set('QUEUE_PREFIX', 'fh-demo');
set('BOOTSTRAP_ADMIN_EMAIL', 'admin@demo.local');
set('CHASE_SWEEP_SECONDS', '15');
if (!env.AUTH_JWKS_URL) set('AUTH_JWT_SECRET', 'demo-only-secret-do-not-use-in-production-000');

const step = (title) => console.log(`\n▶ ${title}`);
// The apps never get the owner's URL: only the migrate command does.
const appEnv = () => {
  const { MIGRATION_DATABASE_URL: _owner, ...rest } = env;
  return rest;
};
const run = (args, runEnv = appEnv()) => {
  const result = spawnSync(process.execPath, args, {
    env: runEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    console.error(`failed: node ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
};

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/**
 * The review's family with invented names: a 4-month-old with a fading bruise and no GP, an older
 * sibling also not brought to appointments, a father with offending and probation in London who
 * is unknown to health, a mother whose vulnerability was noted, and a move away from the
 * maternal grandparents. Created and initiated through the API as the Birmingham health visitor.
 */
async function seedExampleFamily(api, tokenOf) {
  const sender = 'hana.begum@birmingham.demo';
  const call = async (method, path, body) => {
    const response = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokenOf(sender)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const existing = (await call('GET', '/v1/transfers?direction=outgoing')).items;
  if (existing.length) {
    const first = existing.at(-1);
    return first.status === 'draft' ? call('POST', `/v1/transfers/${first.id}/initiate`) : first;
  }
  const teams = await call('GET', '/v1/teams?area=sandwell');
  const receiving = teams.find((t) => t.service === 'health_visiting');
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const created = await call('POST', '/v1/transfers', {
    receivingTeamId: receiving.id,
    involvement: 'child_in_need',
    moveDate: day(-9),
    moveType: 'permanent',
    reason: 'Family moved to live near the father’s relatives',
    previousAddressArea: 'birmingham',
    newAddress: { line1: '4 Example Terrace', town: 'West Bromwich', postcode: 'B70 0AA' },
    leftSupportNetwork: true,
    supportNetworkNote: 'lived with the maternal grandparents, who gave daily help with the children',
    householdConfirmed: true,
    // Issue 13 item 4: the lawful basis for sharing and the family told.
    sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: day(-12) },
    familyInformed: { on: day(-12) },
    household: [
      {
        ref: 'baby',
        role: 'child',
        givenName: 'Rosa',
        familyName: 'Example',
        dateOfBirth: day(-122),
        sex: 'female',
        mobility: 'non_mobile',
        gp: { status: 'not_registered' },
      },
      {
        ref: 'sibling',
        role: 'child',
        givenName: 'Sid',
        familyName: 'Example',
        dateOfBirth: day(-760),
        sex: 'male',
        mobility: 'mobile',
        gp: { status: 'registered', practiceOds: 'M85001', practiceName: 'Example Surgery' },
      },
      {
        ref: 'mother',
        role: 'mother',
        givenName: 'Mia',
        familyName: 'Example',
        dateOfBirth: '2001-05-01',
        sex: 'female',
        engaged: true,
        gp: { status: 'registered' },
        riskFactors: ['mental_health'],
      },
      {
        ref: 'father',
        role: 'father',
        givenName: 'Dan',
        familyName: 'Sample',
        dateOfBirth: '1996-02-11',
        sex: 'male',
        engaged: false,
        gp: { status: 'unknown' },
        riskFactors: ['offending', 'substance_misuse'],
        involvements: [
          { agency: 'probation', area: 'london', detail: 'community order; not engaging' },
          { agency: 'crc', area: 'birmingham', detail: 'order not served' },
        ],
      },
    ],
    concerns: [
      {
        memberRef: 'baby',
        type: 'bruising',
        observedOn: day(-13),
        description: 'fading bruise on the cheek; mother’s explanation accepted',
        safeguardingAdviceSought: false,
      },
      {
        memberRef: 'baby',
        type: 'weight_faltering',
        observedOn: day(-30),
        description: 'slow weight gain',
        safeguardingAdviceSought: false,
      },
    ],
    appointments: [
      {
        memberRef: 'baby',
        kind: 'health_visitor_review',
        provider: 'Birmingham Community Healthcare',
        dueOn: day(-20),
        status: 'was_not_brought',
      },
      {
        memberRef: 'baby',
        kind: 'immunisation',
        provider: 'Birmingham Community Healthcare',
        dueOn: day(-12),
        status: 'was_not_brought',
      },
      {
        memberRef: 'sibling',
        kind: 'immunisation',
        provider: 'Example Surgery',
        dueOn: day(-40),
        status: 'was_not_brought',
      },
    ],
  });
  return call('POST', `/v1/transfers/${created.id}/initiate`);
}

async function waitReady(url, seconds = 60) {
  for (let i = 0; i < seconds * 4; i++) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become ready`);
}

step('building');
const build = spawnSync('npm', ['run', '--silent', 'build'], { env, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let mail = null;
if (!env.SMTP_URL) {
  step('starting the mail catcher');
  mail = await startMailCatcher({ httpPort: Number(env.MAIL_UI_PORT) });
  env.SMTP_URL = mail.smtpUrl;
}

step(`preparing the database ${new URL(env.MIGRATION_DATABASE_URL).pathname.slice(1)}`);
await ensureDatabase(env.MIGRATION_DATABASE_URL);
process.stdout.write(run(['dist/apps/api/src/cli.js', 'migrate'], env));

step('seeding Birmingham → Sandwell');
const seeded = JSON.parse(run(['dist/apps/api/src/cli.js', 'seed-demo']).trim().split('\n').pop());

step('starting the API, the worker, the identity provider and the console');
for (const port of [env.PORT, env.WORKER_PORT, env.WEB_PORT, env.IDP_PORT]) {
  const busy = await fetch(`http://127.0.0.1:${port}/health/live`).then(
    () => true,
    () => false,
  );
  if (busy) {
    console.error(
      `port ${port} is already in use (another demo still running?). Stop it, or set PORT / WORKER_PORT / WEB_PORT / IDP_PORT.`,
    );
    process.exit(1);
  }
}
const children = [
  spawn(process.execPath, ['dist/apps/api/src/main.js'], { env: appEnv(), stdio: ['ignore', 'ignore', 'inherit'] }),
  spawn(process.execPath, ['dist/apps/worker/src/main.js'], { env: appEnv(), stdio: ['ignore', 'ignore', 'inherit'] }),
  spawn(process.execPath, ['dist/apps/dev-idp/src/main.js'], { env: appEnv(), stdio: ['ignore', 'ignore', 'ignore'] }),
  spawn(process.execPath, ['dist/apps/web/src/main.js'], { env: appEnv(), stdio: ['ignore', 'ignore', 'inherit'] }),
];
let stopping = false;
const stop = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
  await mail?.close();
  process.exit(code);
};
for (const child of children) {
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`a service stopped unexpectedly (exit ${code}); shutting down`);
      void stop(1);
    }
  });
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const api = `http://127.0.0.1:${env.PORT}`;
let example;
try {
  await waitReady(`${api}/health/ready`);
  await waitReady(`http://127.0.0.1:${env.WORKER_PORT}/health/ready`);
  await waitReady(`${env.OIDC_ISSUER_URL}/.well-known/openid-configuration`);
  await waitReady(`${env.WEB_BASE_URL}/health/live`);
  step('seeding the example family (Birmingham → Sandwell, awaiting direct contact)');
  const tokenOf = (email) => seeded.people.find((p) => p.email === email).token;
  example = await seedExampleFamily(api, tokenOf);
} catch (error) {
  console.error(`demo failed: ${error.message}`);
  await stop(1);
}

console.log(`
Family Handover is running.

  Console  ${env.WEB_BASE_URL}
           sign in with one of the email addresses below (development identity provider, no password)

  API            ${api}            (ready: ${api}/health/ready)
  API docs       ${api}/docs
  Worker health  http://127.0.0.1:${env.WORKER_PORT}/health/ready
  Mail           ${mail ? mail.webUrl + '   (every email the service sends lands here)' : env.SMTP_URL}

The demo people: sign in to the console as any of them; under each, a token for curl (valid for one hour;
\`npm run token -- <email>\` makes another with the same environment), named as in README's curl walk-through:
`);
// Each person once: the shell variable is their first name (HANA=…, HARRIET=…, LENA=…), ready to paste.
const tokenName = (email) =>
  email
    .split(/[.@]/)[0]
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
for (const p of seeded.people) {
  console.log(`  ${p.role.padEnd(18)} ${p.email.padEnd(30)} ${p.team}`);
  console.log(`  ${tokenName(p.email)}=${p.token}\n`);
}
console.log(`Example family: ${example.reference} (id ${example.id}), ${example.status.replace(/_/g, ' ')}.
Walk it through in the console (${env.WEB_BASE_URL}) or with curl: see README → "Walk the example family through".

Try:  curl -H "Authorization: Bearer $HARRIET" ${api}/v1/teams?area=sandwell\n\nPress Ctrl-C to stop.`);
if (process.env.DEMO_EXIT_WHEN_READY === '1') await stop(0);

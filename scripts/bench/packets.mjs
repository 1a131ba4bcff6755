// Handover packets generated per second, for a household of 8 with 20 appointments: the packet
// work alone (snapshot, canonical JSON, SHA-256, PDF), the processor's whole job in-process (lock,
// load, snapshot, hash, PDF, insert, audit, commit), and the real worker fed through the outbox.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { API, apiCall, cloneTransfer, env, pg, prepareDirectory, startApi, startWorker, waitReady } from './common.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(new URL(`../../dist/${path}`, import.meta.url).pathname);

const PER_ROW = 300;

/** Eight people — three children, both parents, a grandmother, an adult sister, an uncle — and 20 appointments. */
function family(receivingTeamId) {
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const kinds = ['health_visitor_review', 'immunisation', 'weight_review', 'hearing_screen', 'developmental_review'];
  const children = ['baby', 'toddler', 'schoolchild'];
  return {
    receivingTeamId,
    involvement: 'child_in_need',
    moveDate: day(-9),
    moveType: 'permanent',
    reason: 'Family moved to live near the father’s relatives',
    previousAddressArea: 'birmingham',
    newAddress: { line1: '8 Benchmark Road', town: 'West Bromwich', postcode: 'B70 0AA' },
    leftSupportNetwork: true,
    supportNetworkNote: 'lived next door to the maternal grandparents, who gave daily help',
    householdConfirmed: true,
    // Issue 13 item 4: the lawful basis for sharing and the family told.
    sharingBasis: { basis: 'consent', givenBy: 'the mother', givenOn: day(-12) },
    familyInformed: { on: day(-12) },
    household: [
      {
        ref: 'baby',
        role: 'child',
        givenName: 'Ava',
        familyName: 'Bench',
        dateOfBirth: day(-120),
        sex: 'female',
        mobility: 'non_mobile',
        gp: { status: 'not_registered' },
      },
      {
        ref: 'toddler',
        role: 'child',
        givenName: 'Ben',
        familyName: 'Bench',
        dateOfBirth: day(-700),
        sex: 'male',
        mobility: 'mobile',
        nhsNumber: '9434765919',
        gp: { status: 'registered', practiceOds: 'M85001', practiceName: 'Bench Surgery' },
      },
      {
        ref: 'schoolchild',
        role: 'child',
        givenName: 'Cara',
        familyName: 'Bench',
        dateOfBirth: day(-2600),
        sex: 'female',
        mobility: 'mobile',
        gp: { status: 'unknown' },
      },
      {
        ref: 'mother',
        role: 'mother',
        givenName: 'Dee',
        familyName: 'Bench',
        dateOfBirth: '1997-04-02',
        sex: 'female',
        engaged: true,
        gp: { status: 'registered' },
        riskFactors: ['mental_health'],
        involvements: [{ agency: 'cmht', area: 'birmingham', detail: 'care coordinator' }],
      },
      {
        ref: 'father',
        role: 'father',
        givenName: 'Eli',
        familyName: 'Sample',
        dateOfBirth: '1993-09-30',
        sex: 'male',
        engaged: false,
        gp: { status: 'unknown' },
        riskFactors: ['offending', 'substance_misuse'],
        involvements: [
          { agency: 'probation', area: 'london', detail: 'community order; not engaging' },
          { agency: 'crc', area: 'birmingham', detail: 'order not served' },
        ],
      },
      {
        ref: 'gran',
        role: 'grandparent',
        givenName: 'Fay',
        familyName: 'Bench',
        dateOfBirth: '1968-01-15',
        sex: 'female',
        engaged: true,
        gp: { status: 'registered' },
      },
      {
        ref: 'aunt',
        role: 'sibling_adult',
        givenName: 'Gia',
        familyName: 'Bench',
        dateOfBirth: '2003-06-06',
        sex: 'female',
        engaged: null,
        gp: { status: 'registered' },
      },
      {
        ref: 'uncle',
        role: 'other_adult',
        givenName: 'Hal',
        familyName: 'Bench',
        dateOfBirth: '1990-12-12',
        sex: 'male',
        engaged: false,
        gp: { status: 'unknown' },
        riskFactors: ['domestic_abuse'],
        involvements: [{ agency: 'police', area: 'sandwell', detail: 'MARAC referral' }],
      },
    ],
    concerns: [
      {
        memberRef: 'baby',
        type: 'bruising',
        observedOn: day(-13),
        description: 'fading bruise on the cheek',
        safeguardingAdviceSought: false,
      },
      {
        memberRef: 'baby',
        type: 'weight_faltering',
        observedOn: day(-30),
        description: 'slow weight gain',
        safeguardingAdviceSought: false,
      },
      {
        memberRef: 'mother',
        type: 'parental_vulnerability',
        observedOn: day(-200),
        description: 'low mood after the birth',
        safeguardingAdviceSought: true,
      },
      {
        memberRef: 'toddler',
        type: 'neglect',
        observedOn: day(-60),
        description: 'unwashed, hungry at nursery',
        safeguardingAdviceSought: true,
      },
    ],
    appointments: Array.from({ length: 20 }, (_, i) => ({
      memberRef: children[i % 3],
      kind: kinds[i % kinds.length],
      provider: i % 2 ? 'Birmingham Community Healthcare' : 'Bench Surgery',
      dueOn: day(-100 + i * 6),
      status: i % 3 === 0 ? 'was_not_brought' : i < 14 ? 'attended' : i % 2 ? 'scheduled' : 'cancelled',
    })),
  };
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const ms = (v) => (v < 10 ? v.toFixed(1) : String(Math.round(v)));

function row(what, latencies, seconds) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return [
    what,
    sorted.length,
    Math.round(sorted.length / seconds),
    ms(percentile(sorted, 50)),
    ms(percentile(sorted, 99)),
  ];
}

export async function benchPackets() {
  const token = await prepareDirectory();
  const api = startApi();
  let worker = null;
  const { createDataSource, loadTransfer } = dist('libs/persistence/src/index.js');
  const { buildPacket, renderPacketPdf, sealed } = dist('libs/packet/src/index.js');
  const { PacketGenerator } = dist('apps/worker/src/packets/packet-generator.service.js');
  const dataSource = createDataSource({ databaseUrl: env.DATABASE_URL, databasePoolSize: 4 });
  const db = new pg.Client({ connectionString: env.DATABASE_URL });
  try {
    await waitReady(`${API}/health/ready`);
    const hana = token('hana.begum@birmingham.demo');
    const teams = await apiCall(hana, 'GET', '/v1/teams?area=sandwell');
    const source = await apiCall(
      hana,
      'POST',
      '/v1/transfers',
      family(teams.find((t) => t.service === 'health_visiting').id),
    );
    await apiCall(hana, 'POST', `/v1/transfers/${source.id}/initiate`);
    await db.connect();
    const [direct, viaWorker] = [
      await cloneTransfer(db, source.id, PER_ROW),
      await cloneTransfer(db, source.id, PER_ROW),
    ];
    await dataSource.initialize();

    // 1. The packet work alone, on one loaded record: snapshot + canonical JSON + SHA-256 + PDF.
    const record = await loadTransfer(dataSource.manager, source.id);
    const size = { members: record.members.length, appointments: record.appointments.length };
    if (size.members !== 8 || size.appointments !== 20) throw new Error(`benchmark family is ${JSON.stringify(size)}`);
    let pdfBytes = 0;
    let pages = 0;
    for (let i = 0; i < 20; i++)
      await renderPacketPdf(buildPacket(record), {
        version: 1,
        sha256: sealed(buildPacket(record)).sha256,
        generatedAt: new Date(),
      });
    const pure = [];
    let started = performance.now();
    for (let i = 0; i < PER_ROW; i++) {
      const t0 = performance.now();
      const document = buildPacket(record);
      const { sha256 } = sealed(document);
      const pdf = await renderPacketPdf(document, { version: 1, sha256, generatedAt: new Date() });
      pdfBytes = pdf.length;
      pages = pdf.toString('latin1').match(/\/Type \/Page[^s]/g)?.length ?? 0;
      pure.push(performance.now() - t0);
    }
    const pureSeconds = (performance.now() - started) / 1000;

    // 2. The processor's whole job, one at a time: lock, load, snapshot, hash, PDF, insert + audit, commit.
    const generator = new PacketGenerator(dataSource, { now: () => new Date() });
    const inProcess = [];
    started = performance.now();
    for (const id of direct) {
      const t0 = performance.now();
      const result = await generator.generate(id, randomUUID());
      if (result.outcome !== 'created') throw new Error(`expected a new packet, got ${JSON.stringify(result)}`);
      inProcess.push(performance.now() - t0);
    }
    const inProcessSeconds = (performance.now() - started) / 1000;

    // 3. The real worker (concurrency 4), fed through the outbox: relay → BullMQ → processor.
    worker = startWorker();
    await waitReady(`http://127.0.0.1:${env.WORKER_PORT}/health/ready`);
    await db.query(
      `INSERT INTO outbox (job_name, payload) SELECT 'packet.generate', jsonb_build_object('transferId', id) FROM unnest($1::uuid[]) AS id`,
      [viaWorker],
    );
    const deadline = Date.now() + 180_000;
    let done = 0;
    while (done < PER_ROW && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      done = (await db.query(`SELECT count(*)::int AS n FROM packets WHERE transfer_id = ANY($1::uuid[])`, [viaWorker]))
        .rows[0].n;
    }
    if (done < PER_ROW) throw new Error(`the worker generated only ${done} of ${PER_ROW} packets`);
    const timing = (
      await db.query(
        `SELECT extract(epoch FROM p.generated_at - o.created_at) * 1000 AS latency, extract(epoch FROM p.generated_at) AS at, extract(epoch FROM o.created_at) AS queued
         FROM packets p JOIN outbox o ON o.payload->>'transferId' = p.transfer_id::text AND o.job_name = 'packet.generate'
         WHERE p.transfer_id = ANY($1::uuid[])`,
        [viaWorker],
      )
    ).rows;
    const workerSeconds =
      Math.max(...timing.map((t) => Number(t.at))) - Math.min(...timing.map((t) => Number(t.queued)));
    const versions = (
      await db.query(`SELECT count(*)::int AS n FROM packets WHERE transfer_id = ANY($1::uuid[]) AND version <> 1`, [
        [...direct, ...viaWorker],
      ])
    ).rows[0].n;
    if (versions !== 0) throw new Error(`${versions} packets are not version 1`);

    return {
      id: 'packets',
      heading: 'Packets: generated per second, household of 8 with 20 appointments',
      columns: ['what', 'packets', 'packets/s', 'p50 ms', 'p99 ms'],
      rows: [
        row(
          'packet work alone: snapshot + canonical JSON + SHA-256 + PDF (no database), one at a time',
          pure,
          pureSeconds,
        ),
        row(
          'processor job in-process: lock + load + snapshot + SHA-256 + PDF + insert + audit + commit, one at a time',
          inProcess,
          inProcessSeconds,
        ),
        row(
          'worker end to end: outbox → relay → BullMQ → processor (concurrency 4); ms from outbox row to packet written',
          timing.map((t) => Number(t.latency)),
          workerSeconds,
        ),
      ],
      notes:
        `Each packet: ${record.members.length} people (${record.members.filter((m) => m.role === 'child').length} children), ${record.appointments.length} appointments ` +
        `(${record.appointments.filter((a) => a.status === 'was_not_brought').length} "was not brought"), ${record.concerns.length} concerns, ` +
        `${record.transfer.riskFlags.length} risk flags; the PDF is ${Math.round(pdfBytes / 1024)} KiB on ` +
        `${pages} A4 pages. Row 3 puts ${PER_ROW} outbox rows in at once and counts from the first row written to the last packet written, so it ` +
        'includes the relay’s hand-over to Redis and queueing behind the other jobs; its p50/p99 are that wait plus the work.',
    };
  } finally {
    await db.end().catch(() => undefined);
    if (dataSource.isInitialized) await dataSource.destroy();
    await Promise.all([api.stop(), worker?.stop()]);
  }
}

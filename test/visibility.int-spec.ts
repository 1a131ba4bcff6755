/**
 * "Who may see this transfer" is written once (libs/domain/src/lifecycle/visibility.ts) and
 * compiled into SQL (libs/persistence/src/visibility.ts). On real PostgreSQL, for random actors
 * (every role, with or without a team or area, consistent or not) and random transfers, the SQL
 * must select exactly the transfers the domain's canSee / monitoring scope lets the actor see.
 */
import {
  MONITORING_VIA,
  VISIBILITY,
  canSee,
  isWithin,
  monitoringScopeFor,
  visibilityFor,
  type Actor,
  type ActorRole,
  type TransferStatus,
  type VisibilityFacts,
} from '@fh/domain';
import { TRANSFER_STATUSES } from '@fh/domain';
import { createDataSource, insertRows, visibilityBranches, visibilityPredicate, type SqlParam } from '@fh/persistence';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase } from './support/database';

const AREAS = [randomUUID(), randomUUID(), randomUUID()];
/** Two teams per area. */
const TEAMS = AREAS.flatMap((areaId) => [
  { id: randomUUID(), areaId },
  { id: randomUUID(), areaId },
]);
const ROLES: ActorRole[] = ['practitioner', 'manager', 'safeguarding_lead', 'admin', 'system'];

type Row = VisibilityFacts & { id: string; status: TransferStatus };

const actorArb: fc.Arbitrary<Actor> = fc
  .record({
    role: fc.constantFrom(...ROLES),
    team: fc.option(fc.constantFrom(...TEAMS), { nil: null }),
    // Usually the team's own area; sometimes another, or none (the rule must not care how it got there).
    area: fc.oneof(
      { weight: 3, arbitrary: fc.constant('own' as const) },
      fc.option(fc.constantFrom(...AREAS), { nil: null }),
    ),
  })
  .map(({ role, team, area }) => ({
    id: randomUUID(),
    role,
    teamId: team?.id ?? null,
    areaId: area === 'own' ? (team?.areaId ?? null) : area,
  }));

/** A transfer between two different areas (as the domain guarantees), initiated or not. */
const transferArb: fc.Arbitrary<Row> = fc
  .record({
    sending: fc.constantFrom(...TEAMS),
    receiving: fc.constantFrom(...TEAMS),
    initiated: fc.boolean(),
    status: fc.constantFrom(...TRANSFER_STATUSES),
  })
  .filter(({ sending, receiving }) => sending.areaId !== receiving.areaId)
  .map(({ sending, receiving, initiated, status }) => ({
    id: randomUUID(),
    sendingTeamId: sending.id,
    sendingAreaId: sending.areaId,
    receivingTeamId: receiving.id,
    receivingAreaId: receiving.areaId,
    initiatedAt: initiated ? new Date(Date.UTC(2026, 0, 5, 9)) : null,
    status,
  }));

describe('visibility: the SQL predicate agrees with the domain', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    // As the owner: the test builds its own table of transfers (DDL).
    dataSource = createDataSource({ databaseUrl: db.ownerUrl, databasePoolSize: 2 });
    await dataSource.initialize();
    // The visibility columns with the types of the real table (the predicate reads `t.<column>`).
    await dataSource.query(
      `CREATE TABLE vis_transfers AS
       SELECT id, status, sending_team_id, sending_area_id, receiving_team_id, receiving_area_id, initiated_at FROM transfers WITH NO DATA`,
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function load(rows: Row[]): Promise<void> {
    await dataSource.query('TRUNCATE vis_transfers');
    await insertRows(
      dataSource.manager,
      'vis_transfers',
      ['id', 'status', 'sending_team_id', 'sending_area_id', 'receiving_team_id', 'receiving_area_id', 'initiated_at'],
      rows.map((r) => [
        r.id,
        r.status,
        r.sendingTeamId,
        r.sendingAreaId,
        r.receivingTeamId,
        r.receivingAreaId,
        r.initiatedAt,
      ]),
    );
  }

  /** The ids a WHERE clause built by `build` selects, sorted. */
  async function select(build: (p: SqlParam) => string): Promise<string[]> {
    const params: unknown[] = [];
    const where = build((v) => `$${params.push(v)}`);
    const rows: { id: string }[] = await dataSource.query(
      `SELECT t.id FROM vis_transfers t WHERE ${where} ORDER BY t.id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** The ids the UNION ALL (or UNION) of the branches selects (UNION ALL keeps duplicates), sorted. */
  async function selectBranches(build: (p: SqlParam) => string[][], union = 'UNION ALL'): Promise<string[]> {
    const params: unknown[] = [];
    const branches = build((v) => `$${params.push(v)}`);
    const sql = branches
      .map((b) => `SELECT t.id FROM vis_transfers t WHERE ${b.length ? b.join(' AND ') : 'true'}`)
      .join(` ${union} `);
    const rows: { id: string }[] = await dataSource.query(`SELECT id FROM (${sql}) u ORDER BY id`, params);
    return rows.map((r) => r.id);
  }

  const ids = (rows: Row[], keep: (r: Row) => boolean) =>
    rows
      .filter(keep)
      .map((r) => r.id)
      .sort();

  it('lists what canSee allows, whole and by direction, for any actor and transfers', async () => {
    let seen = 0;
    let hidden = 0;
    await fc.assert(
      fc.asyncProperty(actorArb, fc.array(transferArb, { minLength: 1, maxLength: 25 }), async (actor, rows) => {
        await load(rows);
        const expected = ids(rows, (r) => canSee(actor, r));
        seen += expected.length;
        hidden += rows.length - expected.length;
        expect(await select((p) => visibilityPredicate(visibilityFor(actor), p))).toEqual(expected);
        // The list reads one branch per condition, merged by UNION (a lead sees their team's through their area too).
        expect(await selectBranches((p) => visibilityBranches(visibilityFor(actor), p), 'UNION')).toEqual(expected);
        // A list's direction takes one side's grants; the two directions together are canSee.
        const outgoing = VISIBILITY.grants.filter((g) => g.side === 'sending');
        const incoming = VISIBILITY.grants.filter((g) => g.side === 'receiving');
        const out = await select((p) => visibilityPredicate(visibilityFor(actor, outgoing), p));
        const inc = await select((p) => visibilityPredicate(visibilityFor(actor, incoming), p));
        expect(out).toEqual(ids(rows, (r) => isWithin(visibilityFor(actor, outgoing), r)));
        expect(inc).toEqual(ids(rows, (r) => isWithin(visibilityFor(actor, incoming), r)));
        expect([...new Set([...out, ...inc])].sort()).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    // Both outcomes were really exercised.
    expect(seen).toBeGreaterThan(100);
    expect(hidden).toBeGreaterThan(100);
  });

  it('monitors what the monitoring scope allows, as one predicate and as UNION ALL branches (each transfer once)', async () => {
    let inScope = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(actorArb, fc.array(transferArb, { minLength: 1, maxLength: 25 }), async (actor, rows) => {
        const scope = monitoringScopeFor(actor);
        if (actor.role !== 'system' && MONITORING_VIA[actor.role] === null) {
          expect(scope).toBeNull();
          refused++;
          return;
        }
        expect(scope).not.toBeNull();
        await load(rows);
        const expected = ids(rows, (r) => isWithin(scope!, r));
        inScope += expected.length;
        expect(await select((p) => visibilityPredicate(scope!, p))).toEqual(expected);
        // Areas (and teams) of the two sides differ, so no transfer is read through two branches.
        expect(await selectBranches((p) => visibilityBranches(scope!, p))).toEqual(expected);
        // A manager monitors exactly what they may see.
        if (actor.role === 'manager') expect(expected).toEqual(ids(rows, (r) => canSee(actor, r)));
      }),
      { numRuns: 150 },
    );
    expect(inScope).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});

/**
 * "Who may see this transfer" in SQL, compiled from the domain's one description of the rule
 * (libs/domain/src/lifecycle/visibility.ts: VISIBILITY, resolved per actor by visibilityFor /
 * monitoringScopeFor). Lists, monitoring and single reads use these; test/visibility.int-spec.ts
 * checks on PostgreSQL that the SQL and the domain's canSee agree.
 */
import type { ActorVisibility, VisibilityFacts, VisibilityField } from '@fh/domain';
import { EntityManager } from 'typeorm';

/** Adds a bind parameter and returns its placeholder ($n). */
export type SqlParam = (value: unknown) => string;

const COLUMN: Readonly<Record<VisibilityField, string>> = {
  sendingTeamId: 'sending_team_id',
  sendingAreaId: 'sending_area_id',
  receivingTeamId: 'receiving_team_id',
  receivingAreaId: 'receiving_area_id',
};

/** The columns the rule reads, named as VisibilityFacts, from the transfers row aliased `alias`. */
export function visibilityColumns(alias = 't'): string {
  return [
    ...Object.entries(COLUMN).map(([field, column]) => `${alias}.${column} AS "${field}"`),
    `${alias}.initiated_at AS "initiatedAt"`,
  ].join(', ');
}

/**
 * The rule for one actor as alternative conjunctions, one per way of seeing: `[[]]` (one branch,
 * no condition) for everything, `[['false']]` for nothing. Each branch is index-friendly on its
 * own, for reads that take one branch at a time and merge them (UNION ALL).
 */
export function visibilityBranches(v: ActorVisibility, p: SqlParam, alias = 't'): string[][] {
  if (v.all) return [[]];
  if (v.conditions.length === 0) return [['false']];
  const placeholders = new Map<string, string>();
  const param = (value: string) => placeholders.get(value) ?? placeholders.set(value, p(value)).get(value)!;
  return v.conditions.map((c) => [
    `${alias}.${COLUMN[c.field]} = ${param(c.equals)}`,
    ...(c.initiated ? [`${alias}.initiated_at IS NOT NULL`] : []),
  ]);
}

/** The rule for one actor as one predicate over the transfers row aliased `alias`. */
export function visibilityPredicate(v: ActorVisibility, p: SqlParam, alias = 't'): string {
  if (v.all) return 'true';
  if (v.conditions.length === 0) return 'false';
  const branches = visibilityBranches(v, p, alias);
  return `(${branches.map((b) => (b.length === 1 ? b[0] : `(${b.join(' AND ')})`)).join(' OR ')})`;
}

/** The facts the rule needs about one transfer, or null when there is no such transfer. */
export async function loadVisibilityFacts(manager: EntityManager, transferId: string): Promise<VisibilityFacts | null> {
  const rows: VisibilityFacts[] = await manager.query(
    `SELECT ${visibilityColumns('t')} FROM transfers t WHERE t.id = $1`,
    [transferId],
  );
  return rows[0] ?? null;
}

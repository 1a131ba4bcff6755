import { Injectable } from '@nestjs/common';
import {
  Clock,
  isWorkingDay,
  londonDate,
  monitoringScopeFor,
  startOfLondonDay,
  UNCONFIRMED_STATUSES,
  workingDaysBetween,
} from '@fh/domain';
import type { ActorVisibility, RiskFlagCode, TransferStatus } from '@fh/domain';
import { visibilityBranches, visibilityPredicate } from '@fh/persistence';
import type { SqlParam } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext, SignedInPractitioner } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { actorOf } from '../transfers/visibility.js';
import type { SummaryQuery, UnconfirmedQuery } from './monitoring.dto.js';

const UNCONFIRMED = `t.status IN (${UNCONFIRMED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

interface UnconfirmedRow {
  id: string;
  reference: string;
  status: TransferStatus;
  sendingTeamId: string;
  receivingTeamId: string;
  initiatedAt: Date;
  contactDueAt: Date;
  criticalFlags: RiskFlagCode[];
  escalationLevel: number | null;
}

/** How long a summary may be served again before it is computed afresh (the list is always live). */
export const SUMMARY_MAX_AGE_MS = 10_000;

type Summary = Awaited<ReturnType<MonitoringService['computeSummary']>>;

/** The working-days-waiting buckets of the summary (the console draws them): from..to inclusive, the last open-ended. */
export const WAITING_BUCKETS: readonly { from: number; to: number | null }[] = [
  { from: 0, to: 0 },
  { from: 1, to: 2 },
  { from: 3, to: 5 },
  { from: 6, to: 10 },
  { from: 11, to: null },
];

/**
 * The instant before which a transfer initiated has waited at least `n` working days at `now`
 * (n ≥ 1): the start of the n-th working day counting back from today, today included if it is one.
 * `workingDaysBetween(from, now) >= n` exactly when `from` is before it.
 */
export function waitedAtLeastBefore(now: Date, n: number): Date {
  let day = londonDate(now);
  let found = 0;
  for (;;) {
    if (isWorkingDay(day) && ++found === n) return startOfLondonDay(day);
    day = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
}

/**
 * Who is in the gap between two areas right now. Managers see their team's incoming and outgoing
 * transfers, safeguarding leads their area's, admins every area; practitioners are refused.
 * Counts, references and teams only — no family data.
 */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
    private readonly clock: Clock,
  ) {}

  async unconfirmed(ctx: RequestContext, query: UnconfirmedQuery) {
    const now = this.clock.now();
    const limit = query.limit ?? 25;
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    // Conditions every row must meet, then the sides of the scope and filters: each combination
    // of sides is read through its own partial index in deadline order, and the reads merged.
    const common = [UNCONFIRMED];
    if (query.overdue === true) common.push(`t.contact_due_at < ${p(now)}`);
    if (query.overdue === false) common.push(`t.contact_due_at >= ${p(now)}`);
    if (query.cursor) {
      const [dueAt, id] = decodeCursor(query.cursor);
      common.push(`(t.contact_due_at, t.id) > (${p(dueAt)}::timestamptz, ${p(id)}::uuid)`);
    }
    const take = p(limit + 1);
    const branches = combine([scopeSides(ctx.actor, p), ...filterSides(query, p)]).map(
      (sides) =>
        `(SELECT t.id, t.reference, t.status, t.sending_team_id AS "sendingTeamId", t.receiving_team_id AS "receivingTeamId",
                 t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt", t.critical_flag_codes AS "criticalFlags"
          FROM transfers t WHERE ${[...common, ...sides].join(' AND ')}
          ORDER BY t.contact_due_at, t.id LIMIT ${take})`,
    );
    // A read and its audit event need no transaction of their own: two round trips fewer on the
    // busiest monitoring call.
    const manager = this.dataSource.manager;
    const rows: UnconfirmedRow[] = await manager.query(
      `SELECT page.*, (SELECT max(c.escalation_level) FROM chase_items c
                        WHERE c.transfer_id = page.id AND c.kind = 'direct_contact' AND c.status = 'open') AS "escalationLevel"
       FROM (SELECT * FROM (${branches.join(' UNION ALL ')}) merged ORDER BY "contactDueAt", id LIMIT ${take}) page
       ORDER BY "contactDueAt", id`,
      params,
    );
    let teams = await this.teams();
    if (rows.some((r) => !teams.has(r.sendingTeamId) || !teams.has(r.receivingTeamId))) teams = await this.teams(true);
    const page = rows.slice(0, limit);
    await this.audited.view(
      manager,
      ctx,
      { action: 'monitoring.unconfirmed', entityType: 'monitoring', entityId: null },
      {
        count: page.length,
        filters: { area: query.area ?? null, team: query.team ?? null, overdue: query.overdue ?? null },
      },
    );
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        reference: r.reference,
        status: r.status,
        sending: {
          area: teams.get(r.sendingTeamId)!.area,
          teamId: r.sendingTeamId,
          teamName: teams.get(r.sendingTeamId)!.name,
        },
        receiving: {
          area: teams.get(r.receivingTeamId)!.area,
          teamId: r.receivingTeamId,
          teamName: teams.get(r.receivingTeamId)!.name,
        },
        initiatedAt: r.initiatedAt,
        contactDueAt: r.contactDueAt,
        workingDaysWaiting: workingDaysBetween(r.initiatedAt, now),
        overdue: r.contactDueAt.getTime() < now.getTime(),
        escalationLevel: r.escalationLevel ?? 0,
        criticalFlags: r.criticalFlags,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.contactDueAt, last.id) : null,
    };
  }

  /** Team names and area codes, kept for a minute: the directory is small and rarely changes. */
  private teamCache: { at: number; teams: Promise<Map<string, { name: string; area: string }>> } | null = null;

  private teams(refresh = false): Promise<Map<string, { name: string; area: string }>> {
    const now = Date.now();
    if (refresh || !this.teamCache || now - this.teamCache.at > 60_000) {
      const teams = this.dataSource
        .query(`SELECT tm.id, tm.name, a.code AS area FROM teams tm JOIN areas a ON a.id = tm.area_id`)
        .then((rows: { id: string; name: string; area: string }[]) => new Map(rows.map((t) => [t.id, t])));
      teams.catch(() => (this.teamCache = null));
      this.teamCache = { at: now, teams };
    }
    return this.teamCache.teams;
  }

  /** Recently computed summaries by scope: a dashboard polled by many people costs one computation. */
  private readonly summaries = new Map<string, { at: number; value: Promise<Summary> }>();

  /**
   * Counts for the caller's scope. Aggregating a whole area is too heavy to repeat for every viewer,
   * so a summary is shared for up to SUMMARY_MAX_AGE_MS (its `asOf` says when it was computed).
   */
  async summary(ctx: RequestContext, query: SummaryQuery) {
    const now = this.clock.now().getTime();
    const scope =
      ctx.actor.role === 'admin'
        ? 'all'
        : ctx.actor.role === 'safeguarding_lead'
          ? `area:${ctx.actor.areaId}`
          : `team:${ctx.actor.teamId}`;
    const key = `${ctx.actor.role}|${scope}|${query.area ?? ''}`;
    let entry = this.summaries.get(key);
    if (!entry || now - entry.at >= SUMMARY_MAX_AGE_MS || now < entry.at) {
      const value = this.computeSummary(ctx, query);
      entry = { at: now, value };
      this.summaries.set(key, entry);
      value.catch(() => this.summaries.delete(key));
      if (this.summaries.size > 1_000) this.summaries.delete(this.summaries.keys().next().value!);
    }
    const summary = await entry.value;
    await this.dataSource.transaction((manager) =>
      this.audited.view(
        manager,
        ctx,
        { action: 'monitoring.summary', entityType: 'monitoring', entityId: null },
        { area: query.area ?? null, asOf: summary.asOf },
      ),
    );
    return summary;
  }

  private async computeSummary(ctx: RequestContext, query: SummaryQuery) {
    const now = this.clock.now();
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const scope = [scopeOf(ctx.actor, p), ...filters(query, p)].join(' AND ');
    const withNow = [...params, now];
    const nowParam = `$${withNow.length}`;
    return this.dataSource.transaction(async (manager) => {
      // Working days waiting, bucketed: how many waited at least each bucket's lower bound, by initiation instant.
      const thresholds = WAITING_BUCKETS.slice(1).map((b) => waitedAtLeastBefore(now, b.from));
      const bucketParams = [...params, ...thresholds];
      const atLeast: Record<string, number> = (
        await manager.query(
          `SELECT count(*)::int AS "0", ${thresholds.map((_, i) => `count(*) FILTER (WHERE t.initiated_at < $${params.length + i + 1})::int AS "${i + 1}"`).join(', ')}
           FROM transfers t WHERE ${UNCONFIRMED} AND ${scope}`,
          bucketParams,
        )
      )[0];
      const unconfirmedByWorkingDaysWaiting = WAITING_BUCKETS.map((b, i) => ({
        ...b,
        count: atLeast[String(i)] - (atLeast[String(i + 1)] ?? 0),
      }));
      const [byStatus, overdue, chase, failedEmails, oldest] = [
        await manager.query(
          `SELECT t.status, count(*)::int AS n FROM transfers t WHERE ${scope} GROUP BY t.status`,
          params,
        ),
        await manager.query(
          `SELECT count(*)::int AS n FROM transfers t WHERE ${UNCONFIRMED} AND t.contact_due_at < ${nowParam} AND ${scope}`,
          withNow,
        ),
        await manager.query(
          `SELECT c.kind, c.escalation_level AS level, count(*)::int AS n FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
           WHERE c.status = 'open' AND ${scope} GROUP BY c.kind, c.escalation_level`,
          params,
        ),
        await manager.query(
          `SELECT count(*)::int AS n FROM emails e JOIN transfers t ON t.id = e.transfer_id WHERE e.status = 'failed' AND ${scope}`,
          params,
        ),
        await manager.query(
          `SELECT t.id, t.reference, t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt" FROM transfers t
           WHERE ${UNCONFIRMED} AND ${scope} ORDER BY t.initiated_at, t.id LIMIT 1`,
          params,
        ),
      ];
      const countsByStatus = Object.fromEntries(byStatus.map((r: { status: string; n: number }) => [r.status, r.n]));
      const openChaseItems: Record<string, Record<string, number>> = {};
      for (const r of chase as { kind: string; level: number; n: number }[])
        (openChaseItems[r.kind] ??= {})[String(r.level)] = r.n;
      const first = oldest[0];
      return {
        asOf: now,
        countsByStatus,
        unconfirmed: UNCONFIRMED_STATUSES.reduce((sum, s) => sum + (countsByStatus[s] ?? 0), 0),
        unconfirmedOverdue: overdue[0].n,
        openChaseItems,
        failedEmails: failedEmails[0].n,
        unconfirmedByWorkingDaysWaiting,
        oldestUnconfirmed: first ? { ...first, workingDaysWaiting: workingDaysBetween(first.initiatedAt, now) } : null,
      };
    });
  }
}

/**
 * The caller's monitoring scope (the domain's visibility grants for their role, monitoringScopeFor)
 * as alternative sides: a transfer is in a lead's scope through its sending area, or through its
 * receiving area once initiated — never both, as the two areas differ (likewise a manager's two
 * teams). Each side is one index-friendly conjunction. Admins have one side with no condition.
 */
function scopeSides(actor: SignedInPractitioner, p: SqlParam): string[][] {
  return visibilityBranches(monitoringScope(actor), p);
}

/** The area and team filters as sides, likewise (a transfer matches each through one side only). */
function filterSides(query: { area?: string; team?: string }, p: (value: unknown) => string): string[][][] {
  const sides: string[][][] = [];
  if (query.area) {
    const area = `(SELECT id FROM areas WHERE code = ${p(query.area)})`;
    sides.push([[`t.sending_area_id = ${area}`], [`t.receiving_area_id = ${area}`]]);
  }
  if (query.team) {
    const team = p(query.team);
    sides.push([[`t.sending_team_id = ${team}`], [`t.receiving_team_id = ${team}`]]);
  }
  return sides;
}

/** Every way of choosing one side from each group: the branches to read and merge. */
function combine(groups: string[][][]): string[][] {
  return groups.reduce<string[][]>(
    (acc, group) => acc.flatMap((chosen) => group.map((side) => [...chosen, ...side])),
    [[]],
  );
}

/** What this person may monitor, as one predicate. */
function scopeOf(actor: SignedInPractitioner, p: SqlParam): string {
  return visibilityPredicate(monitoringScope(actor), p);
}

/** Plain practitioners may not monitor (403). */
function monitoringScope(actor: SignedInPractitioner): ActorVisibility {
  const scope = monitoringScopeFor(actorOf(actor));
  if (!scope) throw ApiError.forbidden('monitoring is for managers, safeguarding leads and admins');
  return scope;
}

function filters(query: { area?: string; team?: string }, p: (value: unknown) => string): string[] {
  const where: string[] = [];
  if (query.area) {
    const area = p(query.area);
    where.push(
      `(t.sending_area_id = (SELECT id FROM areas WHERE code = ${area}) OR t.receiving_area_id = (SELECT id FROM areas WHERE code = ${area}))`,
    );
  }
  if (query.team) {
    const team = p(query.team);
    where.push(`(t.sending_team_id = ${team} OR t.receiving_team_id = ${team})`);
  }
  return where;
}

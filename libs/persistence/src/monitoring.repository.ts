import { CONFERENCE_PENDING_STATUSES } from '@fh/domain';
import type { ActorVisibility, RiskFlagCode, TransferKind, TransferStatus } from '@fh/domain';
import { EntityManager } from 'typeorm';
import { prepared, runPrepared } from './prepared.js';
import { branchLimit, unconfirmedPredicate } from './sql.js';
import { visibilityBranches, visibilityPredicate } from './visibility.js';
import type { SqlParam } from './visibility.js';

/** The monitoring filters a caller may add to their scope. */
export interface MonitoringFilters {
  area?: string;
  team?: string;
}

/** One row of the unconfirmed list: references, teams and clocks — no family data. */
export interface UnconfirmedRow {
  id: string;
  reference: string;
  status: TransferStatus;
  kind: TransferKind;
  sendingTeamId: string;
  receivingTeamId: string;
  initiatedAt: Date;
  contactDueAt: Date;
  criticalFlags: RiskFlagCode[];
  escalationLevel: number | null;
}

/** One open host notification (issue 13 item 2): references, teams, clocks and the named contact — no family data. */
export interface HostNotificationRow {
  id: string;
  reference: string;
  status: TransferStatus;
  sendingTeamId: string;
  receivingTeamId: string;
  initiatedAt: Date;
  contactDueAt: Date;
  hostContactId: string | null;
  hostContactName: string | null;
  notificationAcknowledgedAt: Date | null;
}

/** A child not yet seen in the receiving area (issue 14 item 1): ids, teams and clocks — no family data. */
export interface ChildNotSeenRow {
  transferId: string;
  reference: string;
  status: TransferStatus;
  sendingTeamId: string;
  receivingTeamId: string;
  chaseItemId: string;
  memberId: string;
  moveDate: string;
  dueOn: string;
  escalationLevel: number;
  ownerId: string | null;
  ownerName: string | null;
}

/** The counts a monitoring summary is made of, for one scope. */
export interface SummaryCounts {
  /** How many unconfirmed transfers were initiated before each threshold ("0": all of them). */
  atLeast: Record<string, number>;
  byStatus: { status: string; n: number }[];
  overdue: number;
  /** Transfer-in conferences (child protection) not held by their due time, the family still between areas. */
  conferencesOverdue: number;
  chase: { kind: string; level: number; n: number }[];
  failedEmails: number;
  oldest: { id: string; reference: string; initiatedAt: Date; contactDueAt: Date } | null;
  hostNotificationsByStatus: { status: string; n: number }[];
  /** Children not yet seen in the receiving area (open child_seen items), and those past their due day. */
  childrenNotSeen: number;
  childrenNotSeenOverdue: number;
  /** Families not reached (issue 14 item 2): open routes, and those whose national alert decision is due and not recorded. */
  familiesNotReached: { total: number; alertDecisionDue: number };
}

/**
 * Reads for the monitoring endpoints. The list is a page of unconfirmed transfers in deadline order:
 * each combination of scope side and filter side is read through its own partial index in deadline
 * order and the reads merged, then the page's open direct-contact escalation is looked up.
 */
export class MonitoringRepository {
  constructor(private readonly manager: EntityManager) {}

  async unconfirmedPage(
    scope: ActorVisibility,
    filters: MonitoringFilters & { overdue?: boolean },
    now: Date,
    after: [dueAt: string, id: string] | null,
    take: number,
  ): Promise<UnconfirmedRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const common = [unconfirmedPredicate()];
    if (filters.overdue === true) common.push(`t.contact_due_at < ${p(now)}`);
    if (filters.overdue === false) common.push(`t.contact_due_at >= ${p(now)}`);
    if (after) common.push(`(t.contact_due_at, t.id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
    const limit = p(take);
    // Planning the page every call cost 0.8 ms of 1.0 on the 1,000,000-transfer data set: see branchLimit.
    const sideLimit = branchLimit(take);
    const branches = combine([visibilityBranches(scope, p), ...filterSides(filters, p)]).map(
      (sides) =>
        `(SELECT t.id, t.reference, t.status, t.kind, t.sending_team_id AS "sendingTeamId", t.receiving_team_id AS "receivingTeamId",
                 t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt", t.critical_flag_codes AS "criticalFlags"
          FROM transfers t WHERE ${[...common, ...sides].join(' AND ')}
          ORDER BY t.contact_due_at, t.id LIMIT ${sideLimit})`,
    );
    // Named: the text has a few shapes (scope side × filter side × overdue × cursor × bucket), each
    // planned once per connection.
    return runPrepared(
      this.manager,
      prepared(`SELECT page.*, (SELECT max(c.escalation_level) FROM chase_items c
                        WHERE c.transfer_id = page.id AND c.kind = 'direct_contact' AND c.status = 'open') AS "escalationLevel"
       FROM (SELECT * FROM (${branches.join(' UNION ALL ')}) merged ORDER BY "contactDueAt", id LIMIT ${limit}) page
       ORDER BY "contactDueAt", id`),
      params,
    );
  }

  /**
   * Host notifications still open (initiated, neither cancelled nor closed), oldest first: monitoring
   * lists them apart from the transfers of responsibility, since responsibility never moves.
   */
  hostNotifications(scope: ActorVisibility, filters: MonitoringFilters, take: number): Promise<HostNotificationRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [
      `t.kind = 'host_notification'`,
      `t.initiated_at IS NOT NULL`,
      `t.status NOT IN ('draft', 'cancelled', 'closed')`,
      visibilityPredicate(scope, p),
      ...filterPredicates(filters, p),
    ].join(' AND ');
    return this.manager.query(
      `SELECT t.id, t.reference, t.status, t.sending_team_id AS "sendingTeamId", t.receiving_team_id AS "receivingTeamId",
              t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt",
              t.host_contact_practitioner_id AS "hostContactId", hp.name AS "hostContactName",
              t.notification_acknowledged_at AS "notificationAcknowledgedAt"
       FROM transfers t LEFT JOIN practitioners hp ON hp.id = t.host_contact_practitioner_id
       WHERE ${where} ORDER BY t.initiated_at, t.id LIMIT ${p(take)}`,
      params,
    );
  }

  /**
   * Children not yet seen in the receiving area (issue 14 item 1): the open child_seen items of the
   * transfers in scope, most overdue first (served by chase_items_open_child_seen_idx); `overdueOn`
   * (a London date) keeps those due before it.
   */
  childrenNotSeen(
    scope: ActorVisibility,
    filters: MonitoringFilters & { overdueOn?: string },
    take: number,
  ): Promise<ChildNotSeenRow[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [
      `c.kind = 'child_seen'`,
      `c.status = 'open'`,
      `t.status NOT IN ('cancelled', 'closed')`,
      visibilityPredicate(scope, p),
      ...filterPredicates(filters, p),
      ...(filters.overdueOn ? [`c.due_on < ${p(filters.overdueOn)}::date`] : []),
    ].join(' AND ');
    return this.manager.query(
      `SELECT t.id AS "transferId", t.reference, t.status, t.sending_team_id AS "sendingTeamId", t.receiving_team_id AS "receivingTeamId",
              c.id AS "chaseItemId", c.member_id AS "memberId", to_char(t.move_date, 'YYYY-MM-DD') AS "moveDate",
              to_char(c.due_on, 'YYYY-MM-DD') AS "dueOn", c.escalation_level AS "escalationLevel",
              c.owner_id AS "ownerId", op.name AS "ownerName"
       FROM chase_items c JOIN transfers t ON t.id = c.transfer_id LEFT JOIN practitioners op ON op.id = c.owner_id
       WHERE ${where} ORDER BY c.due_on, t.reference, c.id LIMIT ${p(take)}`,
      params,
    );
  }

  /** Every team with its name and area code (the directory is small). */
  teams(): Promise<{ id: string; name: string; area: string }[]> {
    return this.manager.query(`SELECT tm.id, tm.name, a.code AS area FROM teams tm JOIN areas a ON a.id = tm.area_id`);
  }

  /** The summary's counts for the scope and filters; `thresholds` are initiation instants, in increasing age. */
  async summaryCounts(
    scope: ActorVisibility,
    filters: MonitoringFilters,
    now: Date,
    thresholds: Date[],
  ): Promise<SummaryCounts> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [visibilityPredicate(scope, p), ...filterPredicates(filters, p)].join(' AND ');
    const withNow = [...params, now];
    const nowParam = `$${withNow.length}`;
    const unconfirmed = unconfirmedPredicate();
    const atLeast: Record<string, number> = (
      await this.manager.query(
        `SELECT count(*)::int AS "0", ${thresholds.map((_, i) => `count(*) FILTER (WHERE t.initiated_at < $${params.length + i + 1})::int AS "${i + 1}"`).join(', ')}
         FROM transfers t WHERE ${unconfirmed} AND ${where}`,
        [...params, ...thresholds],
      )
    )[0];
    const byStatus = await this.manager.query(
      `SELECT t.status, count(*)::int AS n FROM transfers t WHERE ${where} GROUP BY t.status`,
      params,
    );
    const overdue = await this.manager.query(
      `SELECT count(*)::int AS n FROM transfers t WHERE ${unconfirmed} AND t.contact_due_at < ${nowParam} AND ${where}`,
      withNow,
    );
    const conferencesOverdue = await this.manager.query(
      `SELECT count(*)::int AS n FROM transfers t
       WHERE t.status IN (${CONFERENCE_PENDING_STATUSES.map((s) => `'${s}'`).join(',')})
         AND t.conference_held_on IS NULL AND t.conference_due_at < ${nowParam} AND ${where}`,
      withNow,
    );
    const chase = await this.manager.query(
      `SELECT c.kind, c.escalation_level AS level, count(*)::int AS n FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
       WHERE c.status = 'open' AND ${where} GROUP BY c.kind, c.escalation_level`,
      params,
    );
    const failedEmails = await this.manager.query(
      `SELECT count(*)::int AS n FROM emails e JOIN transfers t ON t.id = e.transfer_id WHERE e.status = 'failed' AND ${where}`,
      params,
    );
    const oldest = await this.manager.query(
      `SELECT t.id, t.reference, t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt" FROM transfers t
       WHERE ${unconfirmed} AND ${where} ORDER BY t.initiated_at, t.id LIMIT 1`,
      params,
    );
    const hostNotificationsByStatus = await this.manager.query(
      `SELECT t.status, count(*)::int AS n FROM transfers t WHERE t.kind = 'host_notification' AND ${where} GROUP BY t.status`,
      params,
    );
    const [childrenNotSeen] = await this.manager.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.due_on < (${nowParam}::timestamptz AT TIME ZONE 'Europe/London')::date)::int AS overdue
       FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
       WHERE c.kind = 'child_seen' AND c.status = 'open' AND t.status NOT IN ('cancelled', 'closed') AND ${where}`,
      withNow,
    );
    // The family not reached: open routes (not yet found) of transfers in progress, one per transfer at most.
    const [notReached] = await this.manager.query(
      `SELECT count(*)::int AS total,
         count(*) FILTER (WHERE r.national_alert_raised IS NULL AND r.national_alert_due_at <= ${nowParam})::int AS "alertDecisionDue"
       FROM not_reached_routes r JOIN transfers t ON t.id = r.transfer_id
       WHERE r.found_at IS NULL AND t.status NOT IN ('cancelled', 'closed') AND ${where}`,
      withNow,
    );
    return {
      atLeast,
      hostNotificationsByStatus,
      childrenNotSeen: childrenNotSeen.n,
      childrenNotSeenOverdue: childrenNotSeen.overdue,
      familiesNotReached: { total: notReached.total, alertDecisionDue: notReached.alertDecisionDue },
      byStatus,
      overdue: overdue[0].n,
      conferencesOverdue: conferencesOverdue[0].n,
      chase,
      failedEmails: failedEmails[0].n,
      oldest: oldest[0] ?? null,
    };
  }
}

/**
 * The area and team filters as alternative sides: a transfer matches each through one side only
 * (its sending or its receiving area/team — the two differ), each side one index-friendly conjunction.
 */
function filterSides(filters: MonitoringFilters, p: SqlParam): string[][][] {
  const sides: string[][][] = [];
  if (filters.area) {
    const area = `(SELECT id FROM areas WHERE code = ${p(filters.area)})`;
    sides.push([[`t.sending_area_id = ${area}`], [`t.receiving_area_id = ${area}`]]);
  }
  if (filters.team) {
    const team = p(filters.team);
    sides.push([[`t.sending_team_id = ${team}`], [`t.receiving_team_id = ${team}`]]);
  }
  return sides;
}

/** The same filters as one predicate each (for aggregates). */
function filterPredicates(filters: MonitoringFilters, p: SqlParam): string[] {
  const where: string[] = [];
  if (filters.area) {
    const area = p(filters.area);
    where.push(
      `(t.sending_area_id = (SELECT id FROM areas WHERE code = ${area}) OR t.receiving_area_id = (SELECT id FROM areas WHERE code = ${area}))`,
    );
  }
  if (filters.team) {
    const team = p(filters.team);
    where.push(`(t.sending_team_id = ${team} OR t.receiving_team_id = ${team})`);
  }
  return where;
}

/** Every way of choosing one side from each group: the branches to read and merge. */
function combine(groups: string[][][]): string[][] {
  return groups.reduce<string[][]>(
    (acc, group) => acc.flatMap((chosen) => group.map((side) => [...chosen, ...side])),
    [[]],
  );
}

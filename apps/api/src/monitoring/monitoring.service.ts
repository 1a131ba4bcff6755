import { Injectable } from '@nestjs/common';
import {
  Clock,
  isWorkingDay,
  workingDaysBetweenDates,
  londonDate,
  monitoringScopeFor,
  requestMonitoringScopeFor,
  startOfLondonDay,
  UNCONFIRMED_STATUSES,
  workingDaysBetween,
} from '@fh/domain';
import type { ActorVisibility } from '@fh/domain';
import { MonitoringRepository, TransferRequestRepository } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext, SignedInPractitioner } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { actorOf } from '../transfers/visibility.js';
import type { ChildrenNotSeenQuery, SummaryQuery, UnconfirmedQuery } from './monitoring.dto.js';

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
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const scope = monitoringScope(ctx.actor);
    // A read and its audit event need no transaction of their own: two round trips fewer on the
    // busiest monitoring call.
    const manager = this.dataSource.manager;
    const rows = await new MonitoringRepository(manager).unconfirmedPage(
      scope,
      { area: query.area, team: query.team, overdue: query.overdue },
      now,
      after,
      limit + 1,
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
        kind: r.kind,
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

  /**
   * Open host notifications (issue 13 item 2), listed apart: the sending area stays accountable, so
   * these are not "in the gap" once acknowledged; monitoring shows who the host contact is.
   */
  async hostNotifications(ctx: RequestContext, query: SummaryQuery) {
    const now = this.clock.now();
    const scope = monitoringScope(ctx.actor);
    const manager = this.dataSource.manager;
    const rows = await new MonitoringRepository(manager).hostNotifications(scope, { area: query.area }, 200);
    let teams = await this.teams();
    if (rows.some((r) => !teams.has(r.sendingTeamId) || !teams.has(r.receivingTeamId))) teams = await this.teams(true);
    await this.audited.view(
      manager,
      ctx,
      { action: 'monitoring.host_notifications', entityType: 'monitoring', entityId: null },
      { count: rows.length, filters: { area: query.area ?? null } },
    );
    const side = (teamId: string) => ({ area: teams.get(teamId)!.area, teamId, teamName: teams.get(teamId)!.name });
    return {
      items: rows.map((r) => ({
        id: r.id,
        reference: r.reference,
        status: r.status,
        sending: side(r.sendingTeamId),
        receiving: side(r.receivingTeamId),
        initiatedAt: r.initiatedAt,
        contactDueAt: r.contactDueAt,
        overdue: r.status !== 'notification_acknowledged' && r.contactDueAt.getTime() < now.getTime(),
        hostContact: r.hostContactId ? { id: r.hostContactId, name: r.hostContactName } : null,
        acknowledgedAt: r.notificationAcknowledgedAt,
      })),
    };
  }

  /**
   * Children not yet seen in the receiving area (issue 14 item 1), most overdue first: the transfer,
   * the child's id (never a name), the day they were due to be seen by, the working days since the
   * move, the item's escalation and owner (null: the receiving team). `overdue=true` keeps those past due.
   */
  async childrenNotSeen(ctx: RequestContext, query: ChildrenNotSeenQuery) {
    const now = this.clock.now();
    const today = londonDate(now);
    const scope = monitoringScope(ctx.actor);
    const manager = this.dataSource.manager;
    const rows = await new MonitoringRepository(manager).childrenNotSeen(
      scope,
      { area: query.area, overdueOn: query.overdue ? today : undefined },
      200,
    );
    let teams = await this.teams();
    if (rows.some((r) => !teams.has(r.sendingTeamId) || !teams.has(r.receivingTeamId))) teams = await this.teams(true);
    await this.audited.view(
      manager,
      ctx,
      { action: 'monitoring.children_not_seen', entityType: 'monitoring', entityId: null },
      { count: rows.length, filters: { area: query.area ?? null, overdue: query.overdue ?? null } },
    );
    const side = (teamId: string) => ({ area: teams.get(teamId)!.area, teamId, teamName: teams.get(teamId)!.name });
    return {
      items: rows.map((r) => ({
        transferId: r.transferId,
        reference: r.reference,
        status: r.status,
        sending: side(r.sendingTeamId),
        receiving: side(r.receivingTeamId),
        chaseItemId: r.chaseItemId,
        memberId: r.memberId,
        dueOn: r.dueOn,
        overdue: today > r.dueOn,
        workingDaysSinceMove: workingDaysBetweenDates(r.moveDate, today),
        escalationLevel: r.escalationLevel,
        owner: r.ownerId ? { id: r.ownerId, name: r.ownerName } : null,
      })),
    };
  }

  /** Team names and area codes, kept for a minute: the directory is small and rarely changes. */
  private teamCache: { at: number; teams: Promise<Map<string, { name: string; area: string }>> } | null = null;

  private teams(refresh = false): Promise<Map<string, { name: string; area: string }>> {
    const now = Date.now();
    if (refresh || !this.teamCache || now - this.teamCache.at > 60_000) {
      const teams = new MonitoringRepository(this.dataSource.manager)
        .teams()
        .then((rows) => new Map(rows.map((t) => [t.id, t])));
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
    const scope = monitoringScope(ctx.actor);
    return this.dataSource.transaction(async (manager) => {
      // Working days waiting, bucketed: how many waited at least each bucket's lower bound, by initiation instant.
      const thresholds = WAITING_BUCKETS.slice(1).map((b) => waitedAtLeastBefore(now, b.from));
      const {
        atLeast,
        byStatus,
        overdue,
        conferencesOverdue,
        chase,
        failedEmails,
        oldest,
        hostNotificationsByStatus,
        childrenNotSeen,
        childrenNotSeenOverdue,
        familiesNotReached,
      } = await new MonitoringRepository(manager).summaryCounts(scope, { area: query.area }, now, thresholds);
      // Transfer requests (issue 14 items 3 and 6) awaiting the originating team's answer, and overdue.
      const transferRequestsAwaitingAnswer = await new TransferRequestRepository(manager).awaitingAnswer(
        requestMonitoringScopeFor(actorOf(ctx.actor))!,
        query.area,
        now,
      );
      const unconfirmedByWorkingDaysWaiting = WAITING_BUCKETS.map((b, i) => ({
        ...b,
        count: atLeast[String(i)] - (atLeast[String(i + 1)] ?? 0),
      }));
      const countsByStatus: Record<string, number> = Object.fromEntries(byStatus.map((r) => [r.status, r.n]));
      const openChaseItems: Record<string, Record<string, number>> = {};
      for (const r of chase) (openChaseItems[r.kind] ??= {})[String(r.level)] = r.n;
      const first = oldest;
      return {
        asOf: now,
        countsByStatus,
        unconfirmed: UNCONFIRMED_STATUSES.reduce((sum, s) => sum + (countsByStatus[s] ?? 0), 0),
        unconfirmedOverdue: overdue,
        // Child protection: accepted in, waiting for the conference's written outcome; and conferences
        // not held by their due time (before or after the transfer-in was accepted).
        awaitingConference: countsByStatus.awaiting_conference ?? 0,
        conferencesOverdue,
        openChaseItems,
        failedEmails,
        unconfirmedByWorkingDaysWaiting,
        oldestUnconfirmed: first ? { ...first, workingDaysWaiting: workingDaysBetween(first.initiatedAt, now) } : null,
        /** Host notifications by status (issue 13 item 2), counted apart as well as in countsByStatus. */
        hostNotificationsByStatus: Object.fromEntries(hostNotificationsByStatus.map((r) => [r.status, r.n])),
        /** Transfer requests not yet answered (`total`), and those past their answer's due time (`overdue`). */
        transferRequestsAwaitingAnswer,
        /** Children not yet seen in the receiving area (issue 14 item 1), and those past the day they were due to be. */
        childrenNotSeen,
        childrenNotSeenOverdue,
        /**
         * Families not reached (issue 14 items 2 and 6): open not-reached routes (`total`), and those
         * whose national alert decision is due and not yet recorded (`alertDecisionDue`).
         */
        familiesNotReached,
      };
    });
  }
}

/** Plain practitioners may not monitor (403). */
function monitoringScope(actor: SignedInPractitioner): ActorVisibility {
  const scope = monitoringScopeFor(actorOf(actor));
  if (!scope) throw ApiError.forbidden('monitoring is for managers, safeguarding leads and admins');
  return scope;
}

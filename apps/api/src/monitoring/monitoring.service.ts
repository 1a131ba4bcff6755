import { Injectable } from '@nestjs/common';
import { Clock, UNCONFIRMED_STATUSES, workingDaysBetween } from '@fh/domain';
import type { RiskFlagCode, TransferStatus } from '@fh/domain';
import { DataSource } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext, SignedInPractitioner } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import type { SummaryQuery, UnconfirmedQuery } from './monitoring.dto.js';

const UNCONFIRMED = `t.status IN (${UNCONFIRMED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

interface UnconfirmedRow {
  id: string;
  reference: string;
  status: TransferStatus;
  sendingArea: string;
  sendingTeamId: string;
  sendingTeamName: string;
  receivingArea: string;
  receivingTeamId: string;
  receivingTeamName: string;
  initiatedAt: Date;
  contactDueAt: Date;
  criticalFlags: RiskFlagCode[];
  escalationLevel: number | null;
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
    const where = [UNCONFIRMED, scopeOf(ctx.actor, p), ...filters(query, p)];
    if (query.overdue === true) where.push(`t.contact_due_at < ${p(now)}`);
    if (query.overdue === false) where.push(`t.contact_due_at >= ${p(now)}`);
    if (query.cursor) {
      const [dueAt, id] = decodeCursor(query.cursor);
      where.push(`(t.contact_due_at, t.id) > (${p(dueAt)}::timestamptz, ${p(id)}::uuid)`);
    }
    return this.dataSource.transaction(async (manager) => {
      const rows: UnconfirmedRow[] = await manager.query(
        `SELECT t.id, t.reference, t.status, sa.code AS "sendingArea", t.sending_team_id AS "sendingTeamId", st.name AS "sendingTeamName",
                ra.code AS "receivingArea", t.receiving_team_id AS "receivingTeamId", rt.name AS "receivingTeamName",
                t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt", t.critical_flag_codes AS "criticalFlags",
                (SELECT max(c.escalation_level) FROM chase_items c
                  WHERE c.transfer_id = t.id AND c.kind = 'direct_contact' AND c.status = 'open') AS "escalationLevel"
         FROM transfers t
         JOIN teams st ON st.id = t.sending_team_id JOIN areas sa ON sa.id = t.sending_area_id
         JOIN teams rt ON rt.id = t.receiving_team_id JOIN areas ra ON ra.id = t.receiving_area_id
         WHERE ${where.join(' AND ')}
         ORDER BY t.contact_due_at, t.id
         LIMIT ${p(limit + 1)}`,
        params,
      );
      const page = rows.slice(0, limit);
      await this.audited.view(manager, ctx, { action: 'monitoring.unconfirmed', entityType: 'monitoring', entityId: null }, {
        count: page.length,
        filters: { area: query.area ?? null, team: query.team ?? null, overdue: query.overdue ?? null },
      });
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id,
          reference: r.reference,
          status: r.status,
          sending: { area: r.sendingArea, teamId: r.sendingTeamId, teamName: r.sendingTeamName },
          receiving: { area: r.receivingArea, teamId: r.receivingTeamId, teamName: r.receivingTeamName },
          initiatedAt: r.initiatedAt,
          contactDueAt: r.contactDueAt,
          workingDaysWaiting: workingDaysBetween(r.initiatedAt, now),
          overdue: r.contactDueAt.getTime() < now.getTime(),
          escalationLevel: r.escalationLevel ?? 0,
          criticalFlags: r.criticalFlags,
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.contactDueAt, last.id) : null,
      };
    });
  }

  async summary(ctx: RequestContext, query: SummaryQuery) {
    const now = this.clock.now();
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const scope = [scopeOf(ctx.actor, p), ...filters(query, p)].join(' AND ');
    const withNow = [...params, now];
    const nowParam = `$${withNow.length}`;
    return this.dataSource.transaction(async (manager) => {
      const [byStatus, overdue, chase, failedEmails, oldest] = [
        await manager.query(`SELECT t.status, count(*)::int AS n FROM transfers t WHERE ${scope} GROUP BY t.status`, params),
        await manager.query(`SELECT count(*)::int AS n FROM transfers t WHERE ${UNCONFIRMED} AND t.contact_due_at < ${nowParam} AND ${scope}`, withNow),
        await manager.query(
          `SELECT c.kind, c.escalation_level AS level, count(*)::int AS n FROM chase_items c JOIN transfers t ON t.id = c.transfer_id
           WHERE c.status = 'open' AND ${scope} GROUP BY c.kind, c.escalation_level`,
          params,
        ),
        await manager.query(`SELECT count(*)::int AS n FROM emails e JOIN transfers t ON t.id = e.transfer_id WHERE e.status = 'failed' AND ${scope}`, params),
        await manager.query(
          `SELECT t.id, t.reference, t.initiated_at AS "initiatedAt", t.contact_due_at AS "contactDueAt" FROM transfers t
           WHERE ${UNCONFIRMED} AND ${scope} ORDER BY t.initiated_at, t.id LIMIT 1`,
          params,
        ),
      ];
      await this.audited.view(manager, ctx, { action: 'monitoring.summary', entityType: 'monitoring', entityId: null }, { area: query.area ?? null });
      const countsByStatus = Object.fromEntries(byStatus.map((r: { status: string; n: number }) => [r.status, r.n]));
      const openChaseItems: Record<string, Record<string, number>> = {};
      for (const r of chase as { kind: string; level: number; n: number }[]) (openChaseItems[r.kind] ??= {})[String(r.level)] = r.n;
      const first = oldest[0];
      return {
        asOf: now,
        countsByStatus,
        unconfirmed: UNCONFIRMED_STATUSES.reduce((sum, s) => sum + (countsByStatus[s] ?? 0), 0),
        unconfirmedOverdue: overdue[0].n,
        openChaseItems,
        failedEmails: failedEmails[0].n,
        oldestUnconfirmed: first ? { ...first, workingDaysWaiting: workingDaysBetween(first.initiatedAt, now) } : null,
      };
    });
  }
}

/** What this person may monitor. Plain practitioners may not (403). */
function scopeOf(actor: SignedInPractitioner, p: (value: unknown) => string): string {
  switch (actor.role) {
    case 'admin':
      return 'true';
    case 'safeguarding_lead':
      return `(t.sending_area_id = ${p(actor.areaId)} OR (t.receiving_area_id = ${p(actor.areaId)} AND t.initiated_at IS NOT NULL))`;
    case 'manager':
      return `(t.sending_team_id = ${p(actor.teamId)} OR (t.receiving_team_id = ${p(actor.teamId)} AND t.initiated_at IS NOT NULL))`;
    default:
      throw ApiError.forbidden('monitoring is for managers, safeguarding leads and admins');
  }
}

function filters(query: { area?: string; team?: string }, p: (value: unknown) => string): string[] {
  const where: string[] = [];
  if (query.area) {
    const area = p(query.area);
    where.push(`(t.sending_area_id = (SELECT id FROM areas WHERE code = ${area}) OR t.receiving_area_id = (SELECT id FROM areas WHERE code = ${area}))`);
  }
  if (query.team) {
    const team = p(query.team);
    where.push(`(t.sending_team_id = ${team} OR t.receiving_team_id = ${team})`);
  }
  return where;
}

function encodeCursor(dueAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([dueAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && !Number.isNaN(Date.parse(value[0])) && /^[0-9a-f-]{36}$/i.test(value[1])) return [value[0], value[1]];
  } catch {
    /* fall through */
  }
  throw ApiError.invalid(['cursor is not one this API gave out']);
}

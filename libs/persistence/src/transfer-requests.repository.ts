import type { EscalationLevel, RequestVisibility, TransferRequestStatus } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { createRequestKey, requestCipherOfKeyRow } from './crypto/request-keys.js';
import type { TransferCipher } from './crypto/cipher.js';

/**
 * Transfer requests (issue 14 item 3): their rows, children and data keys. Every personal and
 * free-text value is sealed under the request's own data key (crypto/request-keys.ts) before it is
 * written and opened after it is read; SQL never sees it in the clear.
 */

export interface RequestChildRecord {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  nhsNumber: string | null;
}

export interface RequestTeamRef {
  id: string;
  name: string;
  areaId: string;
  areaName: string;
}

export interface TransferRequestRecord {
  id: string;
  reference: string;
  status: TransferRequestStatus;
  version: number;
  requestedBy: { id: string; name: string };
  requesterTeam: RequestTeamRef;
  originatingTeam: RequestTeamRef;
  /** null once erased. */
  howKnown: string | null;
  concern: string | null;
  children: RequestChildRecord[];
  dueAt: Date;
  reminders: number;
  escalationLevel: EscalationLevel;
  nextChaseAt: Date | null;
  respondedBy: { id: string; name: string } | null;
  respondedAt: Date | null;
  declineReason: string | null;
  transferId: string | null;
  erasedAt: Date | null;
  createdAt: Date;
}

/** One row of a list: what the list shows (no family data beyond the number of children). */
export interface TransferRequestSummaryRow {
  id: string;
  reference: string;
  status: TransferRequestStatus;
  requesterTeam: RequestTeamRef;
  originatingTeam: RequestTeamRef;
  childCount: number;
  dueAt: Date;
  respondedAt: Date | null;
  transferId: string | null;
  createdAt: Date;
}

export interface NewTransferRequest {
  id: string;
  requestedById: string;
  requesterTeamId: string;
  requesterAreaId: string;
  originatingTeamId: string;
  originatingAreaId: string;
  howKnown: string;
  concern: string;
  children: RequestChildRecord[];
  dueAt: Date;
  createdAt: Date;
}

const TEAM_JSON = (alias: string, areaAlias: string) =>
  `json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'areaId', ${areaAlias}.id, 'areaName', ${areaAlias}.name)`;

const SUMMARY_COLUMNS = `r.id, r.reference, r.status, r.due_at AS "dueAt", r.responded_at AS "respondedAt",
  r.transfer_id AS "transferId", r.created_at AS "createdAt",
  ${TEAM_JSON('rt', 'ra')} AS "requesterTeam", ${TEAM_JSON('ot', 'oa')} AS "originatingTeam"`;

const TEAM_JOINS = `JOIN teams rt ON rt.id = r.requester_team_id JOIN areas ra ON ra.id = r.requester_area_id
  JOIN teams ot ON ot.id = r.originating_team_id JOIN areas oa ON oa.id = r.originating_area_id`;

/**
 * The visibility rule (libs/domain transfer-requests.ts, requestVisibilityFor) as a predicate on
 * `r`, narrowed by direction: incoming = the caller's team (a lead: area) is the originating one;
 * outgoing = it asked. Parameters are appended to `params`.
 */
function visibleSql(v: RequestVisibility, direction: 'incoming' | 'outgoing' | null, params: unknown[]): string {
  if (v.all) return 'true';
  const parts: string[] = [];
  const add = (column: string, value: string) => {
    params.push(value);
    parts.push(`r.${column} = $${params.length}`);
  };
  if (v.teamId !== null) {
    if (direction !== 'outgoing') add('originating_team_id', v.teamId);
    if (direction !== 'incoming') add('requester_team_id', v.teamId);
  }
  if (v.areaId !== null) {
    if (direction !== 'outgoing') add('originating_area_id', v.areaId);
    if (direction !== 'incoming') add('requester_area_id', v.areaId);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}

export class TransferRequestRepository {
  constructor(private readonly manager: EntityManager) {}

  /** A team as the directory knows it (the originating team named by a request). */
  async team(id: string): Promise<{ id: string; areaId: string } | null> {
    const rows: { id: string; areaId: string }[] = await this.manager.query(
      `SELECT id, area_id AS "areaId" FROM teams WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Inserts a new open request, its children and its data key; returns its reference. */
  async insert(row: NewTransferRequest): Promise<string> {
    const cipher = await createRequestKey(this.manager, row.id);
    const [{ reference }]: { reference: string }[] = await this.manager.query(
      `INSERT INTO transfer_requests (id, reference, status, requested_by_id, requester_team_id, requester_area_id,
         originating_team_id, originating_area_id, how_known, concern, due_at, next_chase_at, created_at, updated_at)
       VALUES ($1, 'TR-' || to_char($11::timestamptz AT TIME ZONE 'Europe/London', 'YYYY') || '-' ||
                 lpad(nextval('transfer_request_reference_seq')::text, 6, '0'),
               'open', $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10)
       RETURNING reference`,
      [
        row.id,
        row.requestedById,
        row.requesterTeamId,
        row.requesterAreaId,
        row.originatingTeamId,
        row.originatingAreaId,
        cipher.seal('transfer_requests.how_known', row.howKnown),
        cipher.seal('transfer_requests.concern', row.concern),
        row.dueAt,
        row.createdAt,
        row.createdAt,
      ],
    );
    let position = 0;
    for (const child of row.children) {
      await this.manager.query(
        `INSERT INTO transfer_request_children (id, transfer_request_id, position, given_name, family_name, date_of_birth, nhs_number)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`,
        [
          row.id,
          position++,
          cipher.seal('transfer_request_children.given_name', child.givenName),
          cipher.seal('transfer_request_children.family_name', child.familyName),
          cipher.seal('transfer_request_children.date_of_birth', child.dateOfBirth),
          cipher.seal('transfer_request_children.nhs_number', child.nhsNumber),
        ],
      );
    }
    return reference;
  }

  /**
   * One request with its family data opened, if the caller may see it (visibility in the statement:
   * an invisible request costs what a missing one costs). `lock` takes its row for an answer.
   */
  async load(
    id: string,
    visibility: RequestVisibility,
    options: { lock?: boolean } = {},
  ): Promise<TransferRequestRecord | null> {
    const params: unknown[] = [id];
    const visible = visibleSql(visibility, null, params);
    const rows: (Omit<TransferRequestRecord, 'children' | 'requestedBy' | 'respondedBy'> & {
      requestedById: string;
      requestedByName: string;
      respondedById: string | null;
      respondedByName: string | null;
      kekId: string | null;
      wrappedKey: Buffer | null;
    })[] = await this.manager.query(
      `SELECT ${SUMMARY_COLUMNS}, r.version, r.how_known AS "howKnown", r.concern, r.reminders,
         r.escalation_level AS "escalationLevel", r.next_chase_at AS "nextChaseAt", r.decline_reason AS "declineReason",
         r.erased_at AS "erasedAt", r.requested_by_id AS "requestedById", rb.name AS "requestedByName",
         r.responded_by_id AS "respondedById", sb.name AS "respondedByName",
         k.kek_id AS "kekId", k.wrapped_key AS "wrappedKey"
       FROM transfer_requests r ${TEAM_JOINS}
       JOIN practitioners rb ON rb.id = r.requested_by_id
       LEFT JOIN practitioners sb ON sb.id = r.responded_by_id
       LEFT JOIN transfer_request_keys k ON k.transfer_request_id = r.id
       WHERE r.id = $1 AND ${visible}${options.lock ? ' FOR UPDATE OF r' : ''}`,
      params,
    );
    const row = rows[0];
    if (!row) return null;
    const { requestedById, requestedByName, respondedById, respondedByName, kekId, wrappedKey, ...rest } = row;
    const base = {
      ...rest,
      requestedBy: { id: requestedById, name: requestedByName },
      respondedBy: respondedById ? { id: respondedById, name: respondedByName ?? '' } : null,
    };
    if (row.erasedAt) return { ...base, howKnown: null, concern: null, declineReason: null, children: [] };
    const cipher = requestCipherOfKeyRow(this.manager, id, kekId, wrappedKey);
    return {
      ...base,
      howKnown: cipher.open('transfer_requests.how_known', row.howKnown),
      concern: cipher.open('transfer_requests.concern', row.concern),
      declineReason: cipher.open('transfer_requests.decline_reason', row.declineReason),
      children: await this.children(id, cipher),
    };
  }

  private async children(id: string, cipher: TransferCipher): Promise<RequestChildRecord[]> {
    const rows: { givenName: string; familyName: string; dateOfBirth: string | null; nhsNumber: string | null }[] =
      await this.manager.query(
        `SELECT given_name AS "givenName", family_name AS "familyName", date_of_birth AS "dateOfBirth", nhs_number AS "nhsNumber"
         FROM transfer_request_children WHERE transfer_request_id = $1 ORDER BY position`,
        [id],
      );
    return rows.map((c) => ({
      givenName: cipher.open('transfer_request_children.given_name', c.givenName),
      familyName: cipher.open('transfer_request_children.family_name', c.familyName),
      dateOfBirth: cipher.open('transfer_request_children.date_of_birth', c.dateOfBirth),
      nhsNumber: cipher.open('transfer_request_children.nhs_number', c.nhsNumber),
    }));
  }

  /** A page of the requests the caller may see, newest first (keyset on created_at, id). */
  async list(options: {
    visibility: RequestVisibility;
    direction: 'incoming' | 'outgoing' | null;
    status?: TransferRequestStatus;
    after?: [string, string];
    limit: number;
  }): Promise<TransferRequestSummaryRow[]> {
    const params: unknown[] = [];
    const where = [visibleSql(options.visibility, options.direction, params)];
    if (options.status) {
      params.push(options.status);
      where.push(`r.status = $${params.length}`);
    }
    if (options.after) {
      params.push(options.after[0], options.after[1]);
      where.push(`(r.created_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(options.limit);
    return this.manager.query(
      `SELECT ${SUMMARY_COLUMNS},
         (SELECT count(*)::int FROM transfer_request_children c WHERE c.transfer_request_id = r.id) AS "childCount"
       FROM transfer_requests r ${TEAM_JOINS}
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** Records the originating team's answer (the row was locked by `load`). */
  async answer(
    id: string,
    answer: {
      status: Exclude<TransferRequestStatus, 'open'>;
      respondedById: string;
      respondedAt: Date;
      declineReason: string | null;
      transferId: string | null;
    },
  ): Promise<void> {
    const [{ kekId, wrappedKey }]: { kekId: string; wrappedKey: Buffer }[] = await this.manager.query(
      `SELECT kek_id AS "kekId", wrapped_key AS "wrappedKey" FROM transfer_request_keys WHERE transfer_request_id = $1`,
      [id],
    );
    const cipher = requestCipherOfKeyRow(this.manager, id, kekId, wrappedKey);
    await this.manager.query(
      `UPDATE transfer_requests SET status = $2, responded_by_id = $3, responded_at = $4, decline_reason = $5,
         transfer_id = $6, next_chase_at = NULL, version = version + 1, updated_at = $4
       WHERE id = $1`,
      [
        id,
        answer.status,
        answer.respondedById,
        answer.respondedAt,
        cipher.seal('transfer_requests.decline_reason', answer.declineReason),
        answer.transferId,
      ],
    );
  }

  /**
   * Claims up to `limit` open requests whose next chase is due (FOR UPDATE SKIP LOCKED through the
   * partial index on open requests, as the chase sweep claims chase items).
   */
  async claimDue(
    now: Date,
    limit: number,
  ): Promise<
    {
      id: string;
      status: TransferRequestStatus;
      reminders: number;
      escalationLevel: EscalationLevel;
      nextChaseAt: Date;
    }[]
  > {
    return this.manager.query(
      `SELECT id, status, reminders, escalation_level AS "escalationLevel", next_chase_at AS "nextChaseAt"
       FROM transfer_requests WHERE status = 'open' AND next_chase_at <= $1
       ORDER BY next_chase_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
  }

  async recordReminder(id: string, reminders: number, level: EscalationLevel, nextChaseAt: Date): Promise<void> {
    await this.manager.query(
      `UPDATE transfer_requests SET reminders = $2, escalation_level = $3, next_chase_at = $4 WHERE id = $1`,
      [id, reminders, level, nextChaseAt],
    );
  }

  /**
   * Email addresses for a request, now: the originating team's mailbox (`owner`), its active
   * managers, both areas' active safeguarding leads, the requester (if active).
   */
  async recipients(
    id: string,
    who: { originatingTeam: boolean; originatingManagers: boolean; safeguardingLeads: boolean; requester: boolean },
  ): Promise<string[]> {
    const rows: { email: string }[] = await this.manager.query(
      `WITH r AS (SELECT * FROM transfer_requests WHERE id = $1)
       SELECT t.mailbox AS email FROM r JOIN teams t ON t.id = r.originating_team_id WHERE $2
       UNION SELECT p.email FROM r JOIN practitioners p ON p.team_id = r.originating_team_id AND p.role = 'manager' AND p.active WHERE $3
       UNION SELECT p.email FROM r JOIN teams t ON t.area_id IN (r.originating_area_id, r.requester_area_id)
         JOIN practitioners p ON p.team_id = t.id AND p.role = 'safeguarding_lead' AND p.active WHERE $4
       UNION SELECT p.email FROM r JOIN practitioners p ON p.id = r.requested_by_id AND p.active WHERE $5`,
      [id, who.originatingTeam, who.originatingManagers, who.safeguardingLeads, who.requester],
    );
    return [...new Set(rows.map((r) => r.email.toLowerCase()))].sort();
  }

  /** What an email about a request may name: its reference, teams, areas and due time (no family data). */
  async emailFacts(id: string): Promise<{
    reference: string;
    requesterTeam: string;
    requesterArea: string;
    originatingTeam: string;
    originatingArea: string;
    dueAt: Date;
  }> {
    const [row] = await this.manager.query(
      `SELECT r.reference, rt.name AS "requesterTeam", ra.name AS "requesterArea", ot.name AS "originatingTeam",
         oa.name AS "originatingArea", r.due_at AS "dueAt"
       FROM transfer_requests r ${TEAM_JOINS} WHERE r.id = $1`,
      [id],
    );
    return row;
  }

  /**
   * Monitoring (issue 14 item 6): how many requests in the scope await an answer, and how many of
   * those are overdue at `now`; `area` (a code) narrows to requests from or to that area. Counts only.
   */
  async awaitingAnswer(
    scope: RequestVisibility,
    area: string | undefined,
    now: Date,
  ): Promise<{ total: number; overdue: number }> {
    const params: unknown[] = [now];
    const where = [`r.status = 'open'`, visibleSql(scope, null, params)];
    if (area) {
      params.push(area);
      const id = `(SELECT id FROM areas WHERE code = $${params.length})`;
      where.push(`(r.requester_area_id = ${id} OR r.originating_area_id = ${id})`);
    }
    const [row]: { total: number; overdue: number }[] = await this.manager.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE r.due_at <= $1)::int AS overdue
       FROM transfer_requests r WHERE ${where.join(' AND ')}`,
      params,
    );
    return row;
  }
}

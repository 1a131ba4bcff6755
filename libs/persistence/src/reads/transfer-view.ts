/**
 * The read side of transfers: one statement per read, named (prepared once per connection), with
 * the caller's visibility in its WHERE clause, so a transfer the caller may not see costs exactly
 * what a missing one costs (the same single statement, no row) and nothing about it is read.
 */
import type { ActorVisibility } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { AUDIT_COLUMNS } from '../audit.js';
import type { AuditEventRow } from '../audit.js';
import { prepared, runPrepared } from '../prepared.js';
import type { PreparedStatement } from '../prepared.js';
import {
  cipherOfTransferRow,
  concernProtocolPairs,
  openSelectedTransfer,
  TRANSFER_COLUMNS,
  TRANSFER_FROM,
  TRANSFER_SELECT,
} from '../transfers/transfer.repository.js';
import { openRecord } from '../transfers/transfer.sealing.js';
import { CHILDREN_SEEN, openChildrenSeen } from './children-seen.js';
import type { ChildSeenJson } from './children-seen.js';
import { LATEST_ROUTE, openRoute } from '../transfers/not-reached.js';
import type { RouteRow } from '../transfers/not-reached.js';
import type { KeyColumns } from '../transfers/transfer.sealing.js';
import type { TransferRecord, TransferRow } from '../transfers/transfer.records.js';
import { branchLimit } from '../sql.js';
import { visibilityBranches, visibilityPredicate } from '../visibility.js';
import type { SqlParam } from '../visibility.js';

const json = (pairs: string) => `json_build_object(${pairs})`;
/** A JSON array of the rows of `from`, `[]` when none. */
const array = (object: string, from: string, orderBy: string) =>
  `coalesce((SELECT json_agg(${object} ORDER BY ${orderBy}) ${from}), '[]'::json)`;

const MEMBERS = array(
  json(`'id', m.id, 'ref', m.ref, 'role', m.role, 'givenName', m.given_name, 'familyName', m.family_name,
    'dateOfBirth', m.date_of_birth, 'sex', m.sex, 'nhsNumber', m.nhs_number, 'livesInHousehold', m.lives_in_household,
    'mobility', m.mobility, 'engaged', m.engaged, 'riskFactors', m.risk_factors, 'statutoryOrder', m.statutory_order,
    'notIndependentlyMobile', m.not_independently_mobile,
    'gp', json_build_object('status', m.gp_status, 'practiceOds', m.gp_practice_ods, 'practiceName', m.gp_practice_name),
    'involvements', ${array(
      json(`'agency', i.agency, 'area', i.area, 'detail', i.detail`),
      'FROM member_involvements i WHERE i.transfer_id = m.transfer_id AND i.member_id = m.id',
      'i.position',
    )}`),
  'FROM household_members m WHERE m.transfer_id = t.id',
  'm.position',
);

const CONCERNS = array(
  json(`'id', c.id, 'memberId', c.member_id, 'type', c.type, 'observedOn', c.observed_on, 'description', c.description,
    'safeguardingAdviceSought', c.safeguarding_advice_sought, ${concernProtocolPairs('c')}`),
  'FROM concerns c WHERE c.transfer_id = t.id',
  'c.position',
);

const APPOINTMENTS = array(
  json(`'id', a.id, 'memberId', a.member_id, 'kind', a.kind, 'provider', a.provider, 'dueOn', a.due_on, 'status', a.status,
    'attendedOn', a.attended_on, 'rebookedFor', a.rebooked_for, 'rescheduledFor', a.rescheduled_for,
    'carerCancellations', a.carer_cancellations`),
  'FROM appointments a WHERE a.transfer_id = t.id',
  'a.position',
);

/** This round's contacts, oldest first, each with its agreed actions. */
const CONTACTS = array(
  json(`'id', c.id, 'round', c.round, 'occurredAt', c.occurred_at, 'method', c.method,
    'sendingPractitionerId', c.sending_practitioner_id, 'sendingPractitionerName', sp.name,
    'recordedById', c.recorded_by_id, 'recordedByName', rp.name, 'summary', c.summary,
    'flagAcknowledgements', c.flag_acknowledgements, 'state', c.state, 'checkedById', c.checked_by_id,
    'checkedByName', cp.name, 'checkedAt', c.checked_at, 'disputeComment', c.dispute_comment, 'recordedAt', c.recorded_at,
    'agreedActions', ${array(
      json(
        `'id', aa.id, 'description', aa.description, 'owner', aa.owner, 'dueOn', aa.due_on, 'reviewOn', aa.review_on`,
      ),
      'FROM agreed_actions aa WHERE aa.direct_contact_id = c.id',
      'aa.position',
    )}`),
  `FROM direct_contacts c
     LEFT JOIN practitioners sp ON sp.id = c.sending_practitioner_id
     LEFT JOIN practitioners rp ON rp.id = c.recorded_by_id
     LEFT JOIN practitioners cp ON cp.id = c.checked_by_id
   WHERE c.transfer_id = t.id AND c.round = t.round`,
  'c.recorded_at, c.id',
);

const ACKNOWLEDGEMENTS = array(
  json(`'code', fa.code, 'advice', fa.advice, 'actions', fa.protocol_actions, 'acknowledgedById', fa.acknowledged_by_id, 'acknowledgedByName', fp.name,
    'acknowledgedAt', fa.acknowledged_at`),
  `FROM flag_acknowledgements fa LEFT JOIN practitioners fp ON fp.id = fa.acknowledged_by_id
   WHERE fa.transfer_id = t.id AND fa.round = t.round`,
  'fa.acknowledged_at, fa.id',
);

const LATEST_PACKET = `(SELECT json_build_object('version', pk.version, 'sha256', pk.sha256, 'generatedAt', pk.generated_at)
  FROM packets pk WHERE pk.transfer_id = t.id ORDER BY pk.version DESC LIMIT 1)`;

type ViewRow = TransferRow &
  KeyColumns & {
    members: TransferRecord['members'];
    concerns: TransferRecord['concerns'];
    appointments: TransferRecord['appointments'];
    contacts: (Omit<TransferRecord['contacts'][number], 'occurredAt' | 'checkedAt' | 'recordedAt'> & {
      occurredAt: string;
      checkedAt: string | null;
      recordedAt: string;
    })[];
    acknowledgements: (Omit<TransferRecord['acknowledgements'][number], 'acknowledgedAt'> & {
      acknowledgedAt: string;
    })[];
    latestPacket: (Omit<NonNullable<TransferRecord['latestPacket']>, 'generatedAt'> & { generatedAt: string }) | null;
    childrenSeen: ChildSeenJson[];
    notReached: RouteRow | null;
  };

/**
 * The view statement for one WHERE clause (one per shape of the visibility rule): the 5 KB text is
 * built and named once, not on every read.
 */
const viewStatements = new Map<string, PreparedStatement>();
function viewStatement(where: string): PreparedStatement {
  let statement = viewStatements.get(where);
  if (!statement) {
    statement =
      prepared(`SELECT ${TRANSFER_COLUMNS}, ${MEMBERS} AS members, ${CONCERNS} AS concerns, ${APPOINTMENTS} AS appointments,
    ${CONTACTS} AS contacts, ${ACKNOWLEDGEMENTS} AS acknowledgements, ${LATEST_PACKET} AS "latestPacket",
    ${CHILDREN_SEEN} AS "childrenSeen", ${LATEST_ROUTE} AS "notReached" ${TRANSFER_FROM} WHERE ${where}`);
    viewStatements.set(where, statement);
  }
  return statement;
}

/** Parameters $1, $2, … in order. */
function params(): { values: unknown[]; p: SqlParam } {
  const values: unknown[] = [];
  return { values, p: (value) => `$${values.push(value)}` };
}

/**
 * A transfer and everything its view shows (household with involvements, concerns, appointments,
 * this round's contacts with their agreed actions, acknowledgements, the latest packet, each child
 * seen or not) in ONE
 * statement, whatever the household size — or null when there is no such transfer or `visibility`
 * does not let the caller see it (the two cost the same: the predicate is checked on the transfer
 * row before anything it shows is read).
 */
export async function loadTransferView(
  manager: EntityManager,
  id: string,
  visibility: ActorVisibility,
): Promise<TransferRecord | null> {
  const { values, p } = params();
  const where = `t.id = ${p(id)} AND ${visibilityPredicate(visibility, p)}`;
  const [row] = await runPrepared<ViewRow>(manager, viewStatement(where), values);
  if (!row) return null;
  // Decrypted in Node, after the one statement: the data key comes with the row.
  const cipher = cipherOfTransferRow(manager, row);
  const {
    members,
    concerns,
    appointments,
    contacts,
    acknowledgements,
    latestPacket,
    childrenSeen,
    notReached,
    kekId: _k,
    wrappedKey: _w,
    ...transfer
  } = row;
  return openRecord(cipher, {
    notReached: openRoute(cipher, notReached),
    transfer,
    members,
    concerns,
    appointments,
    contacts: contacts.map((c) => ({
      ...c,
      occurredAt: new Date(c.occurredAt),
      checkedAt: c.checkedAt === null ? null : new Date(c.checkedAt),
      recordedAt: new Date(c.recordedAt),
    })),
    acknowledgements: acknowledgements.map((a) => ({ ...a, acknowledgedAt: new Date(a.acknowledgedAt) })),
    latestPacket: latestPacket ? { ...latestPacket, generatedAt: new Date(latestPacket.generatedAt) } : null,
    childrenSeen: openChildrenSeen(cipher, childrenSeen),
  });
}

/** One page of a list: the transfers `visibility` lets the caller see, newest first, in one statement. */
export async function listTransferRows(
  manager: EntityManager,
  query: {
    visibility: ActorVisibility;
    status?: string;
    /** Continue after this (created_at, id). */
    after?: [string, string];
    limit: number;
  },
): Promise<TransferRow[]> {
  const { values, p } = params();
  const filters: string[] = [];
  if (query.status) filters.push(`t.status = ${p(query.status)}`);
  if (query.after)
    filters.push(`(t.created_at, t.id) < (${p(query.after[0])}::timestamptz, ${p(query.after[1])}::uuid)`);
  // One read per way the caller sees transfers, each newest first through its own index (an OR of
  // them made PostgreSQL fetch and sort every transfer of the team or area: 200-500 ms at 1,000,000
  // transfers), merged; UNION drops a transfer seen two ways (a lead's team lies in their area). The
  // page's ids as an array (an InitPlan), so the transfers are then found by primary key: with `IN`
  // PostgreSQL hash-joined the page against every transfer (3.5 s at 1,000,000).
  const branches = visibilityBranches(query.visibility, p).map(
    (side) =>
      `(SELECT t.id, t.created_at FROM transfers t WHERE ${[...side, ...filters].join(' AND ') || 'true'}
        ORDER BY t.created_at DESC, t.id DESC LIMIT ${branchLimit(query.limit)})`,
  );
  const text = `${TRANSFER_SELECT} WHERE t.id = ANY(ARRAY(SELECT id FROM (${branches.join(' UNION ')}) merged
      ORDER BY created_at DESC, id DESC LIMIT ${p(query.limit)})) ORDER BY t.created_at DESC, t.id DESC`;
  const rows = await runPrepared<TransferRow & KeyColumns>(manager, prepared(text), values);
  return rows.map((row) => openSelectedTransfer(manager, row));
}

/**
 * Whether `visibility` lets the caller see this transfer: one statement, true / false, and false
 * for a transfer that does not exist.
 */
export async function transferVisible(
  manager: EntityManager,
  id: string,
  visibility: ActorVisibility,
): Promise<boolean> {
  const { values, p } = params();
  const text = `SELECT 1 FROM transfers t WHERE t.id = ${p(id)} AND ${visibilityPredicate(visibility, p)}`;
  return (await runPrepared(manager, prepared(text), values)).length > 0;
}

/** A transfer's audit trail, oldest first. */
export function auditTrailOf(manager: EntityManager, transferId: string): Promise<AuditEventRow[]> {
  return runPrepared<AuditEventRow>(
    manager,
    prepared(`SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE transfer_id = $1 ORDER BY audit_events.id`),
    [transferId],
  );
}

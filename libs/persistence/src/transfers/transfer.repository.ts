import { carerCancellationsOf } from '@fh/domain';
import type { FamilyInformed, MemberFacts, RiskFlag, SharingBasis, TransferFacts, TransferState } from '@fh/domain';
import { EntityManager } from 'typeorm';
import { insertRows } from '../sql.js';
import { prepared, runPrepared } from '../prepared.js';
import { TransferCipher } from '../crypto/cipher.js';
import { cipherOfKeyRow, transferCipher } from '../crypto/transfer-keys.repository.js';
import { openRecord, openTransferRow, wrappedKeyBytes } from './transfer.sealing.js';
import { LATEST_ROUTE, openRoute } from './not-reached.js';
import type { RouteRow } from './not-reached.js';
import type { KeyColumns } from './transfer.sealing.js';
import type {
  AgreedActionRecord,
  AppointmentRecord,
  ConcernRecord,
  DirectContactRecord,
  FlagAcknowledgementRecord,
  MemberRecord,
  PacketSummary,
  TransferRecord,
  TransferRow,
} from './transfer.records.js';
import { CHILDREN_SEEN, openChildrenSeen } from '../reads/children-seen.js';
import type { ChildSeenJson } from '../reads/children-seen.js';

/**
 * A concern's bruising-protocol record (issue 14 item 4) as nested objects, null until recorded, for
 * the concerns row `alias`; the free text still sealed (openConcern opens it).
 */
function concernProtocolParts(alias: string): [string, string][] {
  const c = alias ? `${alias}.` : '';
  return [
    [
      'healthAssessment',
      `CASE WHEN ${c}health_assessment_on IS NULL THEN NULL ELSE json_build_object('by', ${c}health_assessment_by, 'on', ${c}health_assessment_on) END`,
    ],
    [
      'referral',
      `CASE WHEN ${c}referral_on IS NULL THEN NULL ELSE json_build_object('on', ${c}referral_on, 'reference', ${c}referral_reference) END`,
    ],
    [
      'multiAgencyDiscussion',
      `CASE WHEN ${c}discussion_on IS NULL THEN NULL ELSE json_build_object('on', ${c}discussion_on, 'outcome', ${c}discussion_outcome) END`,
    ],
    ['parentsExplanation', `${c}parents_explanation`],
  ];
}

/** The protocol record as SELECT columns. */
export function concernProtocolColumns(alias = ''): string {
  return concernProtocolParts(alias)
    .map(([key, sql]) => `${sql} AS "${key}"`)
    .join(', ');
}

/** The protocol record as json_build_object pairs. */
export function concernProtocolPairs(alias: string): string {
  return concernProtocolParts(alias)
    .map(([key, sql]) => `'${key}', ${sql}`)
    .join(', ');
}
const CONCERN_PROTOCOL_COLUMNS = concernProtocolColumns();

export const TRANSFER_COLUMNS = `
  t.id, t.reference, t.status, t.version, t.round, t.involvement, t.move_date AS "moveDate", t.move_type AS "moveType",
  t.kind, t.expected_until AS "expectedUntil", t.review_on AS "reviewOn",
  CASE WHEN t.short_stay_record_as IS NULL THEN NULL
    ELSE json_build_object('recordAs', t.short_stay_record_as, 'reason', t.short_stay_reason) END AS "shortStayChoice",
  CASE t.sharing_basis
    WHEN 'consent' THEN json_build_object('basis', t.sharing_basis, 'givenBy', t.consent_given_by, 'givenOn', t.consent_given_on)
    WHEN 'safeguarding_without_consent' THEN json_build_object('basis', t.sharing_basis, 'rationale', t.sharing_rationale,
      'approvedById', t.sharing_approved_by_id,
      'approvedBy', (SELECT json_build_object('name', sp.name, 'role', sp.role, 'teamId', sp.team_id, 'active', sp.active)
                     FROM practitioners sp WHERE sp.id = t.sharing_approved_by_id)) END AS "sharingBasis",
  CASE WHEN t.family_informed_on IS NOT NULL THEN json_build_object('on', t.family_informed_on)
    WHEN t.family_not_informed_reason IS NOT NULL THEN json_build_object('notInformedReason', t.family_not_informed_reason)
    END AS "familyInformed",
  t.host_contact_practitioner_id AS "hostContactPractitionerId",
  (SELECT hp.name FROM practitioners hp WHERE hp.id = t.host_contact_practitioner_id) AS "hostContactPractitionerName",
  t.notification_acknowledged_at AS "notificationAcknowledgedAt",
  t.reason, t.previous_address_area AS "previousAddressArea", t.new_address AS "newAddress",
  t.left_support_network AS "leftSupportNetwork", t.support_network_note AS "supportNetworkNote",
  t.household_confirmed AS "householdConfirmed", t.no_male_carer_reason AS "noMaleCarerReason",
  t.sending_team_id AS "sendingTeamId", st.name AS "sendingTeamName", t.sending_area_id AS "sendingAreaId", sa.code AS "sendingAreaCode", sa.name AS "sendingAreaName",
  t.receiving_team_id AS "receivingTeamId", rt.name AS "receivingTeamName", t.receiving_area_id AS "receivingAreaId", ra.code AS "receivingAreaCode", ra.name AS "receivingAreaName",
  t.accountable_practitioner_id AS "accountablePractitionerId", ap.name AS "accountablePractitionerName", ap.team_id AS "accountablePractitionerTeamId",
  t.risk_flags AS "riskFlags", t.contact_due_at AS "contactDueAt", t.return_reason AS "returnReason", t.cancel_reason AS "cancelReason",
  t.created_at AS "createdAt", t.updated_at AS "updatedAt", t.initiated_at AS "initiatedAt", t.accepted_at AS "acceptedAt",
  t.returned_at AS "returnedAt", t.cancelled_at AS "cancelledAt", t.closed_at AS "closedAt", t.erased_at AS "erasedAt",
  k.kek_id AS "kekId", k.wrapped_key AS "wrappedKey",
  t.interim_lead_id AS "interimLeadId", il.name AS "interimLeadName", il.team_id AS "interimLeadTeamId",
  t.conference_due_at AS "conferenceDueAt", t.conference_held_on AS "conferenceHeldOn", t.conference_outcome AS "conferenceOutcome",
  t.conference_chair AS "conferenceChair", t.conference_notes AS "conferenceNotes",
  t.conference_recorded_by_id AS "conferenceRecordedById", t.conference_recorded_at AS "conferenceRecordedAt",
  t.conference_received_on AS "conferenceReceivedOn", t.conference_confirmed_by_id AS "conferenceConfirmedById",
  t.conference_confirmed_at AS "conferenceConfirmedAt"`;

export const TRANSFER_FROM = `
  FROM transfers t
  JOIN teams st ON st.id = t.sending_team_id JOIN areas sa ON sa.id = t.sending_area_id
  JOIN teams rt ON rt.id = t.receiving_team_id JOIN areas ra ON ra.id = t.receiving_area_id
  JOIN practitioners ap ON ap.id = t.accountable_practitioner_id
  LEFT JOIN transfer_keys k ON k.transfer_id = t.id
  LEFT JOIN practitioners il ON il.id = t.interim_lead_id`;

export const TRANSFER_SELECT = `SELECT ${TRANSFER_COLUMNS} ${TRANSFER_FROM}`;

/** The transfer's cipher from the key columns TRANSFER_COLUMNS reads beside its row. */
export function cipherOfTransferRow(manager: EntityManager, row: TransferRow & KeyColumns): TransferCipher {
  // Erased by retention: the key is destroyed and every sealed field already null (the tombstone).
  if (row.erasedAt && row.kekId === null) return TransferCipher.erased(row.id);
  return cipherOfKeyRow(manager, row.id, row.kekId, wrappedKeyBytes(row.wrappedKey));
}

/** A row as TRANSFER_SELECT read it → its fields opened, the key columns dropped. */
export function openSelectedTransfer(manager: EntityManager, row: TransferRow & KeyColumns): TransferRow {
  const { kekId: _k, wrappedKey: _w, ...transfer } = row;
  return openTransferRow(cipherOfTransferRow(manager, row), transfer);
}

const LOCK_TRANSFER = prepared(`SELECT 1 FROM transfers WHERE id = $1 FOR NO KEY UPDATE`);

/**
 * Locks a transfer row for the rest of the transaction. Every path that changes a transfer or its
 * loose ends takes this lock FIRST, so concurrent changes queue rather than deadlock. NO KEY UPDATE:
 * rows that merely reference the transfer (emails, packets, outbox) can still be written meanwhile.
 */
export async function lockTransfer(manager: EntityManager, id: string): Promise<boolean> {
  const rows = await runPrepared(manager, LOCK_TRANSFER, [id]);
  return rows.length > 0;
}

/**
 * Loads a transfer and everything recorded about it in a fixed number of queries, whatever the
 * household size. With `lock`, the transfer row is locked for the rest of the transaction, which
 * serialises concurrent transitions of the same transfer.
 */
export async function loadTransfer(
  manager: EntityManager,
  id: string,
  options: { lock?: boolean } = {},
): Promise<TransferRecord | null> {
  if (options.lock) await lockTransfer(manager, id);
  const rows: (TransferRow & KeyColumns)[] = await manager.query(`${TRANSFER_SELECT} WHERE t.id = $1`, [id]);
  const selected = rows[0];
  if (!selected) return null;
  const cipher = cipherOfTransferRow(manager, selected);
  const { kekId: _k, wrappedKey: _w, ...transfer } = selected;

  const members: (Omit<MemberRecord, 'gp' | 'involvements'> & {
    gpStatus: MemberRecord['gp']['status'];
    gpPracticeOds: string | null;
    gpPracticeName: string | null;
  })[] = await manager.query(
    `SELECT id, ref, role, given_name AS "givenName", family_name AS "familyName", date_of_birth AS "dateOfBirth", sex,
              nhs_number AS "nhsNumber", lives_in_household AS "livesInHousehold", mobility, engaged,
              gp_status AS "gpStatus", gp_practice_ods AS "gpPracticeOds", gp_practice_name AS "gpPracticeName", risk_factors AS "riskFactors",
              statutory_order AS "statutoryOrder", not_independently_mobile AS "notIndependentlyMobile"
       FROM household_members WHERE transfer_id = $1 ORDER BY position`,
    [id],
  );
  const involvements: { memberId: string; agency: string; area: string | null; detail: string | null }[] =
    await manager.query(
      `SELECT member_id AS "memberId", agency, area, detail FROM member_involvements WHERE transfer_id = $1 ORDER BY position`,
      [id],
    );
  const concerns: ConcernRecord[] = await manager.query(
    `SELECT id, member_id AS "memberId", type, observed_on AS "observedOn", description, safeguarding_advice_sought AS "safeguardingAdviceSought",
            ${CONCERN_PROTOCOL_COLUMNS}
     FROM concerns WHERE transfer_id = $1 ORDER BY position`,
    [id],
  );
  const appointments: AppointmentRecord[] = await manager.query(
    `SELECT id, member_id AS "memberId", kind, provider, due_on AS "dueOn", status, attended_on AS "attendedOn", rebooked_for AS "rebookedFor",
            rescheduled_for AS "rescheduledFor", carer_cancellations AS "carerCancellations"
     FROM appointments WHERE transfer_id = $1 ORDER BY position`,
    [id],
  );
  const contacts: Omit<DirectContactRecord, 'agreedActions'>[] = await manager.query(
    `SELECT c.id, c.round, c.occurred_at AS "occurredAt", c.method, c.sending_practitioner_id AS "sendingPractitionerId", sp.name AS "sendingPractitionerName",
            c.recorded_by_id AS "recordedById", rp.name AS "recordedByName", c.summary, c.flag_acknowledgements AS "flagAcknowledgements", c.state,
            c.checked_by_id AS "checkedById", cp.name AS "checkedByName", c.checked_at AS "checkedAt", c.dispute_comment AS "disputeComment", c.recorded_at AS "recordedAt"
     FROM direct_contacts c
     LEFT JOIN practitioners sp ON sp.id = c.sending_practitioner_id
     LEFT JOIN practitioners rp ON rp.id = c.recorded_by_id
     LEFT JOIN practitioners cp ON cp.id = c.checked_by_id
     WHERE c.transfer_id = $1 AND c.round = $2 ORDER BY c.recorded_at, c.id`,
    [id, transfer.round],
  );
  const actions: (AgreedActionRecord & { contactId: string })[] = await manager.query(
    `SELECT a.id, a.direct_contact_id AS "contactId", a.description, a.owner, a.due_on AS "dueOn", a.review_on AS "reviewOn"
     FROM agreed_actions a JOIN direct_contacts c ON c.id = a.direct_contact_id
     WHERE a.transfer_id = $1 AND c.round = $2 ORDER BY a.position`,
    [id, transfer.round],
  );
  const acknowledgements: FlagAcknowledgementRecord[] = await manager.query(
    `SELECT a.code, a.advice, a.protocol_actions AS "actions", a.acknowledged_by_id AS "acknowledgedById", p.name AS "acknowledgedByName", a.acknowledged_at AS "acknowledgedAt"
     FROM flag_acknowledgements a LEFT JOIN practitioners p ON p.id = a.acknowledged_by_id
     WHERE a.transfer_id = $1 AND a.round = $2 ORDER BY a.acknowledged_at, a.id`,
    [id, transfer.round],
  );
  const packets: PacketSummary[] = await manager.query(
    `SELECT version, sha256, generated_at AS "generatedAt" FROM packets WHERE transfer_id = $1 ORDER BY version DESC LIMIT 1`,
    [id],
  );
  const [{ childrenSeen, notReached }]: { childrenSeen: ChildSeenJson[]; notReached: RouteRow | null }[] =
    await manager.query(
      `SELECT ${CHILDREN_SEEN} AS "childrenSeen", ${LATEST_ROUTE} AS "notReached" FROM transfers t WHERE t.id = $1`,
      [id],
    );

  return openRecord(cipher, {
    transfer,
    members: members.map(({ gpStatus, gpPracticeOds, gpPracticeName, ...m }) => ({
      ...m,
      gp: { status: gpStatus, practiceOds: gpPracticeOds, practiceName: gpPracticeName },
      involvements: involvements
        .filter((i) => i.memberId === m.id)
        .map(({ agency, area, detail }) => ({ agency, area, detail })),
    })),
    concerns,
    appointments,
    contacts: contacts.map((c) => ({
      ...c,
      agreedActions: actions.filter((a) => a.contactId === c.id).map(({ contactId: _c, ...a }) => a),
    })),
    acknowledgements,
    latestPacket: packets[0] ?? null,
    childrenSeen: openChildrenSeen(cipher, childrenSeen),
    notReached: openRoute(cipher, notReached),
  });
}

/** The facts the domain rules read, from the stored records. */
export function factsOf(
  transfer: Pick<
    TransferRow,
    | 'involvement'
    | 'moveDate'
    | 'moveType'
    | 'expectedUntil'
    | 'reviewOn'
    | 'shortStayChoice'
    | 'leftSupportNetwork'
    | 'supportNetworkNote'
    | 'householdConfirmed'
    | 'noMaleCarerReason'
  > & { sharingBasis?: SharingBasis | null; familyInformed?: FamilyInformed | null },
  members: MemberRecord[],
  concerns: ConcernRecord[],
  appointments: AppointmentRecord[],
): TransferFacts {
  return {
    involvement: transfer.involvement,
    moveDate: transfer.moveDate,
    moveType: transfer.moveType,
    expectedUntil: transfer.expectedUntil,
    reviewOn: transfer.reviewOn,
    shortStayChoice: transfer.shortStayChoice,
    sharingBasis: transfer.sharingBasis ?? null,
    familyInformed: transfer.familyInformed ?? null,
    leftSupportNetwork: transfer.leftSupportNetwork,
    supportNetworkNote: transfer.supportNetworkNote,
    householdConfirmed: transfer.householdConfirmed,
    noMaleCarerReason: transfer.noMaleCarerReason,
    household: members.map((m): MemberFacts => ({
      id: m.id,
      role: m.role,
      dateOfBirth: m.dateOfBirth,
      sex: m.sex,
      nhsNumber: m.nhsNumber,
      mobility: m.mobility,
      engaged: m.engaged,
      gp: { status: m.gp.status },
      involvements: m.involvements,
      riskFactors: m.riskFactors,
      statutoryOrder: m.statutoryOrder ?? null,
      notIndependentlyMobile: m.notIndependentlyMobile ?? null,
    })),
    concerns: concerns.map((c) => ({
      memberId: c.memberId,
      type: c.type,
      observedOn: c.observedOn,
      safeguardingAdviceSought: c.safeguardingAdviceSought,
      protocol: {
        healthAssessmentOn: c.healthAssessment?.on ?? null,
        referralOn: c.referral?.on ?? null,
        multiAgencyDiscussionOn: c.multiAgencyDiscussion?.on ?? null,
        parentsExplanationRecorded: (c.parentsExplanation ?? '').trim().length > 0,
      },
    })),
    appointments: appointments.map((a) => ({
      id: a.id,
      memberId: a.memberId,
      status: a.status,
      dueOn: a.dueOn,
      ...(a.carerCancellations ? { carerCancellations: a.carerCancellations } : {}),
    })),
  };
}

/** The current contact of this round: the latest one recorded. */
export function currentContact(record: TransferRecord): DirectContactRecord | null {
  return record.contacts.at(-1) ?? null;
}

/** The domain's view of a stored transfer. */
export function stateOf(record: TransferRecord): TransferState {
  const t = record.transfer;
  const contact = currentContact(record);
  return {
    status: t.status,
    sendingTeamId: t.sendingTeamId,
    sendingAreaId: t.sendingAreaId,
    receivingTeamId: t.receivingTeamId,
    receivingAreaId: t.receivingAreaId,
    accountablePractitionerId: t.accountablePractitionerId,
    interimLeadId: t.interimLeadId,
    conferenceDueAt: t.conferenceDueAt,
    conference:
      t.conferenceHeldOn !== null && t.conferenceOutcome !== null
        ? { heldOn: t.conferenceHeldOn, outcome: t.conferenceOutcome, confirmedOn: t.conferenceReceivedOn }
        : null,
    initiatedAt: t.initiatedAt,
    facts: factsOf(t, record.members, record.concerns, record.appointments),
    directContact: contact
      ? {
          id: contact.id,
          sendingPractitionerId: contact.sendingPractitionerId,
          recordedById: contact.recordedById,
          occurredAt: contact.occurredAt,
          acknowledgedFlagCodes: contact.flagAcknowledgements.map((f) => f.code),
          state: contact.state,
          method: contact.method as never,
          agreedActions: contact.agreedActions.map((a) => ({ id: a.id, dueOn: a.dueOn })),
        }
      : null,
    safeguardingAcknowledgements: record.acknowledgements.map((a) => a.code),
    hostContactPractitionerId: t.hostContactPractitionerId,
    familyNotReached: record.notReached,
  };
}

/**
 * Replaces the household, concerns and appointments of a transfer. Members keep their id when
 * their `ref` stays, so chase items and earlier records still point at the right person.
 */
export async function replaceFacts(
  manager: EntityManager,
  transferId: string,
  members: MemberRecord[],
  concerns: ConcernRecord[],
  appointments: AppointmentRecord[],
  cipher?: TransferCipher,
): Promise<void> {
  const c = cipher ?? (await transferCipher(manager, transferId));
  // Rows keep their ids across an update (chase items point at them); removed ones go.
  await manager.query(`DELETE FROM concerns WHERE transfer_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
    transferId,
    concerns.map((c) => c.id),
  ]);
  await manager.query(`DELETE FROM appointments WHERE transfer_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
    transferId,
    appointments.map((a) => a.id),
  ]);
  await manager.query(`DELETE FROM member_involvements WHERE transfer_id = $1`, [transferId]);
  await manager.query(`DELETE FROM household_members WHERE transfer_id = $1 AND NOT (id = ANY($2::uuid[]))`, [
    transferId,
    members.map((m) => m.id),
  ]);
  if (members.length) {
    const params: unknown[] = [];
    const values = members.map((m, position) => {
      const row = [
        m.id,
        transferId,
        position,
        m.ref,
        m.role,
        c.seal('household_members.given_name', m.givenName),
        c.seal('household_members.family_name', m.familyName),
        c.seal('household_members.date_of_birth', m.dateOfBirth),
        m.sex,
        c.seal('household_members.nhs_number', m.nhsNumber),
        m.livesInHousehold,
        m.mobility,
        m.engaged,
        m.gp.status,
        m.gp.practiceOds,
        m.gp.practiceName,
        m.riskFactors,
        m.statutoryOrder ?? null,
        m.notIndependentlyMobile ?? null,
      ];
      return `(${row.map((v) => `$${params.push(v)}`).join(', ')})`;
    });
    await manager.query(
      `INSERT INTO household_members (id, transfer_id, position, ref, role, given_name, family_name, date_of_birth, sex, nhs_number, lives_in_household,
         mobility, engaged, gp_status, gp_practice_ods, gp_practice_name, risk_factors, statutory_order, not_independently_mobile)
       VALUES ${values.join(', ')}
       ON CONFLICT (id) DO UPDATE SET position = EXCLUDED.position, ref = EXCLUDED.ref, role = EXCLUDED.role, given_name = EXCLUDED.given_name,
         family_name = EXCLUDED.family_name, date_of_birth = EXCLUDED.date_of_birth, sex = EXCLUDED.sex, nhs_number = EXCLUDED.nhs_number,
         lives_in_household = EXCLUDED.lives_in_household, mobility = EXCLUDED.mobility, engaged = EXCLUDED.engaged, gp_status = EXCLUDED.gp_status,
         gp_practice_ods = EXCLUDED.gp_practice_ods, gp_practice_name = EXCLUDED.gp_practice_name, risk_factors = EXCLUDED.risk_factors,
         statutory_order = EXCLUDED.statutory_order, not_independently_mobile = EXCLUDED.not_independently_mobile`,
      params,
    );
  }
  await insertRows(
    manager,
    'member_involvements',
    ['member_id', 'transfer_id', 'position', 'agency', 'area', 'detail'],
    members.flatMap((m) =>
      m.involvements.map((i, position) => [
        m.id,
        transferId,
        position,
        i.agency,
        i.area,
        c.seal('member_involvements.detail', i.detail),
      ]),
    ),
  );
  await insertRows(
    manager,
    'concerns',
    [
      'id',
      'transfer_id',
      'member_id',
      'position',
      'type',
      'observed_on',
      'description',
      'safeguarding_advice_sought',
      'health_assessment_by',
      'health_assessment_on',
      'referral_on',
      'referral_reference',
      'discussion_on',
      'discussion_outcome',
      'parents_explanation',
    ],
    concerns.map((concern, position) => [
      concern.id,
      transferId,
      concern.memberId,
      position,
      concern.type,
      concern.observedOn,
      c.seal('concerns.description', concern.description),
      concern.safeguardingAdviceSought,
      c.seal('concerns.health_assessment_by', concern.healthAssessment?.by ?? null),
      concern.healthAssessment?.on ?? null,
      concern.referral?.on ?? null,
      c.seal('concerns.referral_reference', concern.referral?.reference ?? null),
      concern.multiAgencyDiscussion?.on ?? null,
      c.seal('concerns.discussion_outcome', concern.multiAgencyDiscussion?.outcome ?? null),
      c.seal('concerns.parents_explanation', concern.parentsExplanation ?? null),
    ]),
    `ON CONFLICT (id) DO UPDATE SET member_id = EXCLUDED.member_id, position = EXCLUDED.position, type = EXCLUDED.type, observed_on = EXCLUDED.observed_on,
       description = EXCLUDED.description, safeguarding_advice_sought = EXCLUDED.safeguarding_advice_sought,
       health_assessment_by = EXCLUDED.health_assessment_by, health_assessment_on = EXCLUDED.health_assessment_on,
       referral_on = EXCLUDED.referral_on, referral_reference = EXCLUDED.referral_reference,
       discussion_on = EXCLUDED.discussion_on, discussion_outcome = EXCLUDED.discussion_outcome,
       parents_explanation = EXCLUDED.parents_explanation`,
  );
  await insertRows(
    manager,
    'appointments',
    [
      'id',
      'transfer_id',
      'member_id',
      'position',
      'kind',
      'provider',
      'due_on',
      'status',
      'attended_on',
      'rebooked_for',
      'rescheduled_for',
      'carer_cancellations',
    ],
    appointments.map((a, position) => [
      a.id,
      transferId,
      a.memberId,
      position,
      a.kind,
      a.provider,
      a.dueOn,
      a.status,
      a.attendedOn,
      a.rebookedFor,
      a.rescheduledFor ?? null,
      // A status given as cancelled or rescheduled by the carer counts once, and is never forgotten.
      carerCancellationsOf(a),
    ]),
    `ON CONFLICT (id) DO UPDATE SET member_id = EXCLUDED.member_id, position = EXCLUDED.position, kind = EXCLUDED.kind, provider = EXCLUDED.provider,
       due_on = EXCLUDED.due_on, status = EXCLUDED.status, attended_on = EXCLUDED.attended_on, rebooked_for = EXCLUDED.rebooked_for,
       rescheduled_for = EXCLUDED.rescheduled_for,
       carer_cancellations = GREATEST(appointments.carer_cancellations, EXCLUDED.carer_cancellations)`,
  );
}

/** Stores the flags the rules raised, so lists and monitoring need not recompute them. */
export function flagColumns(flags: readonly RiskFlag[]): { riskFlags: string; criticalFlagCodes: string[] } {
  return {
    riskFlags: JSON.stringify(flags),
    criticalFlagCodes: flags.filter((f) => f.severity === 'critical').map((f) => f.code),
  };
}

import type {
  FamilyNotReachedState,
  PractitionerRef,
  TransferEvent,
  TransferState,
  TransferStatus,
  VisibilityFacts,
} from '@fh/domain';
import { saveRoute } from './not-reached.js';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { TransferCipher } from '../crypto/cipher.js';
import { createTransferKey, transferCipher } from '../crypto/transfer-keys.repository.js';
import { visibilityColumns } from '../visibility.js';
import type {
  AppointmentRecord,
  ConcernRecord,
  MemberRecord,
  TransferRecord,
  TransferRow,
} from './transfer.records.js';
import { flagColumns, lockTransfer, replaceFacts } from './transfer.repository.js';
import { loadTransferView } from '../reads/transfer-view.js';
import { prepared, runPrepared } from '../prepared.js';
import { chaseOwnerId, computeRiskFlags, RECOMPUTES_FLAGS, transferKind } from '@fh/domain';
import type { FamilyInformed, SharingBasis } from '@fh/domain';

/** The transfer columns a draft or an update sets (everything but status, teams and accountability). */
export interface TransferFields {
  involvement: TransferRow['involvement'];
  moveDate: string;
  moveType: TransferRow['moveType'];
  expectedUntil: string | null;
  reviewOn: string | null;
  shortStayChoice: TransferRow['shortStayChoice'];
  /** Issue 13 item 4: the lawful basis for sharing and whether the family was told (null: not recorded yet). */
  sharingBasis: SharingBasis | null;
  familyInformed: FamilyInformed | null;
  reason: string | null;
  previousAddressArea: string | null;
  newAddress: TransferRow['newAddress'];
  leftSupportNetwork: boolean;
  supportNetworkNote: string | null;
  householdConfirmed: boolean;
  noMaleCarerReason: string | null;
}

/**
 * The lawful-basis columns (sharing_basis, consent_given_by, consent_given_on, sharing_rationale,
 * sharing_approved_by_id, family_informed_on, family_not_informed_reason), the free text sealed.
 */
const LAWFUL_BASIS_COLUMNS = [
  'sharing_basis',
  'consent_given_by',
  'consent_given_on',
  'sharing_rationale',
  'sharing_approved_by_id',
  'family_informed_on',
  'family_not_informed_reason',
] as const;

function lawfulBasisValues(c: TransferCipher, fields: TransferFields): unknown[] {
  const b = fields.sharingBasis;
  const consent = b?.basis === 'consent' ? b : null;
  const without = b?.basis === 'safeguarding_without_consent' ? b : null;
  const informed = fields.familyInformed;
  return [
    b?.basis ?? null,
    c.seal('transfers.consent_given_by', consent?.givenBy ?? null),
    consent?.givenOn ?? null,
    c.seal('transfers.sharing_rationale', without?.rationale ?? null),
    without?.approvedById ?? null,
    informed && 'on' in informed ? informed.on : null,
    c.seal(
      'transfers.family_not_informed_reason',
      informed && 'notInformedReason' in informed ? informed.notInformedReason : null,
    ),
  ];
}

/** The fields in the column order of insertDraft and updateDraft, the family's sealed. */
function sealedFields(c: TransferCipher, fields: TransferFields): unknown[] {
  return [
    fields.involvement,
    fields.moveDate,
    fields.moveType,
    c.seal('transfers.reason', fields.reason),
    fields.previousAddressArea,
    c.sealJson('transfers.new_address', fields.newAddress),
    fields.leftSupportNetwork,
    c.seal('transfers.support_network_note', fields.supportNetworkNote),
    fields.householdConfirmed,
    c.seal('transfers.no_male_carer_reason', fields.noMaleCarerReason),
  ];
}

/** What a transfer records about the family: its people, concerns and appointments. */
export interface FamilyRecords {
  members: MemberRecord[];
  concerns: ConcernRecord[];
  appointments: AppointmentRecord[];
}

/** An action agreed in a direct contact, with the id the domain chases it by. */
export interface NewAgreedAction {
  id: string;
  description: string;
  owner: string;
  dueOn: string;
  reviewOn?: string | null;
}

/** A direct contact as recorded (its agreed actions already carry the ids the domain chases them by). */
export interface NewDirectContact {
  id: string;
  round: number;
  occurredAt: Date;
  method: string;
  sendingPractitionerId: string;
  recordedById: string;
  summary: string;
  flagAcknowledgements: readonly { code: string; understanding: string }[];
  agreedActions: readonly NewAgreedAction[];
}

/** A transfer-in conference as the receiving side records it. */
export interface NewConference {
  heldOn: string;
  outcome: string;
  chair: string;
  notes: string | null;
  recordedById: string;
}

/** An appointment locked for an outcome, with the facts visibility needs about its transfer. */
export type AppointmentForDecision = VisibilityFacts & {
  transferId: string;
  memberId: string;
  transferStatus: TransferStatus;
};

/** An appointment as the outcome endpoint shows it. */
export interface AppointmentRow {
  id: string;
  transferId: string;
  memberId: string;
  kind: string;
  provider: string | null;
  dueOn: string;
  status: string;
  attendedOn: string | null;
  rebookedFor: string | null;
  rescheduledFor: string | null;
}

const APPLY_DECISION_SET = `status = $2, accountable_practitioner_id = $3,
  version = version + 1, updated_at = now(), closed_at = CASE WHEN $4 = 'transfer.closed' THEN $8::timestamptz ELSE closed_at END,
  host_contact_practitioner_id = $5,
  notification_acknowledged_at = CASE WHEN $4 = 'notification.acknowledged' THEN $8::timestamptz ELSE notification_acknowledged_at END,
  interim_lead_id = $6, conference_due_at = $7`;
const APPLY_DECISION_RETURNING = `RETURNING version, contact_due_at AS "contactDueAt"`;
/** A decision that keeps the stored flags and kind. */
const APPLY_DECISION = prepared(`UPDATE transfers SET ${APPLY_DECISION_SET} WHERE id = $1 ${APPLY_DECISION_RETURNING}`);
/** A decision after which the facts may differ: the flags and kind recomputed. */
const APPLY_DECISION_WITH_FLAGS = prepared(
  `UPDATE transfers SET ${APPLY_DECISION_SET}, risk_flags = $9, critical_flag_codes = $10, kind = $11 WHERE id = $1 ${APPLY_DECISION_RETURNING}`,
);

/**
 * The write side of a transfer: insert a draft, load it for a decision (with or without the lock),
 * apply the decision and what its event adds, and record evidence about the family. Used inside
 * the caller's transaction; every statement is here, readable in one place.
 */
export class TransferRepository {
  /** The data keys this transaction has opened, by transfer (family values are sealed under them). */
  private readonly ciphers = new Map<string, TransferCipher>();

  constructor(private readonly manager: EntityManager) {}

  private async cipher(transferId: string): Promise<TransferCipher> {
    let cipher = this.ciphers.get(transferId);
    if (!cipher) this.ciphers.set(transferId, (cipher = await transferCipher(this.manager, transferId)));
    return cipher;
  }

  /**
   * Inserts a new draft with its reference (HT-<year>-<n>) and its data key (transfer_keys), and
   * returns its id.
   */
  async insertDraft(fields: TransferFields, state: TransferState, createdById: string): Promise<string> {
    const flags = flagColumns(computeRiskFlags(state.facts));
    const id = randomUUID();
    const c = await createTransferKey(this.manager, id);
    this.ciphers.set(id, c);
    await this.manager.query(
      `INSERT INTO transfers (id, reference, status, involvement, move_date, move_type, reason, previous_address_area, new_address,
         left_support_network, support_network_note, household_confirmed, no_male_carer_reason,
         sending_team_id, sending_area_id, receiving_team_id, receiving_area_id, accountable_practitioner_id, created_by_id,
         risk_flags, critical_flag_codes, kind, expected_until, review_on, short_stay_record_as, short_stay_reason,
         ${LAWFUL_BASIS_COLUMNS.join(', ')})
       VALUES ($20, 'HT-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(nextval('transfer_reference_seq')::text, 6, '0'),
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $21, $22, $23, $24, $25,
         $26, $27, $28, $29, $30, $31, $32)`,
      [
        state.status,
        ...sealedFields(c, fields),
        state.sendingTeamId,
        state.sendingAreaId,
        state.receivingTeamId,
        state.receivingAreaId,
        state.accountablePractitionerId,
        createdById,
        flags.riskFlags,
        flags.criticalFlagCodes,
        id,
        transferKind(state.facts),
        fields.expectedUntil,
        fields.reviewOn,
        fields.shortStayChoice?.recordAs ?? null,
        c.seal('transfers.short_stay_reason', fields.shortStayChoice?.reason ?? null),
        ...lawfulBasisValues(c, fields),
      ],
    );
    return id;
  }

  /** Replaces the household, concerns and appointments (ids kept where the records are). */
  async replaceFamily(transferId: string, family: FamilyRecords): Promise<void> {
    const cipher = await this.cipher(transferId);
    return replaceFacts(this.manager, transferId, family.members, family.concerns, family.appointments, cipher);
  }

  /** Locks the transfer row for the rest of the transaction (the one lock order: the transfer first). */
  lock(transferId: string): Promise<boolean> {
    return lockTransfer(this.manager, transferId);
  }

  /**
   * The transfer as the domain decides on it, in one statement (the view's JSON-aggregating read,
   * unrestricted: the caller checks visibility with the domain's canSee on what it read); with
   * `lock`, the row is locked first, by a statement of its own, so the read that follows sees
   * everything committed before the lock was granted (one read under FOR UPDATE would see the
   * newest transfer row but its family as of the statement's start).
   */
  async loadForDecision(transferId: string, options: { lock?: boolean } = {}): Promise<TransferRecord | null> {
    if (options.lock && !(await lockTransfer(this.manager, transferId))) return null;
    return loadTransferView(this.manager, transferId, { all: true });
  }

  /** The transfer as it is now, everything its view shows, in one statement (to answer a command with). */
  view(transferId: string): Promise<TransferRecord | null> {
    return loadTransferView(this.manager, transferId, { all: true });
  }

  /**
   * Writes the state a decision reached: status, accountability, the host notification's contact, a
   * new version, and — for `transfer.closed` and `notification.acknowledged` — `at`, the service
   * clock's time the decision was made at (the event's own `at`), as the closing or acknowledging
   * time: retention counts from it, so it is never the database's `now()`. The stored flags and kind
   * are recomputed only for an event that can change them (RECOMPUTES_FLAGS); every other keeps them.
   * Returns what the row now says that emails name: its new version and the contact deadline.
   */
  async applyDecision(
    transferId: string,
    state: TransferState,
    event: TransferEvent,
    at: Date | null,
  ): Promise<{ version: number; contactDueAt: Date | null }> {
    if ((event === 'transfer.closed' || event === 'notification.acknowledged') && !at)
      throw new Error(`${event} needs the time it happened at`);
    const params: unknown[] = [
      transferId,
      state.status,
      state.accountablePractitionerId,
      event,
      state.hostContactPractitionerId ?? null,
      state.interimLeadId,
      state.conferenceDueAt,
      at,
    ];
    let statement = APPLY_DECISION;
    if (RECOMPUTES_FLAGS[event]) {
      const flags = flagColumns(computeRiskFlags(state.facts));
      params.push(flags.riskFlags, flags.criticalFlagCodes, transferKind(state.facts));
      statement = APPLY_DECISION_WITH_FLAGS;
    }
    const [row] = await runPrepared<{ version: number; contactDueAt: Date | null }>(this.manager, statement, params);
    return row!;
  }

  /** A move review answered "now permanent": the transfer's move is recorded as permanent. */
  async recordMovePermanent(transferId: string): Promise<void> {
    await this.manager.query(`UPDATE transfers SET move_type = 'permanent' WHERE id = $1`, [transferId]);
  }

  /** A draft's new fields and receiving team. */
  async updateDraft(
    transferId: string,
    fields: TransferFields,
    receiving: { teamId: string; areaId: string },
  ): Promise<void> {
    await this.manager.query(
      `UPDATE transfers SET involvement = $2, move_date = $3, move_type = $4, reason = $5, previous_address_area = $6, new_address = $7,
         left_support_network = $8, support_network_note = $9, household_confirmed = $10, no_male_carer_reason = $11,
         receiving_team_id = $12, receiving_area_id = $13, expected_until = $14, review_on = $15,
         short_stay_record_as = $16, short_stay_reason = $17,
         ${LAWFUL_BASIS_COLUMNS.map((column, i) => `${column} = $${18 + i}`).join(', ')}
       WHERE id = $1`,
      [
        transferId,
        ...sealedFields(await this.cipher(transferId), fields),
        receiving.teamId,
        receiving.areaId,
        fields.expectedUntil,
        fields.reviewOn,
        fields.shortStayChoice?.recordAs ?? null,
        (await this.cipher(transferId)).seal('transfers.short_stay_reason', fields.shortStayChoice?.reason ?? null),
        ...lawfulBasisValues(await this.cipher(transferId), fields),
      ],
    );
  }

  /** Initiated (again): a new round, with the deadline for direct contact. */
  async markInitiated(transferId: string, at: Date, contactDueAt: Date): Promise<void> {
    await this.manager.query(
      `UPDATE transfers SET initiated_at = $2, contact_due_at = $3, round = round + 1 WHERE id = $1`,
      [transferId, at, contactDueAt],
    );
  }

  /** Records a direct contact of this round, pending check-back, and the actions agreed in it. */
  async insertContact(transferId: string, contact: NewDirectContact): Promise<void> {
    const c = await this.cipher(transferId);
    await this.manager.query(
      `INSERT INTO direct_contacts (id, transfer_id, round, occurred_at, method, sending_practitioner_id, recorded_by_id, summary, flag_acknowledgements, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')`,
      [
        contact.id,
        transferId,
        contact.round,
        contact.occurredAt,
        contact.method,
        contact.sendingPractitionerId,
        contact.recordedById,
        c.seal('direct_contacts.summary', contact.summary),
        c.sealJson(
          'direct_contacts.flag_acknowledgements',
          contact.flagAcknowledgements.map((f) => ({ code: f.code, understanding: f.understanding })),
        ),
      ],
    );
    for (const [position, a] of contact.agreedActions.entries()) {
      await this.manager.query(
        `INSERT INTO agreed_actions (id, transfer_id, direct_contact_id, position, description, owner, due_on, review_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          a.id,
          transferId,
          contact.id,
          position,
          c.seal('agreed_actions.description', a.description),
          a.owner,
          a.dueOn,
          a.reviewOn ?? null,
        ],
      );
    }
  }

  /** The sending side's check-back on a contact of this transfer: confirmed, or disputed with a comment. */
  async checkContact(
    transferId: string,
    contactId: string,
    state: 'confirmed' | 'disputed',
    checkedById: string,
    disputeComment: string | null,
  ): Promise<void> {
    const comment = (await this.cipher(transferId)).seal('direct_contacts.dispute_comment', disputeComment);
    await this.manager.query(
      `UPDATE direct_contacts SET state = $2, checked_by_id = $3, checked_at = now(), dispute_comment = $4 WHERE id = $1 AND transfer_id = $5`,
      [contactId, state, checkedById, comment, transferId],
    );
  }

  /**
   * A safeguarding lead's acknowledgement of a flag in this round: always a new row — a second
   * lead's advice (or the same lead's again) stands beside the first, which is never replaced.
   */
  async acknowledgeFlag(
    transferId: string,
    round: number,
    code: string,
    advice: string,
    by: string,
    actions: readonly { item: string; action: string }[] = [],
  ): Promise<void> {
    const cipher = await this.cipher(transferId);
    await this.manager.query(
      `INSERT INTO flag_acknowledgements (transfer_id, round, code, advice, acknowledged_by_id, protocol_actions)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        transferId,
        round,
        code,
        cipher.seal('flag_acknowledgements.advice', advice),
        by,
        // What was done about each missing item of the bruising protocol (issue 14 item 4); none → NULL.
        actions.length > 0 ? cipher.sealJson('flag_acknowledgements.protocol_actions', actions) : null,
      ],
    );
  }

  async markAccepted(transferId: string, at: Date): Promise<void> {
    await this.manager.query(`UPDATE transfers SET accepted_at = $2 WHERE id = $1`, [transferId, at]);
  }

  /** The receiving area's transfer-in conference, as its recorder gives it (child protection). */
  async recordConference(transferId: string, conference: NewConference): Promise<void> {
    await this.manager.query(
      `UPDATE transfers SET conference_held_on = $2, conference_outcome = $3, conference_chair = $4, conference_notes = $5,
         conference_recorded_by_id = $6, conference_recorded_at = now()
       WHERE id = $1`,
      [
        transferId,
        conference.heldOn,
        conference.outcome,
        (await this.cipher(transferId)).seal('transfers.conference_chair', conference.chair),
        (await this.cipher(transferId)).seal('transfers.conference_notes', conference.notes),
        conference.recordedById,
      ],
    );
  }

  /** The family not reached (issue 14 item 2): the route as a decision left it (not-reached.ts). */
  async saveRoute(transferId: string, route: FamilyNotReachedState, opened: boolean): Promise<void> {
    await saveRoute(this.manager, await this.cipher(transferId), transferId, route, opened);
  }

  /** The sending side has the conference's written outcome (received on that date). */
  async confirmConference(transferId: string, receivedOn: string, confirmedById: string): Promise<void> {
    await this.manager.query(
      `UPDATE transfers SET conference_received_on = $2, conference_confirmed_by_id = $3, conference_confirmed_at = now()
       WHERE id = $1`,
      [transferId, receivedOn, confirmedById],
    );
  }

  async markReturned(transferId: string, at: Date, reason: string): Promise<void> {
    await this.manager.query(`UPDATE transfers SET returned_at = $2, return_reason = $3 WHERE id = $1`, [
      transferId,
      at,
      (await this.cipher(transferId)).seal('transfers.return_reason', reason),
    ]);
  }

  async markCancelled(transferId: string, at: Date, reason: string): Promise<void> {
    await this.manager.query(`UPDATE transfers SET cancelled_at = $2, cancel_reason = $3 WHERE id = $1`, [
      transferId,
      at,
      (await this.cipher(transferId)).seal('transfers.cancel_reason', reason),
    ]);
  }

  /** A team named in a request, with its area; null if there is none. */
  async team(teamId: string): Promise<{ id: string; areaId: string } | null> {
    const rows: { id: string; areaId: string }[] = await this.manager.query(
      `SELECT id, area_id AS "areaId" FROM teams WHERE id = $1`,
      [teamId],
    );
    return rows[0] ?? null;
  }

  /** A practitioner named in a request, as the rules see them; null if there is none. */
  async practitioner(id: string): Promise<PractitionerRef | null> {
    const rows: PractitionerRef[] = await this.manager.query(
      `SELECT id, team_id AS "teamId", active FROM practitioners WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Who owns the transfer's loose ends now (the domain's chaseOwnerId of the stored state). */
  async chaseOwnerId(transferId: string): Promise<string> {
    const [row]: { accountablePractitionerId: string; interimLeadId: string | null }[] = await this.manager.query(
      `SELECT accountable_practitioner_id AS "accountablePractitionerId", interim_lead_id AS "interimLeadId" FROM transfers WHERE id = $1`,
      [transferId],
    );
    return chaseOwnerId(row!);
  }

  /** A GP registration, evidenced: written where the family is recorded. */
  async recordGpRegistration(memberId: string, practiceOds: string, practiceName: string | null): Promise<void> {
    await this.manager.query(
      `UPDATE household_members SET gp_status = 'registered', gp_practice_ods = $2, gp_practice_name = $3 WHERE id = $1`,
      [memberId, practiceOds, practiceName],
    );
  }

  /**
   * An appointment locked for an outcome, with its transfer's status and visibility facts; null if
   * there is none. The transfer first, then the appointment: the one lock order every writer follows.
   */
  async lockAppointmentForDecision(appointmentId: string): Promise<AppointmentForDecision | null> {
    const [owner]: { transferId: string }[] = await this.manager.query(
      `SELECT transfer_id AS "transferId" FROM appointments WHERE id = $1`,
      [appointmentId],
    );
    if (owner) await lockTransfer(this.manager, owner.transferId);
    const rows: AppointmentForDecision[] = await this.manager.query(
      `SELECT a.transfer_id AS "transferId", a.member_id AS "memberId", t.status AS "transferStatus", ${visibilityColumns('t')}
       FROM appointments a JOIN transfers t ON t.id = a.transfer_id WHERE a.id = $1 FOR UPDATE OF a`,
      [appointmentId],
    );
    return rows[0] ?? null;
  }

  async recordAttendance(appointmentId: string, attendedOn: string): Promise<void> {
    await this.manager.query(`UPDATE appointments SET status = 'attended', attended_on = $2 WHERE id = $1`, [
      appointmentId,
      attendedOn,
    ]);
  }

  /** Not brought, or no access at a home visit: the status and the rebooked date, if any. */
  async recordNotSeen(
    appointmentId: string,
    status: 'was_not_brought' | 'no_access',
    rebookedFor: string | null,
  ): Promise<void> {
    await this.manager.query(`UPDATE appointments SET status = $2, rebooked_for = $3 WHERE id = $1`, [
      appointmentId,
      status,
      rebookedFor,
    ]);
  }

  /** Cancelled or rescheduled by the carer: the status, the new or rebooked date, and the count the domain kept. */
  async recordCarerCancellation(
    appointmentId: string,
    change: {
      status: 'cancelled_by_carer' | 'rescheduled';
      rebookedFor: string | null;
      rescheduledFor: string | null;
      carerCancellations: number;
    },
  ): Promise<void> {
    await this.manager.query(
      `UPDATE appointments SET status = $2, rebooked_for = $3, rescheduled_for = $4, carer_cancellations = $5 WHERE id = $1`,
      [appointmentId, change.status, change.rebookedFor, change.rescheduledFor, change.carerCancellations],
    );
  }

  async appointment(appointmentId: string): Promise<AppointmentRow | null> {
    const rows: AppointmentRow[] = await this.manager.query(
      `SELECT id, transfer_id AS "transferId", member_id AS "memberId", kind, provider, due_on AS "dueOn", status, attended_on AS "attendedOn", rebooked_for AS "rebookedFor",
              rescheduled_for AS "rescheduledFor"
       FROM appointments WHERE id = $1`,
      [appointmentId],
    );
    return rows[0] ?? null;
  }
}

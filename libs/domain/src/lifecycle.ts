/**
 * The transfer lifecycle (DESIGN §3) as data and pure functions.
 *
 *  draft ──initiate──▶ awaiting_contact ──record contact──▶ contact_recorded ──confirm (agree)──▶
 *  contact_confirmed ──accept──▶ accepted ──(all chase items closed)──▶ closed
 *  confirm (disagree): contact_recorded ──▶ awaiting_contact (the record kept, marked disputed)
 *  return (receiving, before acceptance) ──▶ returned ──re-initiate──▶ awaiting_contact
 *  cancel (sending) from draft / awaiting_contact / returned ──▶ cancelled
 *
 * `decide(state, actor, command, now)` answers one request: either the new state, the event to
 * audit and the effects to carry out (in the same transaction), or a refusal with every reason.
 * It never throws for bad input and never mutates its arguments.
 *
 * Checks run in this order, and the first failing stage answers:
 *   1. FORBIDDEN / NOT_VISIBLE      — the actor may not see the transfer (the API answers 404);
 *   2. INVALID_STATE                — the command is not allowed from the current status;
 *   3. FORBIDDEN                    — the actor may not give this command;
 *   4. PRECONDITION_FAILED          — with ALL unmet preconditions, not just the first.
 *
 * Who is who: the "sending side" is a practitioner or manager in the sending team, the
 * "receiving side" one in the receiving team (managers act for their team). Safeguarding leads of
 * either area see the transfer and acknowledge flags but do not act for a team. Admins never touch
 * family data. Only the system closes a transfer.
 */
import { isLocalDate } from './calendar.js';
import { DEFAULT_CLOCK_POLICY, contactDueAt, firstChaseAt, nextWorkingMorning, requiresTransferInConference, type ClockPolicy } from './clocks.js';
import { escalateOnce } from './chase-policy.js';
import { isChild, type TransferFacts } from './facts.js';
import { computeRiskFlags, criticalFlagCodes, type RiskFlag } from './risk-flags.js';
import { RISK_FLAG_TITLES } from './risk-flag-titles.js';
import {
  OUTSTANDING_APPOINTMENT_STATUSES,
  UNCONFIRMED_STATUSES,
  isContactMethod,
  isMaleCarerRole,
  isRiskFlagCode,
  type AppointmentStatus,
  type ChaseKind,
  type ContactMethod,
  type EscalationLevel,
  type PractitionerRole,
  type RiskFlagCode,
  type TransferStatus,
} from './vocabulary.js';

// =============================================================================================
// State, actors, commands

/** An action agreed in the direct contact, chased from its due date once the contact is confirmed. */
export interface AgreedActionRef {
  /** The service's id for the stored agreed action (chase items point at it). */
  readonly id: string;
  readonly dueOn: string;
}

export type DirectContactRecordState = 'pending' | 'confirmed' | 'disputed';

export interface DirectContactState {
  /** Who on the sending side took part in the conversation. */
  readonly sendingPractitionerId: string;
  /** The receiving-side practitioner who recorded it (and took part). */
  readonly recordedById: string;
  readonly occurredAt: Date;
  readonly acknowledgedFlagCodes: RiskFlagCode[];
  /** pending: awaiting check-back; confirmed: the sending side agreed; disputed: it did not. */
  readonly state: DirectContactRecordState;
  readonly method?: ContactMethod;
  readonly agreedActions?: readonly AgreedActionRef[];
}

export interface TransferState {
  readonly status: TransferStatus;
  readonly sendingTeamId: string;
  readonly sendingAreaId: string;
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  /** Exactly one, always: a sending-team member until `accept` succeeds, then the receiving lead. */
  readonly accountablePractitionerId: string;
  /** The latest initiation (re-initiation moves it on); null while never initiated. */
  readonly initiatedAt: Date | null;
  readonly facts: TransferFacts;
  /** The latest direct-contact record of the current round; cleared by (re-)initiation. */
  readonly directContact: DirectContactState | null;
  /** Flags acknowledged with advice by a safeguarding lead; cleared by (re-)initiation. */
  readonly safeguardingAcknowledgements: RiskFlagCode[];
}

export type ActorRole = PractitionerRole | 'system';

export interface Actor {
  readonly id: string;
  /** The actor's team; null for someone without one (e.g. an area-wide safeguarding lead or admin). */
  readonly teamId: string | null;
  readonly areaId: string | null;
  readonly role: ActorRole;
}

/** The service itself (sweeps, jobs). It sees everything and may only close transfers. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', teamId: null, areaId: null, role: 'system' });

/** A practitioner named in a command, as the directory knows them. */
export interface PractitionerRef {
  readonly id: string;
  readonly teamId: string;
  readonly active: boolean;
}

export type Command =
  /** Replace the facts (and optionally the receiving team) of a draft or returned transfer. */
  | { readonly type: 'update'; readonly facts: TransferFacts; readonly receiving?: { readonly teamId: string; readonly areaId: string } }
  | { readonly type: 'initiate' }
  | {
      readonly type: 'recordContact';
      readonly occurredAt: Date;
      /** Validated here: must be a ContactMethod (a conversation). */
      readonly method: string;
      readonly sendingPractitioner: PractitionerRef;
      /** One per active risk flag, with what the receiver understood of its significance. */
      readonly flagAcknowledgements: readonly { readonly code: string; readonly understanding: string }[];
      /** Agreed actions already given ids by the service; chased once the contact is confirmed. */
      readonly agreedActions?: readonly AgreedActionRef[];
    }
  | { readonly type: 'confirmContact'; readonly agree: boolean; readonly comment?: string | null }
  | { readonly type: 'acknowledgeFlag'; readonly code: string; readonly advice: string }
  | { readonly type: 'accept'; readonly leadPractitioner: PractitionerRef }
  | { readonly type: 'return'; readonly reason: string }
  | { readonly type: 'cancel'; readonly reason: string }
  | { readonly type: 'close'; readonly openChaseItems: number }
  /** A manager hands accountability to another practitioner of the same (accountable) side's team. */
  | { readonly type: 'reassign'; readonly to: PractitionerRef };

export type CommandType = Command['type'];

// =============================================================================================
// Decisions and refusals

export const TRANSFER_EVENTS = [
  'transfer.created',
  'transfer.updated',
  'transfer.initiated',
  'contact.recorded',
  'contact.confirmed',
  'contact.disputed',
  'flag.acknowledged',
  'transfer.accepted',
  'transfer.returned',
  'transfer.cancelled',
  'transfer.closed',
  'transfer.reassigned',
] as const;
export type TransferEvent = (typeof TRANSFER_EVENTS)[number];

export type RefusalCode =
  // FORBIDDEN
  | 'NOT_VISIBLE'
  | 'ADMIN_NO_FAMILY_DATA'
  | 'NOT_SENDING_SIDE'
  | 'NOT_RECEIVING_SIDE'
  | 'NOT_ACCOUNTABLE_OR_SENDING_MANAGER'
  | 'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE'
  | 'NOT_SAFEGUARDING_LEAD'
  | 'NOT_ACCOUNTABLE_SIDE_MANAGER'
  | 'SYSTEM_ONLY'
  | 'CANNOT_START_TRANSFER'
  // INVALID_STATE
  | 'NOT_ALLOWED_FROM_STATUS'
  // PRECONDITION_FAILED
  | 'RECEIVING_TEAM_IN_SAME_AREA'
  | 'RECEIVING_TEAM_FIXED'
  | 'NO_CHILD'
  | 'MEMBER_ROLE_MISSING'
  | 'HOUSEHOLD_NOT_CONFIRMED'
  | 'MALE_CARER_NOT_RECORDED'
  | 'GP_STATUS_NOT_RECORDED'
  | 'MOVE_DATE_INVALID'
  | 'APPOINTMENT_DATE_INVALID'
  | 'CONTACT_METHOD_NOT_CONVERSATION'
  | 'CONTACT_TIME_INVALID'
  | 'CONTACT_BEFORE_INITIATION'
  | 'CONTACT_IN_FUTURE'
  | 'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM'
  | 'SENDING_PRACTITIONER_INACTIVE'
  | 'FLAGS_NOT_ACKNOWLEDGED'
  | 'AGREED_ACTION_DUE_DATE_INVALID'
  | 'CONTACT_NOT_PENDING'
  | 'COMMENT_REQUIRED'
  | 'UNKNOWN_FLAG_CODE'
  | 'FLAG_NOT_ACTIVE'
  | 'ADVICE_REQUIRED'
  | 'CONTACT_NOT_CONFIRMED'
  | 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED'
  | 'LEAD_NOT_IN_RECEIVING_TEAM'
  | 'LEAD_INACTIVE'
  | 'REASON_REQUIRED'
  | 'CHASE_ITEMS_OPEN'
  | 'ASSIGNEE_NOT_IN_TEAM'
  | 'ASSIGNEE_INACTIVE'
  // chasing (chasing.ts)
  | 'NOT_ON_EITHER_TEAM'
  | 'NOT_MANAGER'
  | 'EVIDENCE_RESOLUTION_MISMATCH'
  | 'EVIDENCE_MISSING'
  | 'EVIDENCE_IN_FUTURE';

/** Why a request was refused: a stable code and a sentence a practitioner can act on. */
export interface Reason {
  readonly code: RefusalCode;
  readonly message: string;
  /** The flags concerned, when the reason is about flags. */
  readonly flagCodes?: RiskFlagCode[];
  /** The household members concerned (ids, never names). */
  readonly memberIds?: string[];
}

export type DecisionError = 'INVALID_STATE' | 'FORBIDDEN' | 'PRECONDITION_FAILED';

export type Decision =
  | { readonly ok: true; readonly state: TransferState; readonly event: TransferEvent; readonly effects: Effect[] }
  | { readonly ok: false; readonly error: DecisionError; readonly reasons: Reason[] };

export interface DecideOptions {
  readonly clocks?: ClockPolicy;
}

// =============================================================================================
// Effects: the intents the service turns into chase items and outbox rows.

/** Who a notification goes to; resolved by the service against the state AFTER the transition. */
export type NotifyAudience =
  | 'sending_team' // the sending team's mailbox
  | 'receiving_team' // the receiving team's mailbox
  | 'accountable_practitioner'
  | 'sending_participant' // the sending practitioner named in the direct contact
  | 'lead_practitioner' // the receiving lead named at acceptance (now accountable)
  | 'safeguarding_leads'; // the safeguarding leads of BOTH areas

export type NotifyMessage =
  | 'transfer.initiated'
  | 'critical_flags'
  | 'contact.check_back'
  | 'contact.confirmed'
  | 'contact.disputed'
  | 'transfer.accepted'
  | 'transfer.returned'
  | 'transfer.cancelled'
  | 'transfer.reassigned';

export type Effect =
  /** Generate the next packet version from the state after the transition. */
  | { readonly type: 'packet.generate' }
  /** Send a notification (no personal data: reference, what is needed, by when, a link). */
  | { readonly type: 'notify'; readonly message: NotifyMessage; readonly to: NotifyAudience[]; readonly flagCodes?: RiskFlagCode[] }
  /**
   * Open a chase item owned by the accountable practitioner — unless an open item with the same
   * kind and memberId / appointmentId / agreedActionId already exists for the transfer (a
   * re-initiation repeats the loose ends it still has).
   */
  | {
      readonly type: 'chase.open';
      readonly kind: ChaseKind;
      readonly memberId?: string;
      readonly appointmentId?: string;
      readonly agreedActionId?: string;
      readonly firstChaseAt: Date;
      readonly escalationLevel: EscalationLevel;
    }
  /** Every open chase item of the transfer now belongs to this practitioner. */
  | { readonly type: 'chase.transfer_ownership'; readonly to: string }
  /** Close every open chase item of the transfer (it was cancelled, with a reason). */
  | { readonly type: 'chase.close_all'; readonly resolution: 'not_required' }
  /** Close the open direct-contact chase item, if any. */
  | { readonly type: 'chase.close'; readonly kind: 'direct_contact'; readonly resolution: 'accepted' | 'superseded' };

interface EffectContext {
  readonly before: TransferState | null;
  readonly after: TransferState;
  readonly now: Date;
  readonly clocks: ClockPolicy;
}

const noEffects = (): Effect[] => [];

/**
 * What each event sets in motion — the one place to add effects. Effects are applied in order.
 */
const EFFECTS: Readonly<Record<TransferEvent, (ctx: EffectContext) => Effect[]>> = {
  'transfer.created': noEffects,
  'transfer.updated': noEffects,
  'transfer.initiated': ({ before, after, clocks }) => {
    const initiatedAt = after.initiatedAt!;
    const critical = criticalFlagCodes(computeRiskFlags(after.facts));
    return [
      { type: 'packet.generate' },
      { type: 'notify', message: 'transfer.initiated', to: ['receiving_team'] },
      ...(critical.length > 0 ? [{ type: 'notify', message: 'critical_flags', to: ['safeguarding_leads'], flagCodes: critical } satisfies Effect] : []),
      ...(before?.status === 'returned' ? [closeDirectContactChase('superseded')] : []),
      {
        type: 'chase.open',
        kind: 'direct_contact',
        firstChaseAt: firstChaseAt('direct_contact', { contactDueAt: contactDueAt(initiatedAt, after.facts.involvement, clocks) }, clocks),
        escalationLevel: 0,
      },
      ...looseEndsOf(after, clocks),
    ];
  },
  // The direct-contact chase stays open until the transfer is accepted: the family is in the gap
  // between the two areas until then. A new packet version carries the conversation and the
  // agreed actions.
  'contact.recorded': () => [
    { type: 'packet.generate' },
    { type: 'notify', message: 'contact.check_back', to: ['sending_participant', 'accountable_practitioner'] },
  ],
  // Agreed actions are chased once both sides agree the record they belong to.
  'contact.confirmed': ({ after, clocks }) => [
    { type: 'notify', message: 'contact.confirmed', to: ['receiving_team'] },
    ...(after.directContact?.agreedActions ?? []).map((action): Effect => ({
      type: 'chase.open',
      kind: 'agreed_action',
      agreedActionId: action.id,
      firstChaseAt: firstChaseAt('agreed_action', { dueOn: action.dueOn }, clocks),
      escalationLevel: 0,
    })),
  ],
  // Contact is needed again; the direct-contact chase was never closed and keeps its ladder.
  'contact.disputed': () => [{ type: 'notify', message: 'contact.disputed', to: ['receiving_team'] }],
  'flag.acknowledged': noEffects,
  'transfer.accepted': ({ after }) => [
    closeDirectContactChase('accepted'),
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'transfer.accepted', to: ['sending_team', 'lead_practitioner'] },
  ],
  'transfer.returned': ({ now, clocks }) => [
    // The sending side stays accountable and is chased to re-initiate.
    closeDirectContactChase('superseded'),
    { type: 'chase.open', kind: 'direct_contact', firstChaseAt: nextWorkingMorning(now, clocks), escalationLevel: 0 },
    { type: 'notify', message: 'transfer.returned', to: ['accountable_practitioner', 'sending_team'] },
  ],
  'transfer.cancelled': ({ before }) => [
    { type: 'chase.close_all', resolution: 'not_required' },
    // The receiving side only ever knew of an initiated transfer.
    ...(before?.initiatedAt ? [{ type: 'notify', message: 'transfer.cancelled', to: ['receiving_team'] } satisfies Effect] : []),
  ],
  'transfer.closed': noEffects,
  'transfer.reassigned': ({ after }) => [
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'transfer.reassigned', to: ['accountable_practitioner'] },
  ],
};

function closeDirectContactChase(resolution: 'accepted' | 'superseded'): Effect {
  return { type: 'chase.close', kind: 'direct_contact', resolution };
}

/**
 * The loose ends an initiation opens besides the direct contact:
 * - gp_registration for each household member whose GP status is not `registered` — children
 *   always, and adults too (a parent unknown to health is part of the review's lesson);
 * - appointment for each outstanding appointment (scheduled, or was_not_brought — the latter
 *   escalated one level at once and chased for a rebooked date), whoever it is for;
 * - transfer_in_conference for child protection.
 */
function looseEndsOf(state: TransferState, clocks: ClockPolicy): Effect[] {
  const f = state.facts;
  const gp = f.household
    .filter((m) => m.gp.status !== 'registered')
    .map((m): Effect => ({
      type: 'chase.open',
      kind: 'gp_registration',
      memberId: m.id,
      firstChaseAt: firstChaseAt('gp_registration', { moveDate: f.moveDate }, clocks),
      escalationLevel: 0,
    }));
  const appointments = f.appointments
    .filter((a) => (OUTSTANDING_APPOINTMENT_STATUSES as readonly AppointmentStatus[]).includes(a.status))
    .map((a): Effect => ({
      type: 'chase.open',
      kind: 'appointment',
      memberId: a.memberId,
      appointmentId: a.id,
      firstChaseAt: firstChaseAt('appointment', { dueOn: a.dueOn }, clocks),
      escalationLevel: a.status === 'was_not_brought' ? escalateOnce(0) : 0,
    }));
  const conference: Effect[] = requiresTransferInConference(f.involvement, clocks)
    ? [
        {
          type: 'chase.open',
          kind: 'transfer_in_conference',
          firstChaseAt: firstChaseAt('transfer_in_conference', { initiatedAt: state.initiatedAt }, clocks),
          escalationLevel: 0,
        },
      ]
    : [];
  return [...gp, ...appointments, ...conference];
}

/** The effects of an event, from the states before and after it (before is null for creation). */
export function effectsOf(
  event: TransferEvent,
  before: TransferState | null,
  after: TransferState,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): Effect[] {
  return EFFECTS[event]({ before, after, now, clocks });
}

// =============================================================================================
// Who may see and who may act

/** What visibility depends on (a TransferState, or a summary row). */
export interface VisibilityFacts {
  readonly sendingTeamId: string;
  readonly sendingAreaId: string;
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  readonly initiatedAt: Date | null;
  readonly status?: TransferStatus;
}

/**
 * May this actor see the transfer (and its family data)?
 * - the sending team: always; the sending area's safeguarding leads: always;
 * - the receiving team and the receiving area's safeguarding leads: once it has been initiated
 *   (so a draft, or a transfer cancelled as a draft, never was visible to them);
 * - admins: never; anyone else: never. The system: always.
 */
export function canSee(actor: Actor, t: VisibilityFacts): boolean {
  if (actor.role === 'system') return true;
  if (actor.role === 'admin') return false;
  const isLead = actor.role === 'safeguarding_lead';
  if (sameId(actor.teamId, t.sendingTeamId) || (isLead && sameId(actor.areaId, t.sendingAreaId))) return true;
  if (t.initiatedAt == null) return false;
  return sameId(actor.teamId, t.receivingTeamId) || (isLead && sameId(actor.areaId, t.receivingAreaId));
}

function sameId(a: string | null, b: string): boolean {
  return a !== null && a === b;
}

const actsForTeams = (a: Actor) => a.role === 'practitioner' || a.role === 'manager';
const isSendingSide = (s: TransferState, a: Actor) => actsForTeams(a) && sameId(a.teamId, s.sendingTeamId);
const isReceivingSide = (s: TransferState, a: Actor) => actsForTeams(a) && sameId(a.teamId, s.receivingTeamId);
const isSendingManager = (s: TransferState, a: Actor) => isSendingSide(s, a) && a.role === 'manager';
const isAccountable = (s: TransferState, a: Actor) => actsForTeams(a) && a.id === s.accountablePractitionerId;
const isSafeguardingLeadFor = (s: TransferState, a: Actor) =>
  a.role === 'safeguarding_lead' && (sameId(a.areaId, s.sendingAreaId) || sameId(a.areaId, s.receivingAreaId));
/** Before acceptance the sending team holds accountability; from acceptance the receiving team. */
export const accountableTeamId = (s: TransferState) => (s.status === 'accepted' || s.status === 'closed' ? s.receivingTeamId : s.sendingTeamId);

// =============================================================================================
// The transitions, one rule each.

interface TransitionRule<C extends Command> {
  /** Statuses the command is allowed from. */
  readonly from: readonly TransferStatus[];
  /** null when the actor may give the command, else why not. */
  readonly who: (s: TransferState, a: Actor, c: C) => Reason | null;
  /** Every unmet precondition. */
  readonly check: (s: TransferState, a: Actor, c: C, now: Date) => Reason[];
  readonly apply: (s: TransferState, a: Actor, c: C, now: Date) => TransferState;
  readonly event: (c: C) => TransferEvent;
}

type RuleFor<K extends CommandType> = TransitionRule<Extract<Command, { type: K }>>;

const BEFORE_ACCEPTANCE = UNCONFIRMED_STATUSES;

const sendingSideOnly = (s: TransferState, a: Actor): Reason | null =>
  isSendingSide(s, a) ? null : { code: 'NOT_SENDING_SIDE', message: 'only a practitioner or manager in the sending team can do this' };
const receivingSideOnly = (s: TransferState, a: Actor): Reason | null =>
  isReceivingSide(s, a) ? null : { code: 'NOT_RECEIVING_SIDE', message: 'only a practitioner or manager in the receiving team can do this' };
const accountableOrSendingManager = (s: TransferState, a: Actor): Reason | null =>
  isAccountable(s, a) || isSendingManager(s, a)
    ? null
    : { code: 'NOT_ACCOUNTABLE_OR_SENDING_MANAGER', message: 'only the accountable practitioner or a manager of the sending team can do this' };

const TRANSITIONS: { readonly [K in CommandType]: RuleFor<K> } = {
  update: {
    from: ['draft', 'returned'],
    who: sendingSideOnly,
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (c.receiving && c.receiving.areaId === s.sendingAreaId) reasons.push(sameAreaReason());
      // Once a team has been sent the family's details, the transfer stays theirs to see: sending
      // to someone else is a new transfer (cancel this one), never a silent re-route.
      if (c.receiving && s.initiatedAt !== null && c.receiving.teamId !== s.receivingTeamId) {
        reasons.push({
          code: 'RECEIVING_TEAM_FIXED',
          message: 'this transfer has already been sent to its receiving team; to send to another team, cancel it and start a new transfer',
        });
      }
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      facts: c.facts,
      receivingTeamId: c.receiving?.teamId ?? s.receivingTeamId,
      receivingAreaId: c.receiving?.areaId ?? s.receivingAreaId,
    }),
    event: () => 'transfer.updated',
  },

  initiate: {
    from: ['draft', 'returned'],
    who: accountableOrSendingManager,
    check: (s) => initiationGaps(s.facts),
    // A (re-)initiation starts a fresh round: a new packet, a new contact, fresh acknowledgements.
    apply: (s, _a, _c, now) => ({ ...s, status: 'awaiting_contact', initiatedAt: now, directContact: null, safeguardingAcknowledgements: [] }),
    event: () => 'transfer.initiated',
  },

  recordContact: {
    from: ['awaiting_contact'],
    who: receivingSideOnly,
    check: (s, _a, c, now) => contactGaps(s, c, now),
    apply: (s, a, c) => {
      const active = new Set(activeFlagCodes(s));
      return {
        ...s,
        status: 'contact_recorded',
        directContact: {
          sendingPractitionerId: c.sendingPractitioner.id,
          recordedById: a.id,
          occurredAt: new Date(c.occurredAt.getTime()),
          acknowledgedFlagCodes: [...new Set(c.flagAcknowledgements.map((f) => f.code))].filter(
            (code): code is RiskFlagCode => isRiskFlagCode(code) && active.has(code),
          ),
          state: 'pending',
          method: c.method as ContactMethod,
          agreedActions: (c.agreedActions ?? []).map((x) => ({ id: x.id, dueOn: x.dueOn })),
        },
      };
    },
    event: () => 'contact.recorded',
  },

  confirmContact: {
    from: ['contact_recorded'],
    who: (s, a) =>
      actsForTeams(a) && (a.id === s.directContact?.sendingPractitionerId || isAccountable(s, a))
        ? null
        : {
            code: 'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
            message: 'only the sending practitioner who took part in the conversation, or the accountable practitioner, can check the record back',
          },
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (s.directContact?.state !== 'pending')
        reasons.push({ code: 'CONTACT_NOT_PENDING', message: 'there is no direct-contact record waiting to be checked back' });
      if (!c.agree && !nonBlank(c.comment))
        reasons.push({ code: 'COMMENT_REQUIRED', message: 'say what is wrong with the record so the receiving team can put it right' });
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      status: c.agree ? 'contact_confirmed' : 'awaiting_contact',
      directContact: { ...s.directContact!, state: c.agree ? 'confirmed' : 'disputed' },
    }),
    event: (c) => (c.agree ? 'contact.confirmed' : 'contact.disputed'),
  },

  acknowledgeFlag: {
    from: [...UNCONFIRMED_STATUSES, 'accepted'],
    who: (s, a) =>
      isSafeguardingLeadFor(s, a)
        ? null
        : { code: 'NOT_SAFEGUARDING_LEAD', message: 'only a safeguarding lead of the sending or receiving area can acknowledge a flag with advice' },
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (!isRiskFlagCode(c.code)) reasons.push({ code: 'UNKNOWN_FLAG_CODE', message: `there is no risk flag called ${JSON.stringify(c.code)}` });
      else if (!activeFlagCodes(s).includes(c.code))
        reasons.push({ code: 'FLAG_NOT_ACTIVE', message: `${c.code} is not raised for this transfer`, flagCodes: [c.code] });
      if (!nonBlank(c.advice)) reasons.push({ code: 'ADVICE_REQUIRED', message: 'record the safeguarding advice you gave' });
      return reasons;
    },
    apply: (s, _a, c) => ({ ...s, safeguardingAcknowledgements: [...new Set([...s.safeguardingAcknowledgements, c.code as RiskFlagCode])] }),
    event: () => 'flag.acknowledged',
  },

  accept: {
    from: ['contact_confirmed'],
    who: receivingSideOnly,
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (s.directContact?.state !== 'confirmed') {
        reasons.push({ code: 'CONTACT_NOT_CONFIRMED', message: 'a direct conversation must be recorded and checked back by the sending side first' });
      }
      const missing = unacknowledgedCriticalFlags(s);
      if (missing.length > 0) {
        reasons.push({
          code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
          message: `a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: ${flagTitles(missing)}`,
          flagCodes: missing,
        });
      }
      if (c.leadPractitioner.teamId !== s.receivingTeamId)
        reasons.push({ code: 'LEAD_NOT_IN_RECEIVING_TEAM', message: 'the lead practitioner must be in the receiving team' });
      if (!c.leadPractitioner.active) reasons.push({ code: 'LEAD_INACTIVE', message: 'the lead practitioner is no longer active; choose someone who is' });
      return reasons;
    },
    apply: (s, _a, c) => ({ ...s, status: 'accepted', accountablePractitionerId: c.leadPractitioner.id }),
    event: () => 'transfer.accepted',
  },

  return: {
    from: BEFORE_ACCEPTANCE,
    who: receivingSideOnly,
    check: (_s, _a, c) => (nonBlank(c.reason) ? [] : [reasonRequired('returning')]),
    apply: (s) => ({ ...s, status: 'returned' }),
    event: () => 'transfer.returned',
  },

  cancel: {
    from: ['draft', 'awaiting_contact', 'returned'],
    who: accountableOrSendingManager,
    check: (_s, _a, c) => (nonBlank(c.reason) ? [] : [reasonRequired('cancelling')]),
    apply: (s) => ({ ...s, status: 'cancelled' }),
    event: () => 'transfer.cancelled',
  },

  close: {
    from: ['accepted'],
    who: (_s, a) => (a.role === 'system' ? null : { code: 'SYSTEM_ONLY', message: 'a transfer closes by itself once every chase item is closed' }),
    check: (_s, _a, c) =>
      c.openChaseItems === 0 ? [] : [{ code: 'CHASE_ITEMS_OPEN', message: `${c.openChaseItems} chase item(s) still open; close each with evidence first` }],
    apply: (s) => ({ ...s, status: 'closed' }),
    event: () => 'transfer.closed',
  },

  reassign: {
    from: ['draft', ...UNCONFIRMED_STATUSES, 'returned', 'accepted'],
    who: (s, a) =>
      a.role === 'manager' && sameId(a.teamId, accountableTeamId(s))
        ? null
        : { code: 'NOT_ACCOUNTABLE_SIDE_MANAGER', message: 'only a manager of the team holding accountability can reassign it' },
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (c.to.teamId !== accountableTeamId(s))
        reasons.push({ code: 'ASSIGNEE_NOT_IN_TEAM', message: 'the new accountable practitioner must be in the team holding accountability' });
      if (!c.to.active) reasons.push({ code: 'ASSIGNEE_INACTIVE', message: 'the new accountable practitioner is not active' });
      return reasons;
    },
    apply: (s, _a, c) => ({ ...s, accountablePractitionerId: c.to.id }),
    event: () => 'transfer.reassigned',
  },
};

/** Decide one command. See the file header for the order of checks. */
export function decide(state: TransferState, actor: Actor, command: Command, now: Date, options: DecideOptions = {}): Decision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', { code: 'ADMIN_NO_FAMILY_DATA', message: 'administrators do not have access to family data' });
  if (!canSee(actor, state)) return refuse('FORBIDDEN', { code: 'NOT_VISIBLE', message: 'you cannot see this transfer' });
  const rule = TRANSITIONS[command.type] as TransitionRule<Command> | undefined;
  if (!rule)
    return refuse('INVALID_STATE', { code: 'NOT_ALLOWED_FROM_STATUS', message: `unknown command ${JSON.stringify((command as { type: unknown }).type)}` });
  if (!rule.from.includes(state.status)) {
    return refuse('INVALID_STATE', {
      code: 'NOT_ALLOWED_FROM_STATUS',
      message: `cannot ${COMMAND_WORDS[command.type]} a transfer that is ${statusWords(state.status)} (allowed from: ${rule.from.map(statusWords).join(', ')})`,
    });
  }
  const forbidden = rule.who(state, actor, command);
  if (forbidden) return refuse('FORBIDDEN', forbidden);
  const unmet = rule.check(state, actor, command, now);
  if (unmet.length > 0) return { ok: false, error: 'PRECONDITION_FAILED', reasons: unmet };
  const after = rule.apply(state, actor, command, now);
  const event = rule.event(command);
  return { ok: true, state: after, event, effects: effectsOf(event, state, after, now, options.clocks ?? DEFAULT_CLOCK_POLICY) };
}

/** Close an accepted transfer once no chase item is open (the system's sweep calls this). */
export function closeIfDone(state: TransferState, openChaseItems: number, now: Date): Decision {
  return decide(state, SYSTEM_ACTOR, { type: 'close', openChaseItems }, now);
}

export interface NewTransfer {
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  readonly facts: TransferFacts;
}

/**
 * Create a draft from the actor's team. The creator becomes the accountable practitioner.
 * Refused when the actor is not a practitioner/manager in a team, or the receiving team is in
 * the same area (a transfer is between areas).
 */
export function createTransfer(actor: Actor, input: NewTransfer): Decision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', { code: 'ADMIN_NO_FAMILY_DATA', message: 'administrators do not have access to family data' });
  if (!actsForTeams(actor) || actor.teamId === null || actor.areaId === null) {
    return refuse('FORBIDDEN', { code: 'CANNOT_START_TRANSFER', message: 'only a practitioner or manager in a team can start a transfer from that team' });
  }
  if (input.receivingAreaId === actor.areaId) return refuse('PRECONDITION_FAILED', sameAreaReason());
  const state: TransferState = {
    status: 'draft',
    sendingTeamId: actor.teamId,
    sendingAreaId: actor.areaId,
    receivingTeamId: input.receivingTeamId,
    receivingAreaId: input.receivingAreaId,
    accountablePractitionerId: actor.id,
    initiatedAt: null,
    facts: input.facts,
    directContact: null,
    safeguardingAcknowledgements: [],
  };
  return { ok: true, state, event: 'transfer.created', effects: effectsOf('transfer.created', null, state, new Date(0)) };
}

// =============================================================================================
// Preconditions in words

/** Everything that stops a draft being initiated (DESIGN §3), all at once. */
export function initiationGaps(f: TransferFacts): Reason[] {
  const reasons: Reason[] = [];
  const children = f.household.filter(isChild);
  if (children.length === 0) reasons.push({ code: 'NO_CHILD', message: 'add at least one child to the household' });
  const noRole = f.household.filter((m) => m.role === null).map((m) => m.id);
  if (noRole.length > 0) {
    reasons.push({ code: 'MEMBER_ROLE_MISSING', message: `give every household member a role (${noRole.length} without one)`, memberIds: noRole });
  }
  if (!f.householdConfirmed) {
    reasons.push({ code: 'HOUSEHOLD_NOT_CONFIRMED', message: 'confirm who lives in the household before initiating' });
  }
  if (!f.household.some((m) => isMaleCarerRole(m.role, m.sex)) && !nonBlank(f.noMaleCarerReason)) {
    reasons.push({ code: 'MALE_CARER_NOT_RECORDED', message: 'father/male carer not recorded and no reason given' });
  }
  const noGp = children.filter((m) => m.gp.status === null).map((m) => m.id);
  if (noGp.length > 0) {
    reasons.push({
      code: 'GP_STATUS_NOT_RECORDED',
      message: `record each child's GP status (registered, not registered or unknown); ${noGp.length} not recorded`,
      memberIds: noGp,
    });
  }
  if (!isLocalDate(f.moveDate)) reasons.push({ code: 'MOVE_DATE_INVALID', message: 'give the move date as YYYY-MM-DD' });
  const badAppointments = f.appointments.filter((a) => !isLocalDate(a.dueOn));
  if (badAppointments.length > 0) {
    reasons.push({
      code: 'APPOINTMENT_DATE_INVALID',
      message: 'give every appointment a due date as YYYY-MM-DD',
      memberIds: [...new Set(badAppointments.map((a) => a.memberId))],
    });
  }
  return reasons;
}

function contactGaps(s: TransferState, c: Extract<Command, { type: 'recordContact' }>, now: Date): Reason[] {
  const reasons: Reason[] = [];
  if (!isContactMethod(c.method)) {
    reasons.push({ code: 'CONTACT_METHOD_NOT_CONVERSATION', message: 'direct contact must be a conversation: phone, video, in person or meeting' });
  }
  const when = c.occurredAt instanceof Date ? c.occurredAt.getTime() : NaN;
  if (Number.isNaN(when)) {
    reasons.push({ code: 'CONTACT_TIME_INVALID', message: 'give the date and time the conversation happened' });
  } else {
    if (s.initiatedAt && when <= s.initiatedAt.getTime()) {
      reasons.push({ code: 'CONTACT_BEFORE_INITIATION', message: 'the conversation must have happened after the transfer was (last) initiated' });
    }
    if (when > now.getTime()) reasons.push({ code: 'CONTACT_IN_FUTURE', message: 'the conversation cannot be in the future: record it once it has happened' });
  }
  if (c.sendingPractitioner.teamId !== s.sendingTeamId) {
    reasons.push({ code: 'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM', message: 'the person you spoke to must be a practitioner in the sending team' });
  }
  if (!c.sendingPractitioner.active) {
    reasons.push({ code: 'SENDING_PRACTITIONER_INACTIVE', message: 'the sending practitioner you spoke to is not active in the directory' });
  }
  const understood = new Set(c.flagAcknowledgements.filter((f) => nonBlank(f.understanding)).map((f) => f.code));
  const missing = activeFlagCodes(s).filter((code) => !understood.has(code));
  if (missing.length > 0) {
    reasons.push({
      code: 'FLAGS_NOT_ACKNOWLEDGED',
      message: `acknowledge every risk flag with what you understood of its significance; not yet acknowledged: ${flagTitles(missing)}`,
      flagCodes: missing,
    });
  }
  if ((c.agreedActions ?? []).some((a) => !isLocalDate(a.dueOn))) {
    reasons.push({ code: 'AGREED_ACTION_DUE_DATE_INVALID', message: 'give every agreed action a due date (YYYY-MM-DD) so it can be followed up' });
  }
  return reasons;
}

// =============================================================================================
// Helpers

/** The risk flags raised by the transfer's current facts. */
export function activeRiskFlags(state: Pick<TransferState, 'facts'>): RiskFlag[] {
  return computeRiskFlags(state.facts);
}

export function activeFlagCodes(state: Pick<TransferState, 'facts'>): RiskFlagCode[] {
  return activeRiskFlags(state).map((f) => f.code);
}

/** Critical flags still waiting for a safeguarding lead's acknowledgement (these block `accept`). */
export function unacknowledgedCriticalFlags(state: Pick<TransferState, 'facts' | 'safeguardingAcknowledgements'>): RiskFlagCode[] {
  return criticalFlagCodes(activeRiskFlags(state)).filter((code) => !state.safeguardingAcknowledgements.includes(code));
}

function nonBlank(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Flags as people read them (RISK_FLAG_TITLES), never as codes. */
function flagTitles(codes: readonly RiskFlagCode[]): string {
  return codes.map((code) => RISK_FLAG_TITLES[code].title).join('; ');
}

const statusWords = (status: TransferStatus) => status.replace(/_/g, ' ');

function refuse(error: DecisionError, reason: Reason): Decision {
  return { ok: false, error, reasons: [reason] };
}

function sameAreaReason(): Reason {
  return { code: 'RECEIVING_TEAM_IN_SAME_AREA', message: 'the receiving team must be in another area: a transfer moves responsibility between areas' };
}

function reasonRequired(doing: string): Reason {
  return { code: 'REASON_REQUIRED', message: `give a reason for ${doing} the transfer` };
}

const COMMAND_WORDS: Readonly<Record<CommandType, string>> = {
  update: 'change',
  initiate: 'initiate',
  recordContact: 'record direct contact on',
  confirmContact: 'check back the contact on',
  acknowledgeFlag: 'acknowledge a flag on',
  accept: 'accept',
  return: 'return',
  cancel: 'cancel',
  close: 'close',
  reassign: 'reassign',
};

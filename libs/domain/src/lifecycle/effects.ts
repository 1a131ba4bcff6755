/**
 * Effects: the intents the service turns into chase items and outbox rows, in the same
 * transaction as the transition. EFFECTS says what each event sets in motion — the one place to
 * add effects; its type keeps it complete (every TransferEvent has an entry).
 */
import { DEFAULT_CLOCK_POLICY, firstChaseAt, moveReviewOn, nextWorkingMorning, type ClockPolicy } from '../clocks.js';
import { escalateOnce } from '../chase-policy.js';
import { childrenToBeSeen } from '../child-seen.js';
import { computeRiskFlags, criticalFlagCodes } from '../risk-flags.js';
import {
  MAX_ESCALATION_LEVEL,
  MISSED_APPOINTMENT_STATUSES,
  OUTSTANDING_APPOINTMENT_STATUSES,
  type AppointmentStatus,
  type ChaseKind,
  type EscalationLevel,
  type LocateCheck,
  type RiskFlagCode,
} from '../vocabulary.js';
import type { EventOf, TransferEvent, TransferEventRecord } from './events.js';
import { conferenceClockStartsAt, isHostNotification, needsMoveReview } from './kind.js';
import type { TransferState } from './state.js';

/** Who a notification goes to; resolved by the service against the state AFTER the transition. */
export type NotifyAudience =
  | 'sending_team' // the sending team's mailbox
  | 'receiving_team' // the receiving team's mailbox
  | 'accountable_practitioner'
  | 'sending_participant' // the sending practitioner named in the direct contact
  | 'lead_practitioner' // the receiving lead named at acceptance (now accountable)
  | 'interim_lead' // child protection: the receiving lead running the plan until the written outcome
  | 'safeguarding_leads'; // the safeguarding leads of BOTH areas

export type NotifyMessage =
  | 'transfer.initiated'
  | 'notification.initiated'
  | 'notification.acknowledged'
  | 'critical_flags'
  | 'contact.check_back'
  | 'contact.confirmed'
  | 'notification.contact_confirmed' // a host notification's: acknowledge it, never accept
  | 'contact.disputed'
  | 'transfer.accepted'
  | 'transfer.accepted_in'
  | 'conference.recorded'
  | 'transfer.returned'
  | 'transfer.cancelled'
  | 'transfer.reassigned'
  | 'appointment.missed_on_plan' // a child on a child protection plan not brought / no access
  // the family not reached (issue 14 item 2)
  | 'family_not_reached' // both areas' safeguarding leads, at once
  | 'national_alert_due' // child protection: the national alert decision is due at once
  | 'family_found';

export type Effect =
  /** Generate the next packet version from the state after the transition. */
  | { readonly type: 'packet.generate' }
  /** Send a notification (no personal data: reference, what is needed, by when, a link). */
  | {
      readonly type: 'notify';
      readonly message: NotifyMessage;
      readonly to: NotifyAudience[];
      readonly flagCodes?: RiskFlagCode[];
    }
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
      /** The local date the loose end is due by, where it has one (child_seen). */
      readonly dueOn?: string;
      readonly firstChaseAt: Date;
      readonly escalationLevel: EscalationLevel;
    }
  /**
   * Every open chase item of the transfer now belongs to this practitioner — except the receiving
   * side's own (child_seen), which belong to `receivingChaseOwnerId` of the state after (sides.ts).
   */
  | { readonly type: 'chase.transfer_ownership'; readonly to: string }
  /** Close every open chase item of the transfer (it was cancelled, with a reason). */
  | { readonly type: 'chase.close_all'; readonly resolution: 'not_required' }
  /**
   * Close, as superseded, the open appointment items about appointments and the open GP-registration
   * items about people no longer recorded: those recorded now are listed.
   */
  | {
      readonly type: 'chase.close_unrecorded';
      readonly appointmentIds: readonly string[];
      readonly memberIds: readonly string[];
      readonly resolution: 'superseded';
    }
  /**
   * Close the open direct-contact chase item, if any; or the conference's, once it is held (or
   * superseded by a re-initiation, whose clock starts afresh).
   */
  | {
      readonly type: 'chase.close';
      readonly kind: 'direct_contact';
      readonly resolution: 'accepted' | 'acknowledged' | 'superseded';
    }
  | {
      readonly type: 'chase.close';
      readonly kind: 'transfer_in_conference';
      readonly resolution: 'held' | 'superseded';
    }
  /** The family not reached: a locate check closed with what was found, the national alert decided, or the family found. */
  | {
      readonly type: 'chase.close';
      readonly kind: LocateChaseKind | 'national_alert';
      readonly resolution: 'checked' | 'decided' | 'family_found';
    };

/** The chase item of each locate check (issue 14 item 2). */
export type LocateChaseKind = `locate_${LocateCheck}`;
export const locateChaseKind = (check: LocateCheck): LocateChaseKind => `locate_${check}`;

interface EffectContext<K extends TransferEvent> {
  readonly event: EventOf<K>;
  readonly before: TransferState | null;
  readonly after: TransferState;
  readonly now: Date;
  readonly clocks: ClockPolicy;
}

const noEffects = (): Effect[] => [];

/**
 * What each event sets in motion — the one place to add effects. Effects are applied in order.
 */
const EFFECTS: { readonly [K in TransferEvent]: (ctx: EffectContext<K>) => Effect[] } = {
  'transfer.created': noEffects,
  // A returned transfer's update can drop people or appointments its loose ends are about; a draft
  // never initiated has none.
  'transfer.updated': ({ before, after }) => (before?.initiatedAt ? closeUnrecorded(before, after) : []),
  'transfer.initiated': ({ event, before, after, clocks }) => {
    const critical = criticalFlagCodes(computeRiskFlags(after.facts));
    return [
      { type: 'packet.generate' },
      {
        type: 'notify',
        message: isHostNotification(after.facts) ? 'notification.initiated' : 'transfer.initiated',
        to: ['receiving_team'],
      },
      ...(critical.length > 0
        ? [
            {
              type: 'notify',
              message: 'critical_flags',
              to: ['safeguarding_leads'],
              flagCodes: critical,
            } satisfies Effect,
          ]
        : []),
      ...(before?.status === 'returned' ? [closeDirectContactChase('superseded')] : []),
      // A re-initiation counts the conference afresh (or not at all, for a family no longer on a
      // plan): the old clock's item goes, and looseEndsOf opens the new one.
      ...(before?.status === 'returned' && before.conferenceDueAt !== null
        ? [{ type: 'chase.close', kind: 'transfer_in_conference', resolution: 'superseded' } satisfies Effect]
        : []),
      {
        type: 'chase.open',
        kind: 'direct_contact',
        firstChaseAt: firstChaseAt('direct_contact', { contactDueAt: event.contactDueAt }, clocks),
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
    {
      type: 'notify',
      message: isHostNotification(after.facts) ? 'notification.contact_confirmed' : 'contact.confirmed',
      to: ['receiving_team'],
    },
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
  // Every lead's advice is kept and travels: a new packet version carries it (issue 12 item 2).
  'flag.acknowledged': () => [{ type: 'packet.generate' }],
  'transfer.accepted': ({ after }) => [
    closeDirectContactChase('accepted'),
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'transfer.accepted', to: ['sending_team', 'lead_practitioner'] },
  ],
  // A host notification: the host team named its contact; the sending practitioner stays accountable
  // and keeps every loose end (GP registration, appointments, agreed actions).
  'notification.acknowledged': ({ after }) => [
    closeDirectContactChase('acknowledged'),
    // The sending practitioner keeps their loose ends; the children to be seen are now the host contact's.
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'notification.acknowledged', to: ['sending_team', 'accountable_practitioner'] },
  ],
  // Child protection, transfer-in accepted: the conversation's chase is done; the loose ends move to
  // the interim lead, who runs the plan; the sending practitioner stays accountable. With the
  // clock counted from acceptance, the conference's chase starts now.
  'transfer.accepted_in': ({ after, clocks }) => [
    { type: 'packet.generate' },
    closeDirectContactChase('accepted'),
    { type: 'chase.transfer_ownership', to: after.interimLeadId! },
    ...(conferenceClockStartsAt('acceptance', after.facts, clocks) ? [conferenceChase(after, clocks)] : []),
    {
      type: 'notify',
      message: 'transfer.accepted_in',
      to: ['sending_team', 'accountable_practitioner', 'interim_lead'],
    },
  ],
  // The conference's chase closes with its record; the sending side is asked for the written outcome.
  'conference.recorded': () => [
    { type: 'packet.generate' },
    { type: 'chase.close', kind: 'transfer_in_conference', resolution: 'held' },
    { type: 'notify', message: 'conference.recorded', to: ['accountable_practitioner', 'sending_team'] },
  ],
  // The written outcome received: the interim lead is now accountable (their chase items already are).
  'conference.confirmed': ({ after }) => [
    { type: 'packet.generate' },
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'transfer.accepted', to: ['sending_team', 'lead_practitioner'] },
  ],
  // The record closes the child's child_seen item (the writer stores it as the item's evidence).
  'child.seen': () => [{ type: 'packet.generate' }],
  'transfer.returned': ({ now, clocks }) => [
    // The sending side stays accountable and is chased to re-initiate.
    closeDirectContactChase('superseded'),
    { type: 'chase.open', kind: 'direct_contact', firstChaseAt: nextWorkingMorning(now, clocks), escalationLevel: 0 },
    { type: 'notify', message: 'transfer.returned', to: ['accountable_practitioner', 'sending_team'] },
  ],
  'transfer.cancelled': ({ before }) => [
    { type: 'chase.close_all', resolution: 'not_required' },
    // The receiving side only ever knew of an initiated transfer.
    ...(before?.initiatedAt
      ? [{ type: 'notify', message: 'transfer.cancelled', to: ['receiving_team'] } satisfies Effect]
      : []),
  ],
  'transfer.closed': noEffects,
  // The outcome's chase item is the event's (opened, escalated or closed); the flags follow from the
  // facts. A child on a child protection plan not brought or not found at home (issue 14 item 5):
  // both areas' safeguarding leads are told at once, and the packet carries the outcome.
  'appointment.outcome': ({ event }) =>
    event.leadsAlerted
      ? [
          { type: 'notify', message: 'appointment.missed_on_plan', to: ['safeguarding_leads'] },
          { type: 'packet.generate' },
        ]
      : [],
  'transfer.reassigned': ({ after }) => [
    { type: 'chase.transfer_ownership', to: after.accountablePractitionerId },
    { type: 'notify', message: 'transfer.reassigned', to: ['accountable_practitioner'] },
  ],
  // The family not reached (issue 14 item 2). A new route: both areas' safeguarding leads are told
  // at once; each locate check is a chase item, chased from the next working day at the policy's
  // pace; the national alert decision is a chase item from when it falls due (at once for child
  // protection, when the leads are told it is due), escalated to the safeguarding leads from the start
  // (it is theirs to decide). More attempts on an open route: only a new packet.
  'family.not_reached': ({ event, now, clocks }) =>
    event.opened
      ? [
          { type: 'packet.generate' },
          { type: 'notify', message: 'family_not_reached', to: ['safeguarding_leads'] },
          ...event.route.checks.map((c): Effect => ({
            type: 'chase.open',
            kind: locateChaseKind(c.check),
            firstChaseAt: firstChaseAt(locateChaseKind(c.check), { reportedAt: now }, clocks),
            escalationLevel: 0,
          })),
          {
            type: 'chase.open',
            kind: 'national_alert',
            firstChaseAt: firstChaseAt(
              'national_alert',
              { nationalAlertDueAt: event.route.nationalAlertDueAt },
              clocks,
            ),
            escalationLevel: MAX_ESCALATION_LEVEL,
          },
          ...(event.route.nationalAlertDueAt.getTime() <= now.getTime()
            ? [{ type: 'notify', message: 'national_alert_due', to: ['safeguarding_leads'] } satisfies Effect]
            : []),
        ]
      : [{ type: 'packet.generate' }],
  'locate_check.closed': ({ event }) => [
    { type: 'packet.generate' },
    { type: 'chase.close', kind: locateChaseKind(event.check), resolution: 'checked' },
  ],
  'national_alert.decided': () => [
    { type: 'packet.generate' },
    { type: 'chase.close', kind: 'national_alert', resolution: 'decided' },
  ],
  // Found: the checks still open and the national alert decision are no longer needed (decision:
  // closed as family_found, not left to chase); both leads and both teams are told.
  'family.found': ({ event }) => [
    { type: 'packet.generate' },
    ...event.route.checks
      .filter((c) => c.found === null)
      .map((c): Effect => ({ type: 'chase.close', kind: locateChaseKind(c.check), resolution: 'family_found' })),
    ...(event.route.nationalAlert === null
      ? [{ type: 'chase.close', kind: 'national_alert', resolution: 'family_found' } satisfies Effect]
      : []),
    { type: 'notify', message: 'family_found', to: ['safeguarding_leads', 'sending_team', 'receiving_team'] },
  ],
};

function closeUnrecorded(before: TransferState, after: TransferState): Effect[] {
  const appointmentIds = after.facts.appointments.map((a) => a.id);
  const memberIds = after.facts.household.map((m) => m.id);
  const dropped =
    before.facts.appointments.some((a) => !appointmentIds.includes(a.id)) ||
    before.facts.household.some((m) => !memberIds.includes(m.id));
  return dropped ? [{ type: 'chase.close_unrecorded', appointmentIds, memberIds, resolution: 'superseded' }] : [];
}

function closeDirectContactChase(resolution: 'accepted' | 'acknowledged' | 'superseded'): Effect {
  return { type: 'chase.close', kind: 'direct_contact', resolution };
}

/**
 * The loose ends an initiation opens besides the direct contact:
 * - gp_registration for each household member whose GP status is not `registered` — children
 *   always, and adults too (a parent unknown to health is part of the review's lesson);
 * - appointment for each outstanding appointment (scheduled, or was_not_brought — the latter
 *   escalated one level at once and chased for a rebooked date), whoever it is for;
 * - move_review for a temporary transfer (not a host notification), chased from its review date
 *   (`moveReviewOn`: reviewOn, or the move-review threshold after the move, whichever is first).
 * - transfer_in_conference for child protection (not a host notification: that wins, kind.ts), when
 *   its clock starts at initiation (the default; otherwise it opens at acceptance).
 * - child_seen for each child (issue 14 item 1), owned by the receiving side, due `childSeenDueOn`
 *   (5 or 10 working days after the move date) and chased from that day. A child already recorded
 *   as seen in an earlier round is not asked about again (the store keeps that, ChaseItemRepository.open).
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
      // not seen (not brought, or no access at a home visit): escalated one level at once
      escalationLevel: (MISSED_APPOINTMENT_STATUSES as readonly AppointmentStatus[]).includes(a.status)
        ? escalateOnce(0)
        : 0,
    }));
  const conference = conferenceClockStartsAt('initiation', f, clocks) ? [conferenceChase(state, clocks)] : [];
  const review: Effect[] = needsMoveReview(f)
    ? [
        {
          type: 'chase.open',
          kind: 'move_review',
          firstChaseAt: firstChaseAt('move_review', { dueOn: moveReviewOn(f.moveDate, f.reviewOn, clocks) }, clocks),
          escalationLevel: 0,
        },
      ]
    : [];
  const seen = childrenToBeSeen(f, clocks).map(({ member, dueOn }): Effect => ({
    type: 'chase.open',
    kind: 'child_seen',
    memberId: member.id,
    dueOn,
    firstChaseAt: firstChaseAt('child_seen', { dueOn }, clocks),
    escalationLevel: 0,
  }));
  return [...gp, ...appointments, ...conference, ...review, ...seen];
}

/** The transfer-in conference's chase item, first chased on the day the conference is due. */
function conferenceChase(state: TransferState, clocks: ClockPolicy): Effect {
  return {
    type: 'chase.open',
    kind: 'transfer_in_conference',
    firstChaseAt: firstChaseAt('transfer_in_conference', { conferenceDueAt: state.conferenceDueAt }, clocks),
    escalationLevel: 0,
  };
}

/** The effects of an event, from the states before and after it (before is null for creation). */
export function effectsOf(
  event: TransferEventRecord,
  before: TransferState | null,
  after: TransferState,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): Effect[] {
  const effects = EFFECTS[event.type] as (ctx: EffectContext<TransferEvent>) => Effect[];
  return effects({ event, before, after, now, clocks });
}

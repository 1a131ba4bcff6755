/**
 * The transitions, one rule each: from which statuses, who may give the command, what must hold,
 * the new state and the event it records, with the facts it decided (events.ts). The event's effects
 * are in effects.ts (EFFECTS); the API writes the event and its effects as rows in ONE exhaustive
 * writer, apps/api/src/transfers/decision-writer.ts.
 * TRANSITIONS' type keeps the table complete: every CommandType has a rule, typed by its command.
 */
import { isLocalDate, londonDate } from '../calendar.js';
import { conferenceDueAt, contactDueAt, type ClockPolicy } from '../clocks.js';
import { judgeOutcome, outcomeRecorderGap } from '../chasing.js';
import { carerCancellationsOf, isChild } from '../facts.js';
import { REFUSALS, type Reason } from '../refusals.js';
import {
  CARER_CANCELLATION_STATUSES,
  UNCONFIRMED_STATUSES,
  isChildSeenPlace,
  isConferenceOutcome,
  isRiskFlagCode,
  type BruisingProtocolItem,
  type ChildSeenPlace,
  type ConferenceOutcome,
  type ContactMethod,
  type LocateCheck,
  type RiskFlagCode,
  type TransferStatus,
} from '../vocabulary.js';
import type { Command, CommandType } from './commands.js';
import type { AppointmentChase, AppointmentOutcome, TransferEventRecord } from './events.js';
import {
  activeFlagCodes,
  contactGaps,
  initiationGaps,
  lawfulBasisGaps,
  nonBlank,
  protocolActionGaps,
  protocolDateGaps,
  unacknowledgedCriticalFlags,
} from './preconditions.js';
import {
  accountableTeamId,
  actsForTeams,
  isAccountable,
  isReceivingSide,
  isSafeguardingLeadFor,
  isSendingManager,
  isSendingSide,
  sameId,
} from './sides.js';
import {
  decideCloseLocateCheck,
  decideFamilyFound,
  decideNationalAlert,
  decideNotReached,
  isRouteOpen,
  mayActOnRoute,
  notReachedGaps,
  NOT_REACHED_STATUSES,
  type FamilyNotReachedState,
  type RouteDecision,
} from '../family-not-reached.js';
import {
  conferenceClockStartsAt,
  hostNotificationGrounds,
  isHostNotification,
  needsTransferInConference,
} from './kind.js';
import type { Actor, TransferState } from './state.js';

export interface TransitionRule<C extends Command> {
  /** Statuses the command is allowed from. */
  readonly from: readonly TransferStatus[];
  /** Why not, when the status is not in `from` (default: REFUSALS.notAllowedFromStatus). */
  readonly notFrom?: (s: TransferState) => Reason;
  /** null when the actor may give the command, else why not. */
  readonly who: (s: TransferState, a: Actor, c: C) => Reason | null;
  /** Every unmet precondition. */
  readonly check: (s: TransferState, a: Actor, c: C, now: Date, clocks: ClockPolicy) => Reason[];
  readonly apply: (s: TransferState, a: Actor, c: C, now: Date, clocks: ClockPolicy) => TransferState;
  /** What happened, with everything the store records of it (read from the new state where it says). */
  readonly event: (ctx: EventContext<C>) => TransferEventRecord;
}

export interface EventContext<C extends Command> {
  readonly before: TransferState;
  readonly after: TransferState;
  readonly actor: Actor;
  readonly command: C;
  readonly now: Date;
  readonly clocks: ClockPolicy;
}

type RuleFor<K extends CommandType> = TransitionRule<Extract<Command, { type: K }>>;

const BEFORE_ACCEPTANCE = UNCONFIRMED_STATUSES;

/** A transfer in progress: initiated (a returned one too), neither cancelled nor closed. */
export const IN_PROGRESS_STATUSES = [
  ...UNCONFIRMED_STATUSES,
  'awaiting_conference',
  'accepted',
  'notification_acknowledged',
  'returned',
] as const satisfies readonly TransferStatus[];

const sendingSideOnly = (s: TransferState, a: Actor): Reason | null =>
  isSendingSide(s, a) ? null : REFUSALS.notSendingSide();
const receivingSideOnly = (s: TransferState, a: Actor): Reason | null =>
  isReceivingSide(s, a) ? null : REFUSALS.notReceivingSide();
const accountableOrSendingManager = (s: TransferState, a: Actor): Reason | null =>
  isAccountable(s, a) || isSendingManager(s, a) ? null : REFUSALS.notAccountableOrSendingManager();

export const TRANSITIONS: { readonly [K in CommandType]: RuleFor<K> } = {
  update: {
    from: ['draft', 'returned'],
    who: sendingSideOnly,
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (c.receiving && c.receiving.areaId === s.sendingAreaId) reasons.push(REFUSALS.receivingTeamInSameArea());
      // Once a team has been sent the family's details, the transfer stays theirs to see: sending
      // to someone else is a new transfer (cancel this one), never a silent re-route.
      if (c.receiving && s.initiatedAt !== null && c.receiving.teamId !== s.receivingTeamId)
        reasons.push(REFUSALS.receivingTeamFixed());
      reasons.push(...protocolDateGaps(c.facts));
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      facts: c.facts,
      receivingTeamId: c.receiving?.teamId ?? s.receivingTeamId,
      receivingAreaId: c.receiving?.areaId ?? s.receivingAreaId,
    }),
    event: ({ after }) => ({
      type: 'transfer.updated',
      facts: after.facts,
      receiving: { teamId: after.receivingTeamId, areaId: after.receivingAreaId },
    }),
  },

  initiate: {
    from: ['draft', 'returned'],
    who: accountableOrSendingManager,
    check: (s, _a, _c, now, clocks) => [
      ...initiationGaps(s.facts, clocks),
      ...lawfulBasisGaps(s.facts, s.sendingTeamId, londonDate(now)),
    ],
    // A (re-)initiation starts a fresh round: a new packet, a new contact, fresh acknowledgements;
    // for child protection (by default) the transfer-in conference's clock, counted afresh from
    // this initiation (a re-initiation after a return does not keep the old date).
    apply: (s, _a, _c, now, clocks) => ({
      ...s,
      status: 'awaiting_contact',
      initiatedAt: now,
      directContact: null,
      safeguardingAcknowledgements: [],
      conferenceDueAt: conferenceClockStartsAt('initiation', s.facts, clocks) ? conferenceDueAt(now, clocks) : null,
    }),
    event: ({ after, now, clocks }) => ({
      type: 'transfer.initiated',
      initiatedAt: now,
      contactDueAt: contactDueAt(now, after.facts.involvement, clocks),
    }),
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
          id: c.contactId,
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
    event: ({ after, command: c }) => {
      const contact = after.directContact!;
      return {
        type: 'contact.recorded',
        contact: {
          id: contact.id,
          occurredAt: contact.occurredAt,
          method: c.method,
          sendingPractitionerId: contact.sendingPractitionerId,
          recordedById: contact.recordedById,
          state: 'pending',
          flagAcknowledgements: c.flagAcknowledgements.map((f) => ({ code: f.code, understanding: f.understanding })),
          agreedActions: contact.agreedActions ?? [],
        },
      };
    },
  },

  confirmContact: {
    from: ['contact_recorded'],
    who: (s, a) =>
      actsForTeams(a) && (a.id === s.directContact?.sendingPractitionerId || isAccountable(s, a))
        ? null
        : REFUSALS.notContactParticipantOrAccountable(),
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (s.directContact?.state !== 'pending') reasons.push(REFUSALS.contactNotPending());
      if (!c.agree && !nonBlank(c.comment)) reasons.push(REFUSALS.commentRequired());
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      status: c.agree ? 'contact_confirmed' : 'awaiting_contact',
      directContact: { ...s.directContact!, state: c.agree ? 'confirmed' : 'disputed' },
    }),
    event: ({ before, actor, command: c }) =>
      c.agree
        ? { type: 'contact.confirmed', contactId: before.directContact!.id, state: 'confirmed', checkedById: actor.id }
        : {
            type: 'contact.disputed',
            contactId: before.directContact!.id,
            state: 'disputed',
            checkedById: actor.id,
            comment: c.comment!.trim(),
          },
  },

  acknowledgeFlag: {
    from: [...UNCONFIRMED_STATUSES, 'awaiting_conference', 'accepted', 'notification_acknowledged'],
    who: (s, a) => (isSafeguardingLeadFor(s, a) ? null : REFUSALS.notSafeguardingLead()),
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (!isRiskFlagCode(c.code)) reasons.push(REFUSALS.unknownFlagCode(c.code));
      else if (!activeFlagCodes(s).includes(c.code)) reasons.push(REFUSALS.flagNotActive(c.code));
      if (!nonBlank(c.advice)) reasons.push(REFUSALS.adviceRequired());
      reasons.push(...protocolActionGaps(s, c));
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      safeguardingAcknowledgements: [...new Set([...s.safeguardingAcknowledgements, c.code as RiskFlagCode])],
    }),
    event: ({ actor, command: c }) => ({
      type: 'flag.acknowledged',
      code: c.code as RiskFlagCode,
      advice: c.advice.trim(),
      by: actor.id,
      actions: (c.actions ?? []).map((a) => ({ item: a.item as BruisingProtocolItem, action: a.action.trim() })),
    }),
  },

  accept: {
    from: ['contact_confirmed'],
    who: receivingSideOnly,
    check: (s, _a, c) => {
      // A host notification is never accepted: say why, and nothing else (no form could put it right).
      const grounds = hostNotificationGrounds(s.facts);
      if (grounds.length > 0) return [REFUSALS.hostNotificationNotAccepted(grounds)];
      const reasons: Reason[] = [];
      if (s.directContact?.state !== 'confirmed') reasons.push(REFUSALS.contactNotConfirmed());
      const missing = unacknowledgedCriticalFlags(s);
      if (missing.length > 0) reasons.push(REFUSALS.criticalFlagsNotAcknowledged(missing));
      reasons.push(...notReachedGaps(s));
      if (c.leadPractitioner.teamId !== s.receivingTeamId) reasons.push(REFUSALS.leadNotInReceivingTeam());
      if (!c.leadPractitioner.active) reasons.push(REFUSALS.leadInactive());
      return reasons;
    },
    // Child protection: "transfer-in accepted" — the sending practitioner stays accountable until
    // the conference's written outcome; the lead runs the plan meanwhile as interim lead.
    apply: (s, _a, c, now, clocks) =>
      needsTransferInConference(s.facts, clocks)
        ? {
            ...s,
            status: 'awaiting_conference',
            interimLeadId: c.leadPractitioner.id,
            conferenceDueAt: conferenceClockStartsAt('acceptance', s.facts, clocks)
              ? conferenceDueAt(now, clocks)
              : (s.conferenceDueAt ?? conferenceDueAt(s.initiatedAt ?? now, clocks)),
          }
        : { ...s, status: 'accepted', accountablePractitionerId: c.leadPractitioner.id },
    event: ({ after, now }) =>
      after.status === 'awaiting_conference'
        ? { type: 'transfer.accepted_in', at: now, interimLead: after.interimLeadId! }
        : { type: 'transfer.accepted', at: now, lead: after.accountablePractitionerId },
  },

  recordConference: {
    from: ['awaiting_conference'],
    who: receivingSideOnly,
    check: (s, _a, c, now) => {
      const reasons: Reason[] = [];
      if (s.conference !== null) reasons.push(REFUSALS.conferenceAlreadyRecorded());
      if (!isLocalDate(c.heldOn)) reasons.push(REFUSALS.conferenceDateInvalid());
      else {
        if (s.initiatedAt && c.heldOn < londonDate(s.initiatedAt)) reasons.push(REFUSALS.conferenceBeforeInitiation());
        if (c.heldOn > londonDate(now)) reasons.push(REFUSALS.conferenceInFuture());
      }
      if (!isConferenceOutcome(c.outcome)) reasons.push(REFUSALS.conferenceOutcomeInvalid());
      if (!nonBlank(c.chair)) reasons.push(REFUSALS.chairRequired());
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      conference: { heldOn: c.heldOn, outcome: c.outcome as ConferenceOutcome, confirmedOn: null },
    }),
    event: ({ command, actor }) => ({
      type: 'conference.recorded',
      heldOn: command.heldOn,
      outcome: command.outcome as ConferenceOutcome,
      chair: command.chair.trim(),
      recordedById: actor.id,
    }),
  },

  // Whatever the outcome, the receiving area now holds the case (a plan not continued there means
  // the child is no longer on a plan, not that the sending area keeps them): accountability passes.
  confirmConference: {
    from: ['awaiting_conference'],
    who: accountableOrSendingManager,
    check: (s, _a, c, now) => {
      const reasons: Reason[] = [];
      if (s.conference === null) reasons.push(REFUSALS.conferenceNotRecorded());
      if (s.interimLeadId === null) reasons.push(REFUSALS.noInterimLead());
      if (!isLocalDate(c.receivedOn)) reasons.push(REFUSALS.confirmationDateInvalid());
      else {
        if (s.conference && c.receivedOn < s.conference.heldOn) reasons.push(REFUSALS.confirmationBeforeConference());
        if (c.receivedOn > londonDate(now)) reasons.push(REFUSALS.confirmationInFuture());
      }
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      status: 'accepted',
      accountablePractitionerId: s.interimLeadId!,
      interimLeadId: null,
      conference: { ...s.conference!, confirmedOn: c.receivedOn },
    }),
    event: ({ command, actor }) => ({
      type: 'conference.confirmed',
      receivedOn: command.receivedOn,
      confirmedById: actor.id,
    }),
  },

  // A host notification (kind.ts): after the same conversation, check-back and critical-flag advice
  // as acceptance, the host team names its contact. Accountability does not move.
  acknowledgeNotification: {
    from: ['contact_confirmed'],
    who: receivingSideOnly,
    check: (s, _a, c) => {
      if (!isHostNotification(s.facts)) return [REFUSALS.notHostNotification()];
      const reasons: Reason[] = [];
      if (s.directContact?.state !== 'confirmed') reasons.push(REFUSALS.contactNotConfirmed());
      const missing = unacknowledgedCriticalFlags(s);
      if (missing.length > 0) reasons.push(REFUSALS.criticalFlagsNotAcknowledged(missing));
      reasons.push(...notReachedGaps(s));
      if (c.contactPractitioner.teamId !== s.receivingTeamId) reasons.push(REFUSALS.contactNotInHostTeam());
      if (!c.contactPractitioner.active) reasons.push(REFUSALS.contactInactive());
      return reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      status: 'notification_acknowledged',
      hostContactPractitionerId: c.contactPractitioner.id,
    }),
    event: ({ after, now }) => ({
      type: 'notification.acknowledged',
      at: now,
      contactPractitionerId: after.hostContactPractitionerId!,
    }),
  },

  // The child seen (issue 14 item 1): from initiation until the transfer ends, a receiving
  // practitioner or manager records a child of the transfer seen — in the new area (not before the
  // move), not in the future, by a practitioner of the receiving team. Nothing else changes: the
  // child's child_seen item closes with the record (its evidence), and the packet shows it.
  recordChildSeen: {
    from: [...UNCONFIRMED_STATUSES, 'awaiting_conference', 'accepted', 'notification_acknowledged', 'returned'],
    who: receivingSideOnly,
    check: (s, _a, c, now) => {
      const reasons: Reason[] = [];
      const child = s.facts.household.find((m) => m.id === c.memberId);
      if (!child || !isChild(child)) reasons.push(REFUSALS.notAChildOfTransfer(c.memberId));
      else if (!c.itemOpen) reasons.push(REFUSALS.childAlreadySeen(c.memberId));
      if (!isLocalDate(c.seenOn)) reasons.push(REFUSALS.seenDateInvalid());
      else {
        if (c.seenOn > londonDate(now)) reasons.push(REFUSALS.seenInFuture());
        if (isLocalDate(s.facts.moveDate) && c.seenOn < s.facts.moveDate) reasons.push(REFUSALS.seenBeforeMove());
      }
      if (c.seenBy.teamId !== s.receivingTeamId) reasons.push(REFUSALS.seenByNotInReceivingTeam());
      else if (!c.seenBy.active) reasons.push(REFUSALS.seenByInactive());
      if (!isChildSeenPlace(c.where)) reasons.push(REFUSALS.seenWhereInvalid());
      if (typeof c.seenAlone !== 'boolean') reasons.push(REFUSALS.seenAloneMissing());
      return reasons;
    },
    apply: (s) => s,
    event: ({ command: c, actor, now }) => ({
      type: 'child.seen',
      at: now,
      memberId: c.memberId,
      seenOn: c.seenOn,
      seenById: c.seenBy.id,
      where: c.where as ChildSeenPlace,
      seenAlone: c.seenAlone as boolean,
      recordedById: actor.id,
    }),
  },

  return: {
    from: BEFORE_ACCEPTANCE,
    who: receivingSideOnly,
    check: (_s, _a, c) => (nonBlank(c.reason) ? [] : [REFUSALS.reasonRequired('returning')]),
    apply: (s) => ({ ...s, status: 'returned' }),
    event: ({ command: c, now }) => ({ type: 'transfer.returned', at: now, reason: c.reason.trim() }),
  },

  cancel: {
    from: ['draft', 'awaiting_contact', 'returned'],
    who: accountableOrSendingManager,
    check: (_s, _a, c) => (nonBlank(c.reason) ? [] : [REFUSALS.reasonRequired('cancelling')]),
    apply: (s) => ({ ...s, status: 'cancelled' }),
    event: ({ command: c, now }) => ({ type: 'transfer.cancelled', at: now, reason: c.reason.trim() }),
  },

  close: {
    from: ['accepted', 'notification_acknowledged'],
    who: (_s, a) => (a.role === 'system' ? null : REFUSALS.systemOnly()),
    check: (_s, _a, c) => (c.openChaseItems === 0 ? [] : [REFUSALS.chaseItemsOpen(c.openChaseItems)]),
    apply: (s) => ({ ...s, status: 'closed' }),
    event: ({ now }) => ({ type: 'transfer.closed', at: now }),
  },

  reassign: {
    from: [
      'draft',
      ...UNCONFIRMED_STATUSES,
      'awaiting_conference',
      'returned',
      'accepted',
      'notification_acknowledged',
    ],
    who: (s, a) =>
      a.role === 'manager' && sameId(a.teamId, accountableTeamId(s)) ? null : REFUSALS.notAccountableSideManager(),
    check: (s, _a, c) => {
      const reasons: Reason[] = [];
      if (c.to.teamId !== accountableTeamId(s)) reasons.push(REFUSALS.assigneeNotInTeam());
      if (!c.to.active) reasons.push(REFUSALS.assigneeInactive());
      return reasons;
    },
    apply: (s, _a, c) => ({ ...s, accountablePractitionerId: c.to.id }),
    event: ({ before, after }) => ({
      type: 'transfer.reassigned',
      from: before.accountablePractitionerId,
      to: after.accountablePractitionerId,
    }),
  },

  // An appointment's outcome (issue 11 item 2): recorded while the transfer is in progress by either
  // team; the appointment's new status is a fact (WAS_NOT_BROUGHT follows from it), and the event
  // says what happens to its chase item.
  recordOutcome: {
    from: IN_PROGRESS_STATUSES,
    notFrom: (s) => REFUSALS.outcomesOnlyInProgress(s.initiatedAt ? s.status : null),
    who: (s, a) => outcomeRecorderGap(a, s),
    check: (s, _a, c, now, clocks) => {
      if (!s.facts.appointments.some((x) => x.id === c.appointmentId)) return [REFUSALS.appointmentNotRecorded()];
      const judged = judgeOutcome(c, c.chase?.escalationLevel ?? 0, now, clocks, outcomeContext(s, c));
      return judged.ok ? [] : judged.reasons;
    },
    apply: (s, _a, c) => ({
      ...s,
      facts: {
        ...s.facts,
        appointments: s.facts.appointments.map((x) =>
          x.id === c.appointmentId
            ? {
                ...x,
                status: c.status as AppointmentOutcome['status'],
                ...(isCarerCancellation(c.status) ? { carerCancellations: carerCancellationsOf(x) + 1 } : {}),
              }
            : x,
        ),
      },
    }),
    event: ({ before, after, actor, command: c, now, clocks }) => {
      const judged = judgeOutcome(c, c.chase?.escalationLevel ?? 0, now, clocks, outcomeContext(before, c));
      if (!judged.ok) throw new Error('recordOutcome: checked before it is applied');
      const appointment = before.facts.appointments.find((x) => x.id === c.appointmentId)!;
      const carerCancellations =
        after.facts.appointments.find((x) => x.id === c.appointmentId)!.carerCancellations ?? 0;
      let outcome: AppointmentOutcome;
      let chase: AppointmentChase;
      if (judged.status === 'attended') {
        outcome = { status: 'attended', attendedOn: judged.attendedOn };
        chase = c.chase
          ? { action: 'close', itemId: c.chase.id, resolution: 'attended', evidence: { attendedOn: judged.attendedOn } }
          : { action: 'none' };
      } else {
        outcome =
          judged.status === 'rescheduled'
            ? { status: 'rescheduled', rescheduledFor: judged.rescheduledFor, carerCancellations }
            : judged.status === 'cancelled_by_carer'
              ? { status: 'cancelled_by_carer', rebookedFor: judged.rebookedFor, carerCancellations }
              : { status: judged.status, rebookedFor: judged.rebookedFor };
        chase = c.chase
          ? {
              action: 'escalate',
              itemId: c.chase.id,
              escalationLevel: judged.escalationLevel,
              nextChaseAt: judged.nextChaseAt,
            }
          : {
              action: 'open',
              kind: 'appointment',
              memberId: appointment.memberId,
              appointmentId: appointment.id,
              escalationLevel: judged.escalationLevel,
              nextChaseAt: judged.nextChaseAt,
            };
      }
      return {
        type: 'appointment.outcome',
        appointmentId: appointment.id,
        memberId: appointment.memberId,
        outcome,
        chase,
        leadsAlerted: 'leadsAlerted' in judged && judged.leadsAlerted === true,
        recordedById: actor.id,
        recordedAt: now,
      };
    },
  },

  // The family not reached (issue 14 item 2): the route's rules are family-not-reached.ts's; these
  // rules make them commands of the lifecycle (one transaction, audited, idempotent, versioned).
  reportNotReached: {
    from: NOT_REACHED_STATUSES,
    notFrom: (s) => REFUSALS.notReachedOnlyInProgress(s.status),
    who: routeActor,
    check: (s, a, c, now, clocks) => reasonsOf(decideNotReached(s, a, c.attempts, now, clocks)),
    apply: (s, a, c, now, clocks) => withRoute(s, decideNotReached(s, a, c.attempts, now, clocks)),
    event: ({ before, after }) => ({
      type: 'family.not_reached',
      opened: !isRouteOpen(before.familyNotReached),
      route: routeAfter(after),
    }),
  },

  closeLocateCheck: {
    from: NOT_REACHED_STATUSES,
    notFrom: (s) => REFUSALS.notReachedOnlyInProgress(s.status),
    who: routeActor,
    check: (s, a, c, now) => reasonsOf(decideCloseLocateCheck(s, a, c, now)),
    apply: (s, a, c, now) => withRoute(s, decideCloseLocateCheck(s, a, c, now)),
    event: ({ after, command }) => ({
      type: 'locate_check.closed',
      check: command.check as LocateCheck,
      route: routeAfter(after),
    }),
  },

  recordNationalAlert: {
    from: NOT_REACHED_STATUSES,
    notFrom: (s) => REFUSALS.notReachedOnlyInProgress(s.status),
    who: (s, a) =>
      isSafeguardingLeadFor(s, a)
        ? null
        : {
            code: 'NOT_SAFEGUARDING_LEAD',
            message: 'only a safeguarding lead of the sending or receiving area can record the national alert decision',
          },
    check: (s, a, c, now) => reasonsOf(decideNationalAlert(s, a, c, now)),
    apply: (s, a, c, now) => withRoute(s, decideNationalAlert(s, a, c, now)),
    event: ({ after }) => ({
      type: 'national_alert.decided',
      raised: routeAfter(after).nationalAlert?.raised === true,
      route: routeAfter(after),
    }),
  },

  recordFamilyFound: {
    from: NOT_REACHED_STATUSES,
    notFrom: (s) => REFUSALS.notReachedOnlyInProgress(s.status),
    who: routeActor,
    check: (s, a, c, now) => reasonsOf(decideFamilyFound(s, a, c, now)),
    apply: (s, a, c, now) => withRoute(s, decideFamilyFound(s, a, c, now)),
    event: ({ after }) => ({ type: 'family.found', route: routeAfter(after) }),
  },
};

/** Is the appointment a child's on a child protection plan (the transfer's involvement)? */
function outcomeContext(s: TransferState, c: { appointmentId: string }) {
  const appointment = s.facts.appointments.find((x) => x.id === c.appointmentId);
  const member = s.facts.household.find((m) => m.id === appointment?.memberId);
  return { childOnPlan: s.facts.involvement === 'child_protection' && member !== undefined && isChild(member) };
}

const isCarerCancellation = (status: string) => (CARER_CANCELLATION_STATUSES as readonly string[]).includes(status);

/** Either side: a practitioner or manager of either team, or a safeguarding lead of either area. */
function routeActor(s: TransferState, a: Actor): Reason | null {
  return mayActOnRoute(s, a) ? null : REFUSALS.notOnEitherSide();
}

/** A route decision's reasons (its INVALID_STATE ones too: within a status that allows the route, they are unmet preconditions). */
function reasonsOf(d: RouteDecision): Reason[] {
  return d.ok ? [] : d.reasons;
}

function withRoute(s: TransferState, d: RouteDecision): TransferState {
  if (!d.ok) throw new Error('route: checked before it is applied');
  return { ...s, familyNotReached: d.route };
}

function routeAfter(s: TransferState): FamilyNotReachedState {
  if (!s.familyNotReached) throw new Error('route: applied before its event');
  return s.familyNotReached;
}

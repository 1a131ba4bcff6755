/**
 * Property-based tests of the lifecycle: random sequences of commands from random actors
 * (both teams, managers, both areas' safeguarding leads, a third area, an admin, the system),
 * checking DESIGN §3's invariants after every step, whatever the order.
 */
import fc from 'fast-check';
import { addCalendarDays, isWorkingDay, londonDate } from './calendar.js';
import { childrenToBeSeen } from './child-seen.js';
import { isChild } from './facts.js';
import {
  ACTORS,
  BHAM_HV,
  REFS,
  SAND_HV,
  TEAM_OF,
  draftOf,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  slBham,
  slSand,
  snapshot,
  T0,
} from './lifecycle.fixture.js';
import {
  SYSTEM_ACTOR,
  activeFlagCodes,
  RECOMPUTES_FLAGS,
  canSee,
  decide,
  lawfulBasisGaps,
  needsTransferInConference,
  transferKind,
  unacknowledgedCriticalFlags,
  type Actor,
  type Command,
  type TransferState,
} from './lifecycle/index.js';
import { carerCancellationsOf } from './facts.js';
import { member, quietFacts, reviewCaseFacts } from './review-case.fixture.js';
import { bruisingProtocolGaps, computeRiskFlags, criticalFlagCodes } from './risk-flags.js';
import { isRouteOpen } from './family-not-reached.js';
import {
  BRUISING_PROTOCOL_ITEMS,
  LOCATE_CHECKS,
  RISK_FLAG_CODES,
  type RiskFlagCode,
  type TransferStatus,
} from './vocabulary.js';

/** Facts a transfer may be given: the review case (two critical flags), a quiet family, one
 * that cannot be initiated, one with a single critical flag, a child-protection one, and three
 * host notifications (issue 13): a looked-after child, the review case with a child under a care
 * order, a short temporary stay the sending side chose to record as one, and a child-protection
 * family with a child under an interim care order. */
const FACTS = [
  reviewCaseFacts(),
  quietFacts(),
  reviewCaseFacts({ householdConfirmed: false }),
  // no lawful basis recorded and the family not told: never sent (issue 13 item 4)
  quietFacts({ sharingBasis: null, familyInformed: null }),
  reviewCaseFacts({
    concerns: [{ memberId: 'member-rs', type: 'bruising', observedOn: '2026-11-06', safeguardingAdviceSought: true }],
  }),
  quietFacts({
    involvement: 'child_protection',
    household: [
      ...quietFacts().household,
      member({ id: 'baby', dateOfBirth: '2026-10-01', gp: { status: 'unknown' } }),
    ],
  }),
  quietFacts({ involvement: 'looked_after' }),
  reviewCaseFacts({
    household: reviewCaseFacts().household.map((m) =>
      m.role === 'child' ? { ...m, statutoryOrder: 'care_order' } : m,
    ),
  }),
  quietFacts({
    moveType: 'temporary',
    expectedUntil: '2026-11-27',
    shortStayChoice: { recordAs: 'host_notification', reason: 'a week in the refuge, then home' },
  }),
  // on a child protection plan AND under an interim care order: the host notification wins
  quietFacts({
    involvement: 'child_protection',
    household: quietFacts().household.map((m) =>
      m.role === 'child' ? { ...m, statutoryOrder: 'interim_care_order' } : m,
    ),
  }),
  // The bruising protocol (issue 14 item 4): RS's bruise with everything but the health assessment;
  // a 7-year-old recorded not independently mobile with a possible bruise and a complete record.
  reviewCaseFacts({
    concerns: [
      {
        memberId: 'member-rs',
        type: 'bruising',
        observedOn: '2026-11-06',
        safeguardingAdviceSought: true,
        protocol: {
          healthAssessmentOn: null,
          referralOn: '2026-11-07',
          multiAgencyDiscussionOn: '2026-11-09',
          parentsExplanationRecorded: true,
        },
      },
    ],
  }),
  quietFacts({
    household: [
      member({
        id: 'quiet-child',
        dateOfBirth: '2019-05-01',
        nhsNumber: '9434765919',
        mobility: 'mobile',
        notIndependentlyMobile: true,
      }),
      member({ id: 'quiet-father', role: 'father', sex: 'male', engaged: true }),
    ],
    concerns: [
      {
        memberId: 'quiet-child',
        type: 'possible_bruise',
        observedOn: '2026-11-10',
        safeguardingAdviceSought: true,
        protocol: {
          healthAssessmentOn: '2026-11-10',
          referralOn: '2026-11-10',
          multiAgencyDiscussionOn: '2026-11-12',
          parentsExplanationRecorded: true,
        },
      },
    ],
  }),
];

/** The status changes DESIGN §3 allows (plus staying put for update / acknowledge / reassign). */
const EDGES = new Set([
  'draft->awaiting_contact',
  'returned->awaiting_contact',
  'awaiting_contact->contact_recorded',
  'contact_recorded->contact_confirmed',
  'contact_recorded->awaiting_contact',
  'contact_confirmed->accepted',
  // child protection: transfer-in accepted, then accepted at the conference's written outcome
  'contact_confirmed->awaiting_conference',
  'awaiting_conference->accepted',
  'awaiting_contact->returned',
  'contact_recorded->returned',
  'contact_confirmed->returned',
  'draft->cancelled',
  'awaiting_contact->cancelled',
  'returned->cancelled',
  'accepted->closed',
  'contact_confirmed->notification_acknowledged',
  'notification_acknowledged->closed',
]);

const ALL_ACTORS: readonly Actor[] = [...ACTORS, SYSTEM_ACTOR];

type Intent =
  | { kind: 'update'; facts: number }
  | { kind: 'initiate' }
  | {
      kind: 'recordContact';
      method: string;
      minutesAgo: number;
      sending: number;
      acks: 'all' | 'none' | 'dropOne' | 'blank';
    }
  | { kind: 'confirmContact'; agree: boolean; comment: string | undefined }
  | { kind: 'acknowledgeFlag'; code: string; advice: string; actions: ProtocolActions }
  | { kind: 'accept'; lead: number }
  | { kind: 'acknowledgeNotification'; contact: number }
  | { kind: 'recordConference'; daysAgo: number; outcome: string; chair: string }
  | { kind: 'confirmConference'; daysAgo: number }
  | { kind: 'return'; reason: string }
  | { kind: 'cancel'; reason: string }
  | { kind: 'close'; open: number }
  | { kind: 'reassign'; to: number }
  /** An appointment's outcome: `appointment` indexes the facts' appointments (past the end: one not recorded). */
  | {
      kind: 'recordOutcome';
      appointment: number;
      status: string;
      daysFromToday: number;
      chase: 'none' | 0 | 1 | 2;
    }
  /** The child seen (issue 14 item 1): which member (a natural child, or any member index), when, by whom, where. */
  | { kind: 'recordChildSeen'; member: number; daysAgo: number; seenBy: number; where: string; seenAlone: unknown }
  /** The family not reached (issue 14 item 2): the attempts given, valid or not… */
  | { kind: 'reportNotReached'; attempts: 'valid' | 'two' | 'none' | 'future' | 'otherNoNote' }
  /** …a locate check (`check` past the end: an unknown one) closed with what was found… */
  | { kind: 'closeLocateCheck'; check: number; found: string; pupilFileMoved: boolean | undefined }
  /** …the national alert decision… */
  | { kind: 'recordNationalAlert'; raised: boolean | 'bogus'; text: string }
  /** …and the family found (daysAgo -1: tomorrow, refused). */
  | { kind: 'recordFamilyFound'; daysAgo: number; how: string }
  /** Resolved at run time to the next step of the happy path from the current status. */
  | { kind: 'progress' };

/** How a lead's acknowledgement addresses the bruising protocol's missing items. */
type ProtocolActions = 'all' | 'none' | 'dropOne' | 'blank' | 'extra';

const NATURAL = -1;
/** The outcomes tried, valid and not. */
const OUTCOME_STATUSES_TRIED = [
  'attended',
  'was_not_brought',
  'was_not_brought',
  'no_access',
  'cancelled_by_carer',
  'rescheduled',
  'scheduled',
  'bogus',
];
const refIndex = fc.oneof(
  { weight: 3, arbitrary: fc.constant(NATURAL) },
  { weight: 1, arbitrary: fc.nat(REFS.length - 1) },
);
const reason = fc.constantFrom('', '  ', 'family did not move', 'wrong receiving team');

const routeIntents: fc.Arbitrary<Intent>[] = [
  fc.record({
    kind: fc.constant('reportNotReached' as const),
    attempts: fc.constantFrom(
      'valid' as const,
      'valid' as const,
      'two' as const,
      'none' as const,
      'future' as const,
      'otherNoNote' as const,
    ),
  }),
  fc.record({
    kind: fc.constant('closeLocateCheck' as const),
    check: fc.nat(LOCATE_CHECKS.length),
    found: fc.constantFrom('spoke to the grandmother: moved to Leeds', 'no trace', ' '),
    pupilFileMoved: fc.constantFrom(true, false, undefined),
  }),
  fc.record({
    kind: fc.constant('recordNationalAlert' as const),
    raised: fc.constantFrom(true as const, false as const, 'bogus' as const),
    text: fc.constantFrom('NA-2026-0042', 'found within hours: not needed', ''),
  }),
  fc.record({
    kind: fc.constant('recordFamilyFound' as const),
    daysAgo: fc.constantFrom(0, 0, 1, -1),
    how: fc.constantFrom('seen at the new address by the health visitor', ''),
  }),
];

const intent: fc.Arbitrary<Intent> = fc.oneof(
  ...routeIntents.map((arbitrary) => ({ weight: 2, arbitrary })),
  { weight: 6, arbitrary: fc.constant({ kind: 'progress' as const }) },
  fc.record({ kind: fc.constant('update' as const), facts: fc.nat(FACTS.length - 1) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('initiate' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('recordContact' as const),
      method: fc.constantFrom('phone', 'video', 'in_person', 'meeting', 'phone', 'email', 'letter', 'message'),
      minutesAgo: fc.integer({ min: -30, max: 600 }),
      sending: refIndex,
      acks: fc.constantFrom(
        'all' as const,
        'all' as const,
        'all' as const,
        'none' as const,
        'dropOne' as const,
        'blank' as const,
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('confirmContact' as const),
      agree: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      comment: fc.constantFrom(undefined, '', 'the bruise was not discussed'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('acknowledgeFlag' as const),
      code: fc.oneof(
        { weight: 3, arbitrary: fc.constant('natural') },
        { weight: 1, arbitrary: fc.constantFrom<string>(...RISK_FLAG_CODES, 'BOGUS') },
      ),
      advice: fc.constantFrom('strategy discussion today', 'strategy discussion today', ''),
      actions: fc.constantFrom<ProtocolActions>('all', 'all', 'all', 'none', 'dropOne', 'blank', 'extra'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), lead: refIndex }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('acknowledgeNotification' as const), contact: refIndex }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('recordConference' as const),
      daysAgo: fc.integer({ min: -2, max: 3 }),
      outcome: fc.constantFrom('plan_continues', 'plan_not_continued', 'plan_continues', 'adjourned'),
      chair: fc.constantFrom('Independent chair', 'Independent chair', ' '),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('confirmConference' as const),
      daysAgo: fc.integer({ min: -2, max: 3 }),
    }),
  },
  fc.record({ kind: fc.constant('return' as const), reason }),
  fc.record({ kind: fc.constant('cancel' as const), reason: fc.constantFrom('', '  ', ' ', 'family did not move') }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      open: fc.oneof(
        { weight: 2, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
    }),
  },
  fc.record({ kind: fc.constant('reassign' as const), to: fc.nat(REFS.length - 1) }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('recordOutcome' as const),
      appointment: fc.nat(3),
      status: fc.constantFrom(...OUTCOME_STATUSES_TRIED),
      daysFromToday: fc.integer({ min: -3, max: 2 }),
      chase: fc.constantFrom('none' as const, 0 as const, 1 as const, 2 as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('recordChildSeen' as const),
      member: fc.oneof({ weight: 3, arbitrary: fc.constant(NATURAL) }, { weight: 1, arbitrary: fc.nat(5) }),
      daysAgo: fc.integer({ min: -2, max: 10 }),
      seenBy: refIndex,
      where: fc.constantFrom('home', 'clinic', 'school', 'other', 'home', 'car'),
      seenAlone: fc.constantFrom<unknown>(true, false, false, 'yes'),
    }),
  },
);

const stepArb = fc.record({
  intent,
  /** NATURAL: the actor who would normally give this command; else any actor at all. */
  actor: fc.oneof(
    { weight: 2, arbitrary: fc.constant(NATURAL) },
    { weight: 1, arbitrary: fc.nat(ALL_ACTORS.length - 1) },
  ),
  advanceMinutes: fc.integer({ min: 0, max: 2 * 24 * 60 }),
});

const byId = (id: string) => ALL_ACTORS.find((a) => a.id === id);

/** The next happy-path step from the current state, with valid parameters. */
function progress(s: TransferState, now: Date): Exclude<Intent, { kind: 'progress' }> {
  switch (s.status) {
    case 'awaiting_contact': {
      const sinceInitiation = Math.floor((now.getTime() - s.initiatedAt!.getTime()) / 60_000);
      return {
        kind: 'recordContact',
        method: 'phone',
        minutesAgo: Math.max(0, Math.min(5, sinceInitiation - 1)),
        sending: NATURAL,
        acks: 'all',
      };
    }
    case 'contact_recorded':
      return { kind: 'confirmContact', agree: true, comment: undefined };
    case 'contact_confirmed':
      return unacknowledgedCriticalFlags(s).length > 0
        ? { kind: 'acknowledgeFlag', code: 'natural', advice: 'strategy discussion today', actions: 'all' }
        : transferKind(s.facts) === 'host_notification'
          ? { kind: 'acknowledgeNotification', contact: NATURAL }
          : { kind: 'accept', lead: NATURAL };
    case 'awaiting_conference':
      return s.conference === null
        ? { kind: 'recordConference', daysAgo: 0, outcome: 'plan_continues', chair: 'Independent chair' }
        : { kind: 'confirmConference', daysAgo: 0 };
    case 'accepted':
    case 'notification_acknowledged':
      return { kind: 'close', open: 0 };
    default:
      return { kind: 'initiate' };
  }
}

function naturalActor(i: Exclude<Intent, { kind: 'progress' }>, s: TransferState): Actor {
  const accountable = byId(s.accountablePractitionerId) ?? sendMgr;
  switch (i.kind) {
    case 'update':
    case 'initiate':
    case 'cancel':
    case 'confirmConference':
      return accountable.teamId === s.sendingTeamId ? accountable : sendMgr;
    case 'recordContact':
    case 'return':
    case 'recordConference':
      return recvPrac;
    case 'confirmContact':
      return byId(s.directContact?.sendingPractitionerId ?? '') ?? accountable;
    case 'acknowledgeFlag':
      return s.safeguardingAcknowledgements.length % 2 === 0 ? slSand : slBham;
    case 'accept':
    case 'acknowledgeNotification':
      return recvPrac2;
    case 'close':
      return SYSTEM_ACTOR;
    case 'reassign':
      return s.status === 'accepted' ? ALL_ACTORS.find((a) => a.id === 'm-recv')! : sendMgr;
    case 'recordOutcome':
      return i.appointment % 2 === 0 ? recvPrac : sendPrac;
    case 'recordChildSeen':
      return recvPrac2;
    case 'reportNotReached':
    case 'recordFamilyFound':
      return recvPrac;
    case 'closeLocateCheck':
      return i.check % 2 === 0 ? recvPrac : sendPrac;
    case 'recordNationalAlert':
      return s.safeguardingAcknowledgements.length % 2 === 0 ? slSand : slBham;
  }
}

/** Children with an open child_seen item, as the store would say (the model of the property test). */
let openSeenItems = new Set<string>();

function commandFor(i: Exclude<Intent, { kind: 'progress' }>, s: TransferState, now: Date): Command {
  switch (i.kind) {
    case 'update':
      return { type: 'update', facts: FACTS[i.facts]! };
    case 'initiate':
      return { type: 'initiate' };
    case 'recordContact': {
      const codes = activeFlagCodes(s);
      const acks =
        i.acks === 'none'
          ? []
          : (i.acks === 'dropOne' ? codes.slice(1) : codes).map((code) => ({
              code,
              understanding: i.acks === 'blank' ? ' ' : 'understood',
            }));
      return {
        type: 'recordContact',
        contactId: `contact-${now.getTime()}`,
        occurredAt: new Date(now.getTime() - i.minutesAgo * 60_000),
        method: i.method,
        sendingPractitioner: i.sending === NATURAL ? ref(sendPrac) : REFS[i.sending]!,
        flagAcknowledgements: acks,
      };
    }
    case 'confirmContact':
      return { type: 'confirmContact', agree: i.agree, comment: i.comment };
    case 'acknowledgeFlag': {
      const code =
        i.code === 'natural'
          ? (unacknowledgedCriticalFlags(s)[0] ?? activeFlagCodes(s)[0] ?? 'WEIGHT_CONCERN')
          : i.code;
      const missing = code === 'NON_MOBILE_INFANT_BRUISING' ? bruisingProtocolGaps(s.facts) : [];
      const given =
        i.actions === 'none'
          ? []
          : i.actions === 'dropOne'
            ? missing.slice(1)
            : i.actions === 'extra'
              ? [...missing, ...BRUISING_PROTOCOL_ITEMS.filter((item) => !missing.includes(item)).slice(0, 1)]
              : missing;
      const actions = given.map((item) => ({ item, action: i.actions === 'blank' ? ' ' : `${item} done` }));
      return { type: 'acknowledgeFlag', code, advice: i.advice, actions };
    }
    case 'accept':
      return { type: 'accept', leadPractitioner: i.lead === NATURAL ? ref(recvPrac2) : REFS[i.lead]! };
    case 'acknowledgeNotification':
      return {
        type: 'acknowledgeNotification',
        contactPractitioner: i.contact === NATURAL ? ref(recvPrac) : REFS[i.contact]!,
      };
    case 'recordConference':
      return {
        type: 'recordConference',
        heldOn: addCalendarDays(londonDate(now), -i.daysAgo),
        outcome: i.outcome,
        chair: i.chair,
      };
    case 'confirmConference':
      return { type: 'confirmConference', receivedOn: addCalendarDays(londonDate(now), -i.daysAgo) };
    case 'return':
      return { type: 'return', reason: i.reason };
    case 'cancel':
      return { type: 'cancel', reason: i.reason };
    case 'close':
      return { type: 'close', openChaseItems: i.open };
    case 'reassign':
      return { type: 'reassign', to: REFS[i.to]! };
    case 'recordOutcome': {
      const date = addCalendarDays(londonDate(now), i.daysFromToday);
      return {
        type: 'recordOutcome',
        appointmentId: s.facts.appointments[i.appointment]?.id ?? 'appt-not-recorded',
        status: i.status,
        ...(i.status === 'attended'
          ? { attendedOn: date }
          : i.status === 'rescheduled'
            ? i.daysFromToday >= -2
              ? { rescheduledFor: date }
              : {}
            : i.daysFromToday >= -1
              ? { rebookedFor: date }
              : {}),
        chase: i.chase === 'none' ? null : { id: `item-${i.appointment}`, escalationLevel: i.chase },
      };
    }
    case 'recordChildSeen': {
      const memberId =
        i.member === NATURAL
          ? (s.facts.household.find((m) => isChild(m) && openSeenItems.has(m.id))?.id ??
            s.facts.household.find(isChild)?.id ??
            'nobody')
          : (s.facts.household[i.member]?.id ?? 'nobody');
      return {
        type: 'recordChildSeen',
        memberId,
        seenOn: addCalendarDays(londonDate(now), -i.daysAgo),
        seenBy: i.seenBy === NATURAL ? ref(recvPrac) : REFS[i.seenBy]!,
        where: i.where,
        seenAlone: i.seenAlone,
        itemOpen: openSeenItems.has(memberId),
      };
    }
    case 'reportNotReached': {
      const today = londonDate(now);
      const visit = { on: today, method: 'home_visit_no_access', note: 'no answer, curtains drawn' };
      const attempts =
        i.attempts === 'valid'
          ? [visit]
          : i.attempts === 'two'
            ? [visit, { on: addCalendarDays(today, -1), method: 'phone_no_answer' }]
            : i.attempts === 'none'
              ? []
              : i.attempts === 'future'
                ? [{ ...visit, on: addCalendarDays(today, 1) }]
                : [{ on: today, method: 'other' }];
      return { type: 'reportNotReached', attempts };
    }
    case 'closeLocateCheck':
      return {
        type: 'closeLocateCheck',
        check: LOCATE_CHECKS[i.check] ?? 'neighbours',
        found: i.found,
        pupilFileMoved: i.pupilFileMoved,
      };
    case 'recordNationalAlert':
      return {
        type: 'recordNationalAlert',
        raised: i.raised,
        ...(i.raised === true ? { reference: i.text } : { reason: i.text }),
      };
    case 'recordFamilyFound':
      return { type: 'recordFamilyFound', on: addCalendarDays(londonDate(now), -i.daysAgo), how: i.how };
  }
}

const count = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

describe('lifecycle invariants over random command sequences', () => {
  it('hold at every step', () => {
    const reached = new Map<TransferStatus, number>();
    const refusals = new Map<string, number>();
    const events = new Map<string, number>();
    let protocolAddressed = 0;
    fc.assert(
      fc.property(
        fc.nat(FACTS.length - 1),
        fc.array(stepArb, { minLength: 1, maxLength: 45, size: 'max' }),
        (factsIndex, steps) => {
          let state = draftOf(FACTS[factsIndex]!);
          let now = T0;
          openSeenItems = new Set<string>();
          const seenChildren = new Set<string>();
          // The model: what really happened, to check the state against.
          let everAccepted = false;
          let everAcknowledged = false;
          let conferenceRecordedByReceivingSide = false;
          let contactConfirmedBySendingSide = false;
          const acknowledgedBySafeguardingLead = new Set<RiskFlagCode>();
          // the family not reached: is a route open (reported, not yet found)?
          let routeOpen = false;

          for (const st of steps) {
            now = new Date(now.getTime() + st.advanceMinutes * 60_000);
            const what = st.intent.kind === 'progress' ? progress(state, now) : st.intent;
            const actor = st.actor === NATURAL ? naturalActor(what, state) : ALL_ACTORS[st.actor]!;
            const command = commandFor(what, state, now);
            const before = state;
            const frozen = snapshot(before);

            const d = decide(before, actor, command, now);

            // decide never mutates its input
            expect(snapshot(before)).toBe(frozen);

            // critical flags block acceptance until a safeguarding lead has acknowledged each
            const unacknowledgedCritical = criticalFlagCodes(computeRiskFlags(before.facts)).filter(
              (c) => !acknowledgedBySafeguardingLead.has(c),
            );
            if (command.type === 'accept' && (unacknowledgedCritical.length > 0 || !contactConfirmedBySendingSide)) {
              expect(d.ok).toBe(false);
            }
            // a host notification is never accepted, whoever asks and whatever else holds
            const hostNotification = transferKind(before.facts) === 'host_notification';
            if (command.type === 'accept' && hostNotification) expect(d.ok).toBe(false);
            // whether the family was reached is settled before a transfer is accepted (or a host
            // notification acknowledged): never while the not-reached route is open
            if ((command.type === 'accept' || command.type === 'acknowledgeNotification') && routeOpen) {
              expect(d.ok).toBe(false);
              // (said among the reasons when the command fits the kind: accept a transfer, acknowledge a notification)
              const fits = (command.type === 'acknowledgeNotification') === hostNotification;
              if (!d.ok && d.error === 'PRECONDITION_FAILED' && fits)
                expect(d.reasons.map((r) => r.code)).toContain('FAMILY_NOT_REACHED_OPEN');
            }
            // outcomes are recorded only while the transfer is in progress
            if (command.type === 'recordOutcome' && ['draft', 'cancelled', 'closed'].includes(before.status))
              expect(!d.ok && d.error).toBe(
                actor.role === 'admin' || !canSee(actor, before) ? 'FORBIDDEN' : 'INVALID_STATE',
              );

            if (!d.ok) {
              expect(isRouteOpen(before.familyNotReached)).toBe(routeOpen);
              // a refused decision changes nothing: we carry on from the same state
              count(refusals, d.error);
              for (const r of d.reasons) count(refusals, r.code);
              expect(d.reasons.length).toBeGreaterThan(0);
              for (const r of d.reasons) {
                expect(r.code).toMatch(/^[A-Z][A-Z_]+$/);
                expect(r.message.trim().length).toBeGreaterThan(0);
              }
              if (actor.role === 'admin' || !canSee(actor, before)) expect(d.error).toBe('FORBIDDEN');
              continue;
            }

            const after = d.state;
            count(reached, after.status);
            count(events, d.event.type);

            // an event that keeps the stored risk flags leaves the facts they are computed from as they were
            if (!RECOMPUTES_FLAGS[d.event.type]) expect(after.facts).toEqual(before.facts);

            // every chase the decision opens is first chased on a working day
            // (but the national alert decision for a child on a plan: at once, whatever the day)
            for (const e of d.effects)
              if (
                e.type === 'chase.open' &&
                !(e.kind === 'national_alert' && after.facts.involvement === 'child_protection')
              )
                expect(isWorkingDay(londonDate(e.firstChaseAt))).toBe(true);

            // a transfer-in conference only for a child-protection transfer (a host notification
            // never has one): its clock, counted from each (re-)initiation, and its chase item
            if (d.event.type === 'transfer.initiated')
              expect(after.conferenceDueAt !== null).toBe(needsTransferInConference(after.facts));
            if (transferKind(after.facts) === 'host_notification')
              expect(d.effects.some((e) => e.type === 'chase.open' && e.kind === 'transfer_in_conference')).toBe(false);

            // nothing is sent without its lawful basis and the family-informed record (issue 13 item 4)
            if (d.event.type === 'transfer.initiated')
              expect(lawfulBasisGaps(after.facts, after.sendingTeamId, londonDate(now))).toEqual([]);

            // only visible, non-admin actors ever change anything
            expect(actor.role).not.toBe('admin');
            expect(canSee(actor, before)).toBe(true);

            // every initiation opens a child_seen item, due by the rule, for each child not yet seen
            // (the store skips the ones still open or already seen), owned by the receiving side
            if (d.event.type === 'transfer.initiated') {
              const opened = d.effects.filter((e) => e.type === 'chase.open' && e.kind === 'child_seen');
              expect(opened.map((e) => e.type === 'chase.open' && [e.memberId, e.dueOn])).toEqual(
                childrenToBeSeen(after.facts).map((c) => [c.member.id, c.dueOn]),
              );
              for (const e of opened)
                if (e.type === 'chase.open' && !seenChildren.has(e.memberId!)) openSeenItems.add(e.memberId!);
            }
            if (d.event.type === 'transfer.cancelled') openSeenItems.clear();

            // status moves only along DESIGN §3's arrows
            if (after.status !== before.status) expect(EDGES.has(`${before.status}->${after.status}`)).toBe(true);

            // the model follows what happened
            switch (d.event.type) {
              case 'transfer.initiated':
                contactConfirmedBySendingSide = false;
                acknowledgedBySafeguardingLead.clear();
                break;
              case 'contact.recorded':
                expect(actor.teamId).toBe(SAND_HV);
                contactConfirmedBySendingSide = false;
                break;
              case 'contact.confirmed':
                // checked back by the sending side: the participant or the (sending) accountable practitioner
                expect(actor.teamId).toBe(BHAM_HV);
                expect([before.directContact!.sendingPractitionerId, before.accountablePractitionerId]).toContain(
                  actor.id,
                );
                contactConfirmedBySendingSide = true;
                break;
              case 'contact.disputed':
                contactConfirmedBySendingSide = false;
                break;
              case 'flag.acknowledged': {
                expect(actor.role).toBe('safeguarding_lead');
                if (command.type !== 'acknowledgeFlag') throw new Error('acknowledged by another command');
                acknowledgedBySafeguardingLead.add(command.code as RiskFlagCode);
                // the bruising protocol: what was done about each missing item, exactly those, in words
                const missing = command.code === 'NON_MOBILE_INFANT_BRUISING' ? bruisingProtocolGaps(before.facts) : [];
                expect(d.event.actions.map((a) => a.item).sort()).toEqual([...missing].sort());
                for (const a of d.event.actions) expect(a.action.trim().length).toBeGreaterThan(0);
                if (missing.length > 0) protocolAddressed++;
                break;
              }
              case 'transfer.accepted':
              case 'transfer.accepted_in':
                // nothing is accepted without a direct conversation the sending side checked back…
                expect(contactConfirmedBySendingSide).toBe(true);
                expect(before.directContact?.state).toBe('confirmed');
                // …nor with a critical flag no safeguarding lead acknowledged
                expect(unacknowledgedCritical).toEqual([]);
                expect(actor.teamId).toBe(SAND_HV);
                if (command.type !== 'accept') throw new Error('accepted by another command');
                if (needsTransferInConference(before.facts)) {
                  // child protection: "transfer-in accepted" — the sending practitioner stays
                  // accountable, the lead is the interim lead
                  expect(d.event.type).toBe('transfer.accepted_in');
                  expect(after.accountablePractitionerId).toBe(before.accountablePractitionerId);
                  expect(after.interimLeadId).toBe(command.leadPractitioner.id);
                  expect(after.conferenceDueAt).not.toBeNull();
                  conferenceRecordedByReceivingSide = false;
                } else {
                  // the lead becomes accountable
                  expect(d.event.type).toBe('transfer.accepted');
                  expect(after.accountablePractitionerId).toBe(command.leadPractitioner.id);
                  everAccepted = true;
                }
                break;
              case 'conference.recorded':
                expect(actor.teamId).toBe(SAND_HV);
                expect(before.status).toBe('awaiting_conference');
                conferenceRecordedByReceivingSide = true;
                break;
              case 'conference.confirmed':
                // accountability passes only at the written outcome of a conference the receiving
                // side recorded, confirmed by the sending side — after the conversation and check-back
                expect(actor.teamId).toBe(BHAM_HV);
                expect(conferenceRecordedByReceivingSide).toBe(true);
                expect(contactConfirmedBySendingSide).toBe(true);
                expect(after.accountablePractitionerId).toBe(before.interimLeadId);
                expect(after.interimLeadId).toBeNull();
                everAccepted = true;
                break;
              case 'notification.acknowledged':
                // the same conversation, check-back and critical-flag advice as acceptance…
                expect(hostNotification).toBe(true);
                expect(contactConfirmedBySendingSide).toBe(true);
                expect(unacknowledgedCritical).toEqual([]);
                expect(actor.teamId).toBe(SAND_HV);
                // …but accountability does not move
                expect(after.accountablePractitionerId).toBe(before.accountablePractitionerId);
                everAcknowledged = true;
                break;
              case 'appointment.outcome': {
                // by either team, on the one appointment named, changing nothing else
                if (command.type !== 'recordOutcome') throw new Error('an outcome from another command');
                expect([BHAM_HV, SAND_HV]).toContain(actor.teamId);
                expect(['practitioner', 'manager']).toContain(actor.role);
                expect(after.status).toBe(before.status);
                expect(after.accountablePractitionerId).toBe(before.accountablePractitionerId);
                expect(d.event.appointmentId).toBe(command.appointmentId);
                expect(after.facts.appointments.map((a) => (a.id === command.appointmentId ? null : a))).toEqual(
                  before.facts.appointments.map((a) => (a.id === command.appointmentId ? null : a)),
                );
                expect(after.facts.appointments.find((a) => a.id === command.appointmentId)!.status).toBe(
                  d.event.outcome.status,
                );
                // the chase item: the open one is closed or escalated (never de-escalated); one is opened
                // only for a missed appointment with none open
                const chase = d.event.chase;
                if (command.chase === null) expect(['open', 'none']).toContain(chase.action);
                else expect(chase).toEqual(expect.objectContaining({ itemId: command.chase.id }));
                if (chase.action === 'escalate' && command.chase)
                  expect(chase.escalationLevel).toBeGreaterThanOrEqual(command.chase.escalationLevel);
                if (chase.action === 'close' || chase.action === 'none')
                  expect(d.event.outcome.status).toBe('attended');
                if (chase.action === 'open' || chase.action === 'escalate')
                  expect(chase.nextChaseAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
                // a child on a child protection plan not seen: both areas' leads are told at once, and
                // only then; the item goes to the top of the ladder
                const member = before.facts.household.find(
                  (m) => m.id === before.facts.appointments.find((a) => a.id === command.appointmentId)?.memberId,
                );
                const notSeen = d.event.outcome.status === 'was_not_brought' || d.event.outcome.status === 'no_access';
                const alert = notSeen && before.facts.involvement === 'child_protection' && member?.role === 'child';
                expect(d.event.leadsAlerted).toBe(alert);
                expect(d.effects.some((e) => e.type === 'notify' && e.to.includes('safeguarding_leads'))).toBe(alert);
                if (alert && chase.action !== 'none' && chase.action !== 'close') expect(chase.escalationLevel).toBe(2);
                // the carer's cancellations only ever grow
                const count = (x: TransferState) =>
                  x.facts.appointments.reduce((n, a) => n + carerCancellationsOf(a), 0);
                expect(count(after)).toBeGreaterThanOrEqual(count(before));
                break;
              }
              case 'child.seen': {
                // only the receiving side records a child seen: a child of this transfer whose item
                // was open, seen by an active receiving practitioner, in the new area and not in the future
                if (command.type !== 'recordChildSeen') throw new Error('child seen by another command');
                const seen = d.event;
                expect(actor.teamId).toBe(SAND_HV);
                expect(before.facts.household.find((m) => m.id === seen.memberId)?.role).toBe('child');
                expect(openSeenItems.has(seen.memberId)).toBe(true);
                expect(TEAM_OF.get(seen.seenById)).toBe(SAND_HV);
                expect(command.seenBy.active).toBe(true);
                expect(seen.seenOn >= before.facts.moveDate).toBe(true);
                expect(seen.seenOn <= londonDate(now)).toBe(true);
                expect(['home', 'clinic', 'school', 'other']).toContain(seen.where);
                expect(typeof seen.seenAlone).toBe('boolean');
                // nothing else about the transfer changes
                expect(after).toEqual(before);
                openSeenItems.delete(seen.memberId);
                seenChildren.add(seen.memberId);
                break;
              }
              // The family not reached: the route never changes the status, accountability or facts.
              case 'family.not_reached':
                // either side; a new route only when none is open: both leads told at once, five
                // locate checks and the national alert decision chased; the flag raised
                expect([BHAM_HV, SAND_HV, null]).toContain(actor.teamId);
                expect(d.event.opened).toBe(!routeOpen);
                expect(d.effects.some((e) => e.type === 'notify' && e.message === 'family_not_reached')).toBe(
                  !routeOpen,
                );
                expect(d.effects.filter((e) => e.type === 'chase.open').length).toBe(
                  routeOpen ? 0 : LOCATE_CHECKS.length + 1,
                );
                expect(d.event.route.attempts.length).toBeGreaterThan(
                  routeOpen ? before.familyNotReached!.attempts.length : 0,
                );
                routeOpen = true;
                break;
              case 'locate_check.closed':
                expect(routeOpen).toBe(true);
                {
                  const check = d.event.check;
                  expect(d.event.route.checks.find((c) => c.check === check)!.found).toBeTruthy();
                  expect(before.familyNotReached!.checks.find((c) => c.check === check)!.found).toBeNull();
                }
                break;
              case 'national_alert.decided':
                // a safeguarding lead's only, once due, once
                expect(actor.role).toBe('safeguarding_lead');
                expect(routeOpen).toBe(true);
                expect(before.familyNotReached!.nationalAlert).toBeNull();
                expect(before.familyNotReached!.nationalAlertDueAt.getTime()).toBeLessThanOrEqual(now.getTime());
                break;
              case 'family.found':
                // ends the route; the route (and so the record of its flag) stays in the state
                expect(routeOpen).toBe(true);
                expect(after.familyNotReached!.attempts).toEqual(before.familyNotReached!.attempts);
                expect(d.effects.some((e) => e.type === 'chase.open')).toBe(false);
                routeOpen = false;
                break;
              case 'transfer.closed':
                expect(actor).toBe(SYSTEM_ACTOR);
                expect(command.type === 'close' && command.openChaseItems).toBe(0);
                break;
            }

            // a child-protection family's accountability passes only at the written confirmation
            if (
              TEAM_OF.get(before.accountablePractitionerId) === BHAM_HV &&
              TEAM_OF.get(after.accountablePractitionerId) === SAND_HV
            )
              expect(d.event.type).toBe(
                needsTransferInConference(before.facts) ? 'conference.confirmed' : 'transfer.accepted',
              );
            // an interim lead only while awaiting the conference, and always of the receiving team
            expect(after.interimLeadId !== null).toBe(after.status === 'awaiting_conference');
            if (after.interimLeadId !== null) expect(TEAM_OF.get(after.interimLeadId)).toBe(SAND_HV);
            // the route's commands change nothing else about the transfer
            if (
              ['family.not_reached', 'locate_check.closed', 'national_alert.decided', 'family.found'].includes(
                d.event.type,
              )
            ) {
              expect({ ...after, familyNotReached: null }).toEqual({ ...before, familyNotReached: null });
            }
            expect(isRouteOpen(after.familyNotReached)).toBe(routeOpen);

            // exactly one accountable practitioner at every step: a sending-team member until
            // accept succeeds (for child protection: the written confirmation), then a
            // receiving-team member (the lead, unless a manager reassigned)
            expect(typeof after.accountablePractitionerId).toBe('string');
            expect(after.accountablePractitionerId.length).toBeGreaterThan(0);
            expect(TEAM_OF.get(after.accountablePractitionerId)).toBe(everAccepted ? SAND_HV : BHAM_HV);
            // a host notification's accountability never passes: the sending team, at every step
            if (transferKind(after.facts) === 'host_notification') {
              expect(everAccepted).toBe(false);
              expect(TEAM_OF.get(after.accountablePractitionerId)).toBe(BHAM_HV);
            }
            expect(everAccepted || everAcknowledged).toBe(
              after.status === 'accepted' || after.status === 'notification_acknowledged' || after.status === 'closed',
            );
            expect(everAcknowledged).toBe(
              after.status === 'notification_acknowledged' || (after.status === 'closed' && !everAccepted),
            );

            state = after;
          }
        },
      ),
      // 600 runs: with the route's four commands among the intents, the rarest refusals (SEEN_BEFORE_MOVE,
      // NATIONAL_ALERT_NOT_DUE) happen a handful of times in 400 runs and, rarely, not at all. The seed
      // is fixed (FC_SEED overrides it, to explore other sequences) so that the coverage check below
      // is deterministic: a change that stops the generator reaching a refusal fails every run, not one
      // in twenty.
      { numRuns: 600, seed: Number(process.env.FC_SEED ?? 20261202) },
    );

    // The runs explored the whole lifecycle, so the invariants above were really exercised:
    // every status was reached, and every kind of refusal happened.
    for (const status of [
      'awaiting_contact',
      'contact_recorded',
      'contact_confirmed',
      'awaiting_conference',
      'accepted',
      'notification_acknowledged',
      'returned',
      'cancelled',
      'closed',
    ] as const) {
      expect(reached.get(status) ?? 0).toBeGreaterThan(0);
    }
    // Both ways responsibility passes (and the transfer-in acceptance and conference before one) happened.
    for (const event of [
      'transfer.accepted',
      'transfer.accepted_in',
      'conference.recorded',
      'conference.confirmed',
      'appointment.outcome',
      'child.seen',
      'family.not_reached',
      'locate_check.closed',
      'national_alert.decided',
      'family.found',
    ])
      expect(events.get(event) ?? 0).toBeGreaterThan(0);
    // A lead's acknowledgement said what was done about a bruising protocol that was missing items.
    expect(protocolAddressed).toBeGreaterThan(0);
    for (const error of ['INVALID_STATE', 'FORBIDDEN', 'PRECONDITION_FAILED'])
      expect(refusals.get(error) ?? 0).toBeGreaterThan(0);
    for (const code of [
      'NOT_VISIBLE',
      'ADMIN_NO_FAMILY_DATA',
      'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
      'FLAGS_NOT_ACKNOWLEDGED',
      'CONTACT_METHOD_NOT_CONVERSATION',
      'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
      'HOST_NOTIFICATION_NOT_ACCEPTED',
      'NOT_HOST_NOTIFICATION',
      'NOT_A_CHILD_OF_TRANSFER',
      'CHILD_ALREADY_SEEN',
      'SEEN_BEFORE_MOVE',
      'SEEN_IN_FUTURE',
      'SEEN_WHERE_INVALID',
      'SEEN_BY_NOT_IN_RECEIVING_TEAM',
      'PROTOCOL_ITEMS_NOT_ADDRESSED',
      'PROTOCOL_ITEM_NOT_MISSING',
      'FAMILY_NOT_REACHED_OPEN',
      'NATIONAL_ALERT_NOT_DUE',
      'NOT_ON_EITHER_SIDE',
    ]) {
      expect(refusals.get(code) ?? 0).toBeGreaterThan(0);
    }
  });
});

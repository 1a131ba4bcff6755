/**
 * Closing loose ends (DESIGN §6): a chase item is only closed with recorded evidence, or by a
 * manager with a reason. Time alone never closes anything. Also what an appointment outcome does.
 */
import { isLocalDate, londonDate } from './calendar.js';
import { escalateOnce } from './chase-policy.js';
import { ODS_CODE } from './codes.js';
import { DEFAULT_CLOCK_POLICY, firstChaseAt, type ClockPolicy } from './clocks.js';
import type { Actor } from './lifecycle/index.js';
import { REFUSALS, refuse, type Reason, type Refusal } from './refusals.js';
import { MAX_ESCALATION_LEVEL, type ChaseKind, type ChaseResolution, type EscalationLevel } from './vocabulary.js';

/**
 * The evidence each kind closes with; null: not closed with evidence by hand. Direct contact
 * closes by itself when the transfer is accepted; the transfer-in conference when the receiving
 * side records it (POST /v1/transfers/:id/conference, with its date, outcome and chair) — a
 * "held" typed into its chase item would pass for a conference that no record shows.
 */
export const EVIDENCE_RESOLUTION: Readonly<Record<ChaseKind, ChaseResolution | null>> = {
  gp_registration: 'registered',
  appointment: 'attended',
  agreed_action: 'completed',
  transfer_in_conference: null,
  direct_contact: null,
  // two answers, see MOVE_REVIEW_ANSWERS
  move_review: null,
  // recorded on its own (POST /v1/transfers/:id/children/:memberId/seen): recordChildSeen
  child_seen: null,
  // the family not reached (issue 14 item 2): closed by the route's own commands, with what was
  // found (POST /v1/transfers/:id/locate-checks/:check/close), the lead's decision
  // (…/national-alert) or the family found (…/family-found) — never a typed-in resolution.
  locate_family_members: null,
  locate_education_setting: null,
  locate_health_registration: null,
  locate_police_welfare_check: null,
  locate_strategy_discussion: null,
  national_alert: null,
};

/** The answers that close a move review ("is the move now permanent?"). */
export const MOVE_REVIEW_ANSWERS = ['still_temporary', 'now_permanent'] as const satisfies readonly ChaseResolution[];

export interface ChaseItemFacts {
  readonly kind: ChaseKind;
  readonly status: 'open' | 'closed';
}

/** The two teams of the item's transfer. */
export interface ChaseTeams {
  readonly sendingTeamId: string;
  readonly receivingTeamId: string;
}

export interface CloseRequest {
  readonly resolution: string;
  readonly evidence?: {
    readonly practiceOds?: string;
    readonly practiceName?: string;
    readonly registeredOn?: string;
    readonly attendedOn?: string;
    readonly note?: string;
    readonly heldOn?: string;
    /** Move review, still temporary: when to ask again. */
    readonly nextReviewOn?: string;
  };
  readonly reason?: string;
}

export type ChaseDecision =
  { readonly ok: true; readonly resolution: ChaseResolution; readonly evidence: Record<string, string> } | Refusal;

const blank = (value: string | undefined | null) => typeof value !== 'string' || value.trim() === '';
const onTeam = (actor: Actor, teams: ChaseTeams) =>
  (actor.role === 'practitioner' || actor.role === 'manager') &&
  (actor.teamId === teams.sendingTeamId || actor.teamId === teams.receivingTeamId);

/** A date that happened: a real YYYY-MM-DD no later than today (London). */
function pastDate(value: string | undefined, field: string, today: string, reasons: Reason[]): void {
  if (!isLocalDate(value)) reasons.push(REFUSALS.dateMissing(field));
  else if (value > today) reasons.push(REFUSALS.dateInFuture(field));
}

/**
 * May this person close this item this way? Practitioners and managers of either team record
 * evidence; only a manager of either team may close an item as no longer required, with a reason.
 */
export function decideClose(
  item: ChaseItemFacts,
  teams: ChaseTeams,
  actor: Actor,
  request: CloseRequest,
  now: Date,
): ChaseDecision {
  if (item.status !== 'open') return refuse('INVALID_STATE', REFUSALS.chaseItemClosed());
  if (!onTeam(actor, teams)) return refuse('FORBIDDEN', REFUSALS.notOnEitherTeam('close this item'));
  const today = londonDate(now);
  if (request.resolution === 'no_longer_required') {
    if (actor.role !== 'manager') return refuse('FORBIDDEN', REFUSALS.notManager());
    if (blank(request.reason)) return refuse('PRECONDITION_FAILED', REFUSALS.noLongerRequiredReasonMissing());
    return { ok: true, resolution: 'no_longer_required', evidence: { reason: request.reason!.trim() } };
  }
  if (item.kind === 'move_review') return decideMoveReview(request, today);
  if (item.kind === 'transfer_in_conference')
    return refuse('PRECONDITION_FAILED', REFUSALS.conferenceClosesWhenRecorded());
  const expected = EVIDENCE_RESOLUTION[item.kind];
  if (item.kind === 'child_seen') return refuse('PRECONDITION_FAILED', REFUSALS.childSeenRecordedOnItsOwn());
  if (expected === null) return refuse('PRECONDITION_FAILED', REFUSALS.directContactClosesOnAcceptance());
  if (request.resolution !== expected)
    return refuse('PRECONDITION_FAILED', REFUSALS.wrongResolution(item.kind, expected));
  const e = request.evidence ?? {};
  const reasons: Reason[] = [];
  switch (expected) {
    case 'registered':
      if (!ODS_CODE.test(e.practiceOds ?? '')) reasons.push(REFUSALS.practiceOdsMissing());
      if (blank(e.practiceName)) reasons.push(REFUSALS.practiceNameMissing());
      pastDate(e.registeredOn, 'registeredOn', today, reasons);
      break;
    case 'attended':
      pastDate(e.attendedOn, 'attendedOn', today, reasons);
      break;
    case 'completed':
      if (blank(e.note)) reasons.push(REFUSALS.completionNoteMissing());
      break;
  }
  if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
  const evidence = Object.fromEntries(
    Object.entries(e)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => [k, (v as string).trim()]),
  );
  return { ok: true, resolution: expected, evidence };
}

/**
 * What closing an item sets in motion beside the item itself: evidence that changes what is known
 * about the family is recorded where the family is (the child's GP, the appointment attended), and
 * a move review's answer settles the move or asks again. The one place these are decided; the API's
 * DecisionWriter.writeCloseEffects turns them into rows.
 */
export type ChaseCloseEffect =
  | {
      readonly type: 'gp.registered';
      readonly memberId: string;
      readonly practiceOds: string;
      readonly practiceName: string;
    }
  | { readonly type: 'appointment.attended'; readonly appointmentId: string; readonly attendedOn: string }
  | { readonly type: 'move.permanent' }
  | { readonly type: 'move_review.open'; readonly firstChaseAt: Date };

/** The effects of closing `item` as `decision` decided (an accepted decision of decideClose). */
export function closeEffects(
  item: { readonly memberId: string | null; readonly appointmentId: string | null },
  decision: Extract<ChaseDecision, { ok: true }>,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): ChaseCloseEffect[] {
  const e = decision.evidence;
  switch (decision.resolution) {
    case 'registered':
      return item.memberId
        ? [{ type: 'gp.registered', memberId: item.memberId, practiceOds: e.practiceOds, practiceName: e.practiceName }]
        : [];
    case 'attended':
      return item.appointmentId
        ? [{ type: 'appointment.attended', appointmentId: item.appointmentId, attendedOn: e.attendedOn }]
        : [];
    case 'now_permanent':
      return [{ type: 'move.permanent' }];
    case 'still_temporary':
      return [
        { type: 'move_review.open', firstChaseAt: firstChaseAt('move_review', { dueOn: e.nextReviewOn }, clocks) },
      ];
    default:
      return [];
  }
}

/**
 * A move review closes with the answer (issue 13 item 3): `now_permanent` — the move is recorded
 * as permanent — or `still_temporary` with `nextReviewOn` (a date after today), when the question is
 * asked again. Either way a note says how it is known.
 */
function decideMoveReview(request: CloseRequest, today: string): ChaseDecision {
  const answer = request.resolution;
  if (answer !== 'still_temporary' && answer !== 'now_permanent')
    return refuse('PRECONDITION_FAILED', REFUSALS.moveReviewAnswer());
  const e = request.evidence ?? {};
  const reasons: Reason[] = [];
  if (blank(e.note)) reasons.push(REFUSALS.moveReviewNoteMissing());
  if (answer === 'still_temporary') {
    if (!isLocalDate(e.nextReviewOn)) reasons.push(REFUSALS.dateMissing('nextReviewOn'));
    else if (e.nextReviewOn <= today) reasons.push(REFUSALS.nextReviewNotAfterToday());
  }
  if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
  return {
    ok: true,
    resolution: answer,
    evidence: {
      note: e.note!.trim(),
      ...(answer === 'still_temporary' ? { nextReviewOn: e.nextReviewOn! } : {}),
    },
  };
}

export interface OutcomeRequest {
  readonly status: string;
  readonly attendedOn?: string;
  readonly rebookedFor?: string;
  /** rescheduled: the new date (today or later). */
  readonly rescheduledFor?: string;
}

/** What the outcome rule needs to know beyond the request (issue 14 item 5). */
export interface OutcomeContext {
  /** The appointment is a child's and the transfer is child protection (involvement child_protection). */
  readonly childOnPlan: boolean;
}

export type OutcomeDecision =
  | { readonly ok: true; readonly status: 'attended'; readonly attendedOn: string }
  | {
      readonly ok: true;
      readonly status: 'was_not_brought' | 'no_access' | 'cancelled_by_carer';
      readonly rebookedFor: string | null;
      /**
       * Not brought / no access: the chase item is escalated one level at once — for a child on a
       * child protection plan straight to both areas' safeguarding leads (the top level). A carer's
       * cancellation keeps its level.
       */
      readonly escalationLevel: EscalationLevel;
      /** …and chased now for a rebooked date, or the working day after the rebooked one. */
      readonly nextChaseAt: Date;
      /** Both areas' safeguarding leads are told at once (a child on a plan not seen); absent otherwise. */
      readonly leadsAlerted?: true;
    }
  | {
      readonly ok: true;
      readonly status: 'rescheduled';
      readonly rescheduledFor: string;
      readonly escalationLevel: EscalationLevel;
      /** Chased the working day after the new date. */
      readonly nextChaseAt: Date;
    }
  | Refusal<'FORBIDDEN' | 'PRECONDITION_FAILED'>;

/** Who may record an appointment's outcome: a practitioner or manager of either team (null), or why not. */
export function outcomeRecorderGap(actor: Actor, teams: ChaseTeams): Reason | null {
  return onTeam(actor, teams) ? null : REFUSALS.notOnEitherTeam('record an outcome');
}

/**
 * An appointment's outcome. `attended` closes its chase item; `was_not_brought` and `no_access`
 * keep it open, escalate it one level at once (a child on a child protection plan: to both areas'
 * safeguarding leads, told at once) and ask for a rebooked date; `cancelled_by_carer` keeps it open
 * at its level and asks for a rebooked date; `rescheduled` chases it after the new date. Raising
 * WAS_NOT_BROUGHT and REPEATED_CANCELLATIONS follows from the facts.
 */
export function decideAppointmentOutcome(
  teams: ChaseTeams,
  actor: Actor,
  request: OutcomeRequest,
  currentLevel: EscalationLevel,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
  context: OutcomeContext = { childOnPlan: false },
): OutcomeDecision {
  const forbidden = outcomeRecorderGap(actor, teams);
  if (forbidden) return refuse('FORBIDDEN', forbidden);
  return judgeOutcome(request, currentLevel, now, clocks, context);
}

/**
 * The outcome itself, once the person may record it (the lifecycle's `recordOutcome` transition
 * runs this): every unmet precondition, or the outcome with what it does to the chase item.
 */
export function judgeOutcome(
  request: OutcomeRequest,
  currentLevel: EscalationLevel,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
  context: OutcomeContext = { childOnPlan: false },
): Exclude<OutcomeDecision, Refusal<'FORBIDDEN'>> {
  const today = londonDate(now);
  const reasons: Reason[] = [];
  const status = request.status;
  if (status === 'attended') {
    pastDate(request.attendedOn, 'attendedOn', today, reasons);
    if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
    return { ok: true, status: 'attended', attendedOn: request.attendedOn! };
  }
  if (status === 'was_not_brought' || status === 'no_access' || status === 'cancelled_by_carer') {
    const rebooked = request.rebookedFor ?? null;
    if (rebooked !== null && !isLocalDate(rebooked)) reasons.push(REFUSALS.dateMissing('rebookedFor'));
    else if (rebooked !== null && rebooked < today) reasons.push(REFUSALS.rebookedInPast());
    if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
    const missed = status !== 'cancelled_by_carer';
    const leadsAlerted = missed && context.childOnPlan;
    return {
      ok: true,
      status,
      rebookedFor: rebooked,
      escalationLevel: leadsAlerted ? MAX_ESCALATION_LEVEL : missed ? escalateOnce(currentLevel) : currentLevel,
      nextChaseAt: rebooked ? firstChaseAt('appointment', { dueOn: rebooked }, clocks) : now,
      ...(leadsAlerted ? { leadsAlerted: true as const } : {}),
    };
  }
  if (status === 'rescheduled') {
    const to = request.rescheduledFor;
    if (!isLocalDate(to)) reasons.push(REFUSALS.dateMissing('rescheduledFor'));
    else if (to < today) reasons.push(REFUSALS.rescheduledInPast());
    if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
    return {
      ok: true,
      status,
      rescheduledFor: to!,
      escalationLevel: currentLevel,
      nextChaseAt: firstChaseAt('appointment', { dueOn: to! }, clocks),
    };
  }
  return refuse('PRECONDITION_FAILED', REFUSALS.outcomeStatusInvalid());
}

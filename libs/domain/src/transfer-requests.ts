/**
 * Transfer requests (issue 14 item 3): a practitioner who learns that a family known to another
 * area has moved in asks that area's team — the originating team — to transfer it. The request is
 * open until the originating team answers: `will_transfer` (a linked draft transfer is made, which
 * the originating side completes) or `declined` with a reason. An answer is due within
 * `requestAnswerWorkingDays` working days; an unanswered request is chased and escalated on the
 * chasing ladder like a loose end (chase-policy.ts).
 *
 * Who sees a request: the requester's team, the originating team, and the safeguarding leads of
 * both areas. Nobody else (admins included: a request is family data).
 */
import { addWorkingDays, addWorkingDaysToDate, atLondonTime, isLocalDate, londonDate } from './calendar.js';
import { DEFAULT_CHASE_LADDER, escalationLevelForReminder, recipientsAt } from './chase-policy.js';
import type { ChaseLadder, ChaseRecipient } from './chase-policy.js';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clocks.js';
import type { Actor } from './lifecycle/state.js';
import { REFUSALS, refuse, type Reason, type Refusal } from './refusals.js';
import { retentionCutoff } from './retention.js';
import type { EscalationLevel, TransferRequestDecision, TransferRequestStatus } from './vocabulary.js';

/** What the rules need to know of a request. */
export interface TransferRequestFacts {
  readonly status: TransferRequestStatus;
  readonly requesterTeamId: string;
  readonly requesterAreaId: string;
  readonly originatingTeamId: string;
  readonly originatingAreaId: string;
}

const actsForTeam = (a: Actor) => (a.role === 'practitioner' || a.role === 'manager') && a.teamId !== null;

/**
 * May this actor see the request (and the family data in it)? The requester's team and the
 * originating team (anyone in them), both areas' safeguarding leads; the system always; no one else.
 */
export function canSeeRequest(actor: Actor, r: Omit<TransferRequestFacts, 'status'>): boolean {
  if (actor.role === 'system') return true;
  if (actor.role === 'admin') return false;
  if (actor.teamId !== null && (actor.teamId === r.requesterTeamId || actor.teamId === r.originatingTeamId))
    return true;
  return (
    actor.role === 'safeguarding_lead' &&
    actor.areaId !== null &&
    (actor.areaId === r.requesterAreaId || actor.areaId === r.originatingAreaId)
  );
}

/** The conditions a list can put in SQL: the actor's team on either side, or (leads) their area. */
export interface RequestVisibility {
  readonly all: boolean;
  readonly teamId: string | null;
  /** Safeguarding leads only. */
  readonly areaId: string | null;
}

/** The rule above resolved for one actor, for SQL (libs/persistence transfer-requests.repository.ts). */
export function requestVisibilityFor(actor: Actor): RequestVisibility {
  if (actor.role === 'system') return { all: true, teamId: null, areaId: null };
  if (actor.role === 'admin') return { all: false, teamId: null, areaId: null };
  return { all: false, teamId: actor.teamId, areaId: actor.role === 'safeguarding_lead' ? actor.areaId : null };
}

export interface RequestedChild {
  readonly givenName: string;
  readonly familyName: string;
  readonly dateOfBirth?: string | null;
  readonly nhsNumber?: string | null;
}

export interface OpenRequestInput {
  /** The originating team as the directory knows it. */
  readonly originatingTeam: { readonly id: string; readonly areaId: string };
  readonly children: readonly RequestedChild[];
  readonly howKnown: string;
  readonly concern: string;
}

export type OpenRequestDecision =
  | {
      readonly ok: true;
      readonly facts: TransferRequestFacts;
      /** When the originating team's answer is due (and the request is first chased). */
      readonly dueAt: Date;
    }
  | Refusal;

const blank = (value: string | null | undefined) => typeof value !== 'string' || value.trim() === '';

/** When an answer to a request opened at `openedAt` is due: `requestAnswerWorkingDays` working days on. */
export function requestDueAt(openedAt: Date, clocks: ClockPolicy = DEFAULT_CLOCK_POLICY): Date {
  return addWorkingDays(openedAt, clocks.requestAnswerWorkingDays);
}

/**
 * Opening a request: a practitioner or manager in a team, to a team of another area, about at least
 * one named child, saying how the family is known there and what the concern is.
 */
export function decideOpenRequest(
  actor: Actor,
  input: OpenRequestInput,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): OpenRequestDecision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!actsForTeam(actor) || actor.areaId === null) return refuse('FORBIDDEN', REFUSALS.cannotRequestTransfer());
  const reasons: Reason[] = [];
  if (input.originatingTeam.areaId === actor.areaId) reasons.push(REFUSALS.originatingTeamInSameArea());
  if (input.children.length === 0) reasons.push(REFUSALS.requestChildMissing());
  const today = londonDate(now);
  input.children.forEach((child, i) => {
    if (blank(child.givenName) || blank(child.familyName)) reasons.push(REFUSALS.requestChildNameMissing(i));
    if (isLocalDate(child.dateOfBirth) && child.dateOfBirth > today) reasons.push(REFUSALS.requestChildBornInFuture(i));
  });
  if (blank(input.howKnown)) reasons.push(REFUSALS.howKnownRequired());
  if (blank(input.concern)) reasons.push(REFUSALS.concernRequired());
  if (reasons.length) return refuse('PRECONDITION_FAILED', ...reasons);
  return {
    ok: true,
    facts: {
      status: 'open',
      requesterTeamId: actor.teamId!,
      requesterAreaId: actor.areaId,
      originatingTeamId: input.originatingTeam.id,
      originatingAreaId: input.originatingTeam.areaId,
    },
    dueAt: requestDueAt(now, clocks),
  };
}

export interface RespondInput {
  readonly decision: string;
  readonly reason?: string | null;
}

/** Who is told of an answer (emails, no personal data). */
export type RequestAudience = 'requester' | 'originating_team' | 'safeguarding_leads';

export type RespondDecision =
  | {
      readonly ok: true;
      readonly status: Exclude<TransferRequestStatus, 'open'>;
      readonly decision: TransferRequestDecision;
      /** The reason of a decline, trimmed; null for will_transfer. */
      readonly reason: string | null;
      /** Who is told: the requester always; a decline also both areas' safeguarding leads. */
      readonly notify: readonly RequestAudience[];
    }
  | Refusal;

/**
 * Answering a request: only a practitioner or manager of the originating team, only while it is
 * open. `will_transfer` (the caller then makes the linked draft, as its sending side); `declined`
 * with a reason, told to the requester and to both areas' safeguarding leads.
 */
export function decideRespond(request: TransferRequestFacts, actor: Actor, input: RespondInput): RespondDecision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!actsForTeam(actor) || actor.teamId !== request.originatingTeamId)
    return refuse('FORBIDDEN', REFUSALS.notOriginatingTeam());
  if (request.status !== 'open') return refuse('INVALID_STATE', REFUSALS.requestAlreadyAnswered(request.status));
  if (input.decision === 'will_transfer')
    return { ok: true, status: 'will_transfer', decision: 'will_transfer', reason: null, notify: ['requester'] };
  if (input.decision === 'declined') {
    if (blank(input.reason)) return refuse('PRECONDITION_FAILED', REFUSALS.declineReasonRequired());
    return {
      ok: true,
      status: 'declined',
      decision: 'declined',
      reason: input.reason!.trim(),
      notify: ['requester', 'safeguarding_leads'],
    };
  }
  return refuse('PRECONDITION_FAILED', REFUSALS.requestDecisionInvalid());
}

/** Whether an open request's answer is overdue at `now`. */
export function isRequestOverdue(request: { status: TransferRequestStatus; dueAt: Date }, now: Date): boolean {
  return request.status === 'open' && request.dueAt.getTime() <= now.getTime();
}

/** An open request's chasing state, as the sweep reads it. */
export interface RequestChaseClock {
  readonly status: TransferRequestStatus;
  readonly reminders: number;
  readonly escalationLevel: EscalationLevel;
  readonly nextChaseAt: Date | null;
}

export interface RequestReminder {
  readonly reminderNumber: number;
  readonly escalationLevel: EscalationLevel;
  /**
   * The ladder's rungs: `owner` is the originating team (its mailbox), `team_manager` its managers,
   * `safeguarding_leads` the leads of both areas.
   */
  readonly recipients: ChaseRecipient[];
  readonly nextChaseAt: Date;
}

/**
 * The reminder to send for an unanswered request, or null when none is due: the chasing ladder's
 * levels (the same as a loose end's), then every `requestChaseEveryWorkingDays` at the chase time.
 */
export function nextRequestReminder(
  request: RequestChaseClock,
  now: Date,
  ladder: ChaseLadder = DEFAULT_CHASE_LADDER,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): RequestReminder | null {
  if (request.status !== 'open' || request.nextChaseAt === null) return null;
  if (request.nextChaseAt.getTime() > now.getTime()) return null;
  const reminderNumber = request.reminders + 1;
  const escalationLevel = Math.max(
    escalationLevelForReminder(reminderNumber, ladder),
    request.escalationLevel,
  ) as EscalationLevel;
  return {
    reminderNumber,
    escalationLevel,
    recipients: recipientsAt(escalationLevel),
    nextChaseAt: atLondonTime(
      addWorkingDaysToDate(londonDate(now), clocks.requestChaseEveryWorkingDays),
      clocks.chaseTimeOfDay,
    ),
  };
}

/**
 * Retention (as for transfers, retention.ts): an answered request keeps its family data for the
 * retention period after its answer, then it is erased (its data key destroyed, its children
 * deleted, its free text nulled), leaving the row as a tombstone. An open request is never erased:
 * it is still being chased. A request answered `will_transfer` handed its children to the linked
 * transfer, which has its own retention.
 */
export function requestDueForErasure(
  request: { status: TransferRequestStatus; respondedAt: Date | null; erasedAt: Date | null },
  now: Date,
  days: number,
): boolean {
  if (request.erasedAt !== null || request.status === 'open' || request.respondedAt === null) return false;
  return request.respondedAt.getTime() <= retentionCutoff(now, days).getTime();
}

/**
 * Through what each role monitors transfer requests (counts only, no family data), as MONITORING_VIA
 * says for transfers: managers through their team (either side), safeguarding leads through their
 * area, admins everything, practitioners not at all (null).
 */
export function requestMonitoringScopeFor(actor: Actor): RequestVisibility | null {
  if (actor.role === 'system' || actor.role === 'admin') return { all: true, teamId: null, areaId: null };
  if (actor.role === 'manager') return { all: false, teamId: actor.teamId, areaId: null };
  if (actor.role === 'safeguarding_lead') return { all: false, teamId: null, areaId: actor.areaId };
  return null;
}

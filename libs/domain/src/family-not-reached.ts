/**
 * The family not reached (issue 14 item 2). Either side reports its failed attempts to reach the
 * family: that raises the critical flag FAMILY_NOT_REACHED, tells both areas' safeguarding leads at
 * once (no personal data) and opens the locate checklist (LOCATE_CHECKS), each check closed with
 * what was found. Not found within `notReachedAlertWorkingDays` working days of the report (at once
 * for child protection), a safeguarding lead must record the national alert decision: raised, with
 * its reference, or not, with the reason. "Family found" (when and how) ends the route; the route,
 * its flag and its outcome stay in the history. While it is open the transfer cannot be accepted
 * nor a host notification acknowledged (`notReachedGaps`, read by transitions.ts).
 *
 * Pure: each decision answers the route's new state and what it sets in motion, or a refusal.
 * The API writes the route (apps/api); the free text here (notes, what was found, how, reason,
 * reference) is family data and sealed at rest.
 */
import { addWorkingDays, isLocalDate, londonDate } from './calendar.js';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clocks.js';
import { actsForTeams, isReceivingSide, isSafeguardingLeadFor, isSendingSide } from './lifecycle/sides.js';
import type { Actor, TransferState } from './lifecycle/state.js';
import { REFUSALS, refuse, type Reason, type Refusal } from './refusals.js';
import type { RiskFlag } from './risk-flags.js';
import {
  LOCATE_CHECKS,
  NOT_REACHED_METHODS,
  RISK_FLAG_SEVERITY,
  type Involvement,
  type LocateCheck,
  type NotReachedMethod,
  type TransferStatus,
} from './vocabulary.js';

export interface NotReachedAttempt {
  /** Local date of the attempt (YYYY-MM-DD). */
  readonly on: string;
  readonly method: NotReachedMethod;
  readonly note: string | null;
}

export interface LocateCheckState {
  readonly check: LocateCheck;
  /** What was found, once closed; null while open. */
  readonly found: string | null;
  /** education_setting only: whether the pupil file moved (null until closed, and for other checks). */
  readonly pupilFileMoved: boolean | null;
  readonly closedAt: Date | null;
  readonly closedById: string | null;
}

export type NationalAlertDecision =
  | { readonly raised: true; readonly reference: string; readonly decidedAt: Date; readonly decidedById: string }
  | { readonly raised: false; readonly reason: string; readonly decidedAt: Date; readonly decidedById: string };

export interface FamilyNotReachedState {
  readonly openedAt: Date;
  readonly openedById: string;
  readonly attempts: readonly NotReachedAttempt[];
  readonly checks: readonly LocateCheckState[];
  /** When the national alert decision falls due if the family is still not found. */
  readonly nationalAlertDueAt: Date;
  readonly nationalAlert: NationalAlertDecision | null;
  /** Family found: ends the route (kept in the history). */
  readonly found: { readonly on: string; readonly how: string; readonly recordedById: string } | null;
}

/** What a decision on the route sets in motion (the service turns these into rows and emails). */
export type NotReachedEffect =
  | { readonly type: 'packet.generate' }
  /** Both areas' safeguarding leads, at once; the email carries the reference and a link only. */
  | { readonly type: 'notify'; readonly message: 'family_not_reached'; readonly to: readonly ['safeguarding_leads'] }
  | { readonly type: 'notify'; readonly message: 'national_alert_due'; readonly to: readonly ['safeguarding_leads'] }
  | {
      readonly type: 'notify';
      readonly message: 'family_found';
      readonly to: readonly ['safeguarding_leads', 'sending_team', 'receiving_team'];
    }
  /** One chase item per locate check, chased from now (every working day: the family is missing). */
  | { readonly type: 'locate.open'; readonly checks: readonly LocateCheck[]; readonly firstChaseAt: Date }
  /** The national alert decision's chase item, chased (and escalated) from its due time until recorded. */
  | { readonly type: 'national_alert.open'; readonly dueAt: Date }
  | { readonly type: 'locate.close'; readonly check: LocateCheck }
  | { readonly type: 'national_alert.close' }
  /** Found: every open locate check and the national alert item close as no longer required. */
  | { readonly type: 'route.close_all' };

export type RouteDecision =
  { readonly ok: true; readonly route: FamilyNotReachedState; readonly effects: NotReachedEffect[] } | Refusal;

/** While a transfer is in progress (initiated, not cancelled or closed), its family can be reported not reached. */
export const NOT_REACHED_STATUSES: readonly TransferStatus[] = [
  'awaiting_contact',
  'contact_recorded',
  'contact_confirmed',
  'awaiting_conference',
  'accepted',
  'notification_acknowledged',
  'returned',
];

type RouteView = Pick<
  TransferState,
  'status' | 'sendingTeamId' | 'receivingTeamId' | 'sendingAreaId' | 'receivingAreaId' | 'facts'
> & {
  readonly familyNotReached?: FamilyNotReachedState | null;
};

const eitherSide = (s: RouteView, a: Actor) =>
  isSendingSide(s as TransferState, a) ||
  isReceivingSide(s as TransferState, a) ||
  isSafeguardingLeadFor(s as TransferState, a);

export function isRouteOpen(route: FamilyNotReachedState | null | undefined): route is FamilyNotReachedState {
  return route !== null && route !== undefined && route.found === null;
}

/** When the national alert decision is due: at once for child protection, else the configured working days. */
export function nationalAlertDueAt(
  openedAt: Date,
  involvement: Involvement,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): Date {
  return involvement === 'child_protection'
    ? new Date(openedAt.getTime())
    : addWorkingDays(openedAt, clocks.notReachedAlertWorkingDays);
}

/** Is a national alert decision due now (route open, not found, none recorded, due time reached)? */
export function isNationalAlertDue(route: FamilyNotReachedState | null | undefined, now: Date): boolean {
  return isRouteOpen(route) && route.nationalAlert === null && route.nationalAlertDueAt.getTime() <= now.getTime();
}

/** The preconditions the route adds to `accept` and `acknowledgeNotification`. */
export function notReachedGaps(state: Pick<RouteView, 'familyNotReached'>): Reason[] {
  return isRouteOpen(state.familyNotReached) ? [REFUSALS.familyNotReachedOpen()] : [];
}

/** FAMILY_NOT_REACHED (critical) while the route is open; no names, counts only. */
export function notReachedFlags(route: FamilyNotReachedState | null | undefined): RiskFlag[] {
  if (!isRouteOpen(route)) return [];
  const open = route.checks.filter((c) => c.found === null).length;
  const n = route.attempts.length;
  return [
    {
      code: 'FAMILY_NOT_REACHED',
      severity: RISK_FLAG_SEVERITY.FAMILY_NOT_REACHED,
      memberIds: [],
      summary: `the family has not been reached after ${n} ${n === 1 ? 'attempt' : 'attempts'}; ${open} of ${route.checks.length} locate checks still open`,
    },
  ];
}

export interface AttemptInput {
  readonly on: unknown;
  readonly method: unknown;
  readonly note?: unknown;
}

function attemptGaps(attempts: readonly AttemptInput[], now: Date): Reason[] {
  if (!Array.isArray(attempts) || attempts.length === 0) return [REFUSALS.attemptsMissing()];
  const today = londonDate(now);
  const reasons: Reason[] = [];
  attempts.forEach((a, i) => {
    const methodOk = typeof a.method === 'string' && (NOT_REACHED_METHODS as readonly string[]).includes(a.method);
    const dateOk = isLocalDate(a.on) && (a.on as string) <= today;
    const noteOk = a.method !== 'other' || nonBlank(a.note);
    if (!methodOk || !dateOk || !noteOk) reasons.push(REFUSALS.attemptInvalid(i));
  });
  return reasons;
}

function precheck(s: RouteView, a: Actor): Refusal | null {
  if (a.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!eitherSide(s, a)) return refuse('FORBIDDEN', REFUSALS.notOnEitherSide());
  if (!NOT_REACHED_STATUSES.includes(s.status))
    return refuse('INVALID_STATE', REFUSALS.notReachedOnlyInProgress(s.status));
  return null;
}

/**
 * Report the family not reached, with the attempts made. The first report opens the route (flag,
 * emails, checklist, national alert clock); a report while it is open adds the attempts to it.
 * A report after the family was found opens a new route.
 */
export function decideNotReached(
  s: RouteView,
  a: Actor,
  attempts: readonly AttemptInput[],
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): RouteDecision {
  const refused = precheck(s, a);
  if (refused) return refused;
  const gaps = attemptGaps(attempts, now);
  if (gaps.length > 0) return refuse('PRECONDITION_FAILED', ...gaps);
  const given = attempts.map((x): NotReachedAttempt => ({
    on: x.on as string,
    method: x.method as NotReachedMethod,
    note: nonBlank(x.note) ? x.note.trim() : null,
  }));
  const current = s.familyNotReached;
  if (isRouteOpen(current))
    return {
      ok: true,
      route: { ...current, attempts: [...current.attempts, ...given] },
      effects: [{ type: 'packet.generate' }],
    };
  const dueAt = nationalAlertDueAt(now, s.facts.involvement, clocks);
  const route: FamilyNotReachedState = {
    openedAt: new Date(now.getTime()),
    openedById: a.id,
    attempts: given,
    checks: LOCATE_CHECKS.map((check) => ({
      check,
      found: null,
      pupilFileMoved: null,
      closedAt: null,
      closedById: null,
    })),
    nationalAlertDueAt: dueAt,
    nationalAlert: null,
    found: null,
  };
  return {
    ok: true,
    route,
    effects: [
      { type: 'packet.generate' },
      { type: 'notify', message: 'family_not_reached', to: ['safeguarding_leads'] },
      { type: 'locate.open', checks: [...LOCATE_CHECKS], firstChaseAt: addWorkingDays(now, 1) },
      { type: 'national_alert.open', dueAt },
      ...(dueAt.getTime() <= now.getTime()
        ? [{ type: 'notify', message: 'national_alert_due', to: ['safeguarding_leads'] } as const]
        : []),
    ],
  };
}

/** Close one locate check with what was found (education_setting also says whether the pupil file moved). */
export function decideCloseLocateCheck(
  s: RouteView,
  a: Actor,
  input: { readonly check: unknown; readonly found: unknown; readonly pupilFileMoved?: unknown },
  now: Date,
): RouteDecision {
  const refused = precheck(s, a);
  if (refused) return refused;
  const route = s.familyNotReached;
  if (!isRouteOpen(route)) return refuse('INVALID_STATE', REFUSALS.noNotReachedRoute());
  const reasons: Reason[] = [];
  const known = typeof input.check === 'string' && (LOCATE_CHECKS as readonly string[]).includes(input.check);
  if (!known) reasons.push(REFUSALS.locateCheckInvalid());
  else if (route.checks.find((c) => c.check === input.check)?.found !== null)
    reasons.push(REFUSALS.locateCheckClosed());
  if (!nonBlank(input.found)) reasons.push(REFUSALS.foundWhatRequired());
  if (input.check === 'education_setting' && typeof input.pupilFileMoved !== 'boolean')
    reasons.push(REFUSALS.pupilFileAnswerRequired());
  if (reasons.length > 0) return refuse('PRECONDITION_FAILED', ...reasons);
  const check = input.check as LocateCheck;
  return {
    ok: true,
    route: {
      ...route,
      checks: route.checks.map((c) =>
        c.check === check
          ? {
              ...c,
              found: (input.found as string).trim(),
              pupilFileMoved: check === 'education_setting' ? (input.pupilFileMoved as boolean) : null,
              closedAt: new Date(now.getTime()),
              closedById: a.id,
            }
          : c,
      ),
    },
    effects: [{ type: 'packet.generate' }, { type: 'locate.close', check }],
  };
}

/** A safeguarding lead of either area records the national alert decision, once it is due. */
export function decideNationalAlert(
  s: RouteView,
  a: Actor,
  input: { readonly raised: unknown; readonly reference?: unknown; readonly reason?: unknown },
  now: Date,
): RouteDecision {
  if (a.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!isSafeguardingLeadFor(s as TransferState, a))
    return refuse('FORBIDDEN', {
      code: 'NOT_SAFEGUARDING_LEAD',
      message: 'only a safeguarding lead of the sending or receiving area can record the national alert decision',
    });
  const route = s.familyNotReached;
  if (!isRouteOpen(route)) return refuse('INVALID_STATE', REFUSALS.noNotReachedRoute());
  if (route.nationalAlert !== null) return refuse('INVALID_STATE', REFUSALS.nationalAlertRecorded());
  const reasons: Reason[] = [];
  if (route.nationalAlertDueAt.getTime() > now.getTime()) reasons.push(REFUSALS.nationalAlertNotDue());
  if (typeof input.raised !== 'boolean') reasons.push(REFUSALS.nationalAlertReferenceRequired(true));
  else if (!nonBlank(input.raised ? input.reference : input.reason))
    reasons.push(REFUSALS.nationalAlertReferenceRequired(input.raised));
  if (reasons.length > 0) return refuse('PRECONDITION_FAILED', ...reasons);
  const decidedAt = new Date(now.getTime());
  const nationalAlert: NationalAlertDecision = input.raised
    ? { raised: true, reference: (input.reference as string).trim(), decidedAt, decidedById: a.id }
    : { raised: false, reason: (input.reason as string).trim(), decidedAt, decidedById: a.id };
  return {
    ok: true,
    route: { ...route, nationalAlert },
    effects: [{ type: 'packet.generate' }, { type: 'national_alert.close' }],
  };
}

/** Family found: when and how. Ends the route (kept, with its flag, in the history and the packet). */
export function decideFamilyFound(
  s: RouteView,
  a: Actor,
  input: { readonly on: unknown; readonly how: unknown },
  now: Date,
): RouteDecision {
  const refused = precheck(s, a);
  if (refused) return refused;
  const route = s.familyNotReached;
  if (!isRouteOpen(route)) return refuse('INVALID_STATE', REFUSALS.noNotReachedRoute());
  const reasons: Reason[] = [];
  const first = route.attempts.map((x) => x.on).sort()[0] ?? londonDate(route.openedAt);
  if (!isLocalDate(input.on) || (input.on as string) > londonDate(now) || (input.on as string) < first)
    reasons.push(REFUSALS.foundDateInvalid());
  if (!nonBlank(input.how)) reasons.push(REFUSALS.foundHowRequired());
  if (reasons.length > 0) return refuse('PRECONDITION_FAILED', ...reasons);
  return {
    ok: true,
    route: { ...route, found: { on: input.on as string, how: (input.how as string).trim(), recordedById: a.id } },
    effects: [
      { type: 'packet.generate' },
      { type: 'route.close_all' },
      { type: 'notify', message: 'family_found', to: ['safeguarding_leads', 'sending_team', 'receiving_team'] },
    ],
  };
}

/** Who may report or close on the route (the console's offer). */
export function mayActOnRoute(s: RouteView, a: Actor): boolean {
  return actsForTeams(a) ? eitherSide(s, a) : isSafeguardingLeadFor(s as TransferState, a);
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

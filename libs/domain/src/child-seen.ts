/**
 * The child seen (issue 14 item 1). In the review's case nobody in the new area had seen the
 * child. Every child of a transfer has a `child_seen` chase item from initiation, owned by the
 * receiving side, due a number of working days after the move date (one clock policy, clocks.ts):
 *
 *   - `childSeenUrgentWorkingDays` (default 5) for a child under 1 at the move date — or whose date
 *     of birth is not recorded (decision: the safer clock) — or when any critical flag is active;
 *   - `childSeenWorkingDays` (default 10) otherwise.
 *
 * A receiving practitioner (or manager) closes it by recording the child seen: when (not in the
 * future, not before the move), by whom (a practitioner of the receiving team), where, whether the
 * child was seen alone, and a note. The transition is `recordChildSeen` (lifecycle/transitions.ts).
 */
import { addWorkingDaysToDate, isLocalDate, workingDaysBetweenDates } from './calendar.js';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clocks.js';
import { isChild, type MemberFacts, type TransferFacts } from './facts.js';
import { ageInMonths, computeRiskFlags, criticalFlagCodes } from './risk-flags.js';

/** A child younger than this many completed months at the move date is "under 1". */
export const CHILD_SEEN_UNDER_MONTHS = 12;

/** The working days a child has, from the move date, to be seen (see the file header). */
export function childSeenWorkingDaysFor(
  moveDate: string,
  dateOfBirth: string | null | undefined,
  anyCriticalFlag: boolean,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): number {
  const underOne =
    !isLocalDate(dateOfBirth) || !isLocalDate(moveDate) || ageInMonths(dateOfBirth, moveDate) < CHILD_SEEN_UNDER_MONTHS;
  return underOne || anyCriticalFlag ? policy.childSeenUrgentWorkingDays : policy.childSeenWorkingDays;
}

/** The day by which the child is to have been seen: that many working days after the move date. */
export function childSeenDueOn(
  moveDate: string,
  dateOfBirth: string | null | undefined,
  anyCriticalFlag: boolean,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): string {
  return addWorkingDaysToDate(moveDate, childSeenWorkingDaysFor(moveDate, dateOfBirth, anyCriticalFlag, policy));
}

/** Each child of the transfer with the day they are due to have been seen, from the facts as they are. */
export function childrenToBeSeen(
  facts: TransferFacts,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): { readonly member: MemberFacts; readonly dueOn: string }[] {
  const critical = criticalFlagCodes(computeRiskFlags(facts)).length > 0;
  return facts.household
    .filter(isChild)
    .map((member) => ({ member, dueOn: childSeenDueOn(facts.moveDate, member.dateOfBirth, critical, policy) }));
}

/** What the transfer page and the packet say about one child. */
export interface ChildSeenStatus {
  readonly seen: boolean;
  /** The day the child is due to have been seen by (null when the transfer has no child_seen item for them). */
  readonly dueOn: string | null;
  /** Not seen and the due day has passed (London date). */
  readonly overdue: boolean;
  /**
   * Working days from the move date to the day they were seen — or, while not seen, to today
   * (0 before the move and on the move date itself).
   */
  readonly workingDaysSinceMove: number;
}

export function childSeenStatus(
  moveDate: string,
  item: { readonly dueOn: string | null; readonly seenOn: string | null } | null,
  today: string,
): ChildSeenStatus {
  const seenOn = item?.seenOn ?? null;
  const dueOn = item?.dueOn ?? null;
  return {
    seen: seenOn !== null,
    dueOn,
    overdue: seenOn === null && dueOn !== null && today > dueOn,
    workingDaysSinceMove: isLocalDate(moveDate) ? workingDaysBetweenDates(moveDate, seenOn ?? today) : 0,
  };
}

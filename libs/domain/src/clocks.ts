/**
 * The service's clocks (DESIGN §5): when the direct contact is due, when a child-protection
 * transfer-in conference is due, and when each kind of chase item is first chased and how often
 * after that. All counts are working days in Europe/London (see calendar.ts).
 *
 * Everything configurable lives in ONE object, `ClockPolicy`; `DEFAULT_CLOCK_POLICY` holds the
 * defaults of DESIGN §5.
 */
import {
  addCalendarDays,
  addWorkingDays,
  addWorkingDaysToDate,
  atLondonTime,
  isLocalDate,
  isLocalTime,
  londonDate,
  workingDayOnOrAfter,
} from './calendar.js';
import {
  CHASE_KINDS,
  CONFERENCE_CLOCK_STARTS,
  INVOLVEMENTS,
  type ChaseKind,
  type ConferenceClockStart,
  type Involvement,
} from './vocabulary.js';

/** When a kind of chase item is first chased, and how often after that. */
export interface ChaseSchedule {
  /**
   * Working days from the item's anchor to its first chase; 0 means on the anchor day itself
   * (or the next working day if the anchor is not one). Anchors: see `firstChaseAt`.
   */
  readonly firstAfterWorkingDays: number;
  /** After each reminder, the next one is this many working days later, at `chaseTimeOfDay`. */
  readonly everyWorkingDays: number;
}

export interface ClockPolicy {
  /** Direct contact due this many working days after initiation, by level of involvement. */
  readonly contactDueWorkingDays: Readonly<Record<Involvement, number>>;
  /** Transfer-in conference: held within this many working days of its clock's start… */
  readonly conferenceDueWorkingDays: number;
  /**
   * …which is the initiation (notification of the move; default) or the acceptance of the
   * transfer-in (CONFERENCE_CLOCK_START). Procedures differ; see docs/decisions.md.
   */
  readonly conferenceClockStart: ConferenceClockStart;
  /** …for transfers with these involvements only. */
  readonly conferenceInvolvements: readonly Involvement[];
  /**
   * Temporary moves (issue 13 item 3): a stay expected to last fewer than this many calendar days
   * (moveDate → expectedUntil) may be recorded as a host notification instead of a transfer (Tees).
   */
  readonly shortStayDays: number;
  /** A temporary transfer is reviewed ("is the move now permanent?") this many weeks after the move (Wales). */
  readonly moveReviewWeeks: number;
  /**
   * Transfer requests (issue 14 item 3): the originating team answers within this many working days
   * of the request (at the same wall-clock time)…
   */
  readonly requestAnswerWorkingDays: number;
  /** …and an unanswered request is chased, then, every this many working days at `chaseTimeOfDay`. */
  readonly requestChaseEveryWorkingDays: number;
  /**
   * The child seen (issue 14 item 1): each child of a transfer is to be seen in the receiving area
   * within this many working days of the move date (CHILD_SEEN_WORKING_DAYS)…
   */
  readonly childSeenWorkingDays: number;
  /** …or this many for a child under 1 at the move date, or when any critical flag is active (CHILD_SEEN_URGENT_WORKING_DAYS). */
  readonly childSeenUrgentWorkingDays: number;
  /**
   * The family not reached (issue 14 item 2): not found this many working days after the route
   * opened, a safeguarding lead must decide on a national alert — at once for child protection.
   */
  readonly notReachedAlertWorkingDays: number;
  /** Local time (Europe/London, `HH:MM`) at which date-based items are chased. */
  readonly chaseTimeOfDay: string;
  readonly chase: Readonly<Record<ChaseKind, ChaseSchedule>>;
}

/**
 * Defaults of DESIGN §5. Choices where DESIGN is silent are marked "decision".
 */
export const DEFAULT_CLOCK_POLICY: ClockPolicy = Object.freeze({
  // "liaison within 24 hours for unplanned moves; other agencies told within 5 working days"
  contactDueWorkingDays: Object.freeze({
    child_protection: 1,
    looked_after: 1,
    child_in_need: 5,
    early_help: 10,
    universal: 10,
  }),
  conferenceDueWorkingDays: 15,
  conferenceClockStart: 'initiation',
  conferenceInvolvements: Object.freeze(['child_protection'] as Involvement[]),
  // Tees: a stay under 15 days may remain with the originating area; Wales: over 12 weeks it is a transfer.
  shortStayDays: 15,
  moveReviewWeeks: 12,
  // Issue 14 item 3: the originating team answers a transfer request within 2 working days;
  // decision: then chased every working day, like a direct contact that is due.
  requestAnswerWorkingDays: 2,
  requestChaseEveryWorkingDays: 1,
  // issue 14 item 1: 10 working days after the move; 5 for a child under 1 or with a critical flag.
  childSeenWorkingDays: 10,
  childSeenUrgentWorkingDays: 5,
  // Issue 14 item 2 (Camden): a national alert after 5 working days missing, at once for high concern.
  notReachedAlertWorkingDays: 5,
  chaseTimeOfDay: '09:00',
  chase: Object.freeze({
    // first chase 5 working days after the move date, then every 3
    gp_registration: { firstAfterWorkingDays: 5, everyWorkingDays: 3 },
    // the working day after the appointment's date if no outcome is recorded;
    // decision: then every 3 working days, like the other date-based items
    appointment: { firstAfterWorkingDays: 1, everyWorkingDays: 3 },
    // on its due date, then every 3
    agreed_action: { firstAfterWorkingDays: 0, everyWorkingDays: 3 },
    // decision: on the day the conference is due (the 15th working day after initiation),
    // then every working day — a missed child-protection conference reaches the safeguarding
    // leads within a working week.
    transfer_in_conference: { firstAfterWorkingDays: 0, everyWorkingDays: 1 },
    // decision: at the moment contact falls due (contactDueAt, which is a working day at the
    // initiation's wall-clock time), then every working day at 09:00.
    direct_contact: { firstAfterWorkingDays: 0, everyWorkingDays: 1 },
    // decision: on the review date (reviewOn, or the move-review threshold), then every 3 working days.
    move_review: { firstAfterWorkingDays: 0, everyWorkingDays: 3 },
    // decision: on the day the child is due to have been seen (childSeenDueOn), then every working
    // day — an unseen child reaches the team manager within 3 working days and both areas'
    // safeguarding leads within a working week of falling due.
    child_seen: { firstAfterWorkingDays: 0, everyWorkingDays: 1 },
    // Issue 14 item 2, decision: a family not reached is missing — each locate check is chased the
    // working day after the report, then every working day, like a direct contact that is due.
    locate_family_members: { firstAfterWorkingDays: 1, everyWorkingDays: 1 },
    locate_education_setting: { firstAfterWorkingDays: 1, everyWorkingDays: 1 },
    locate_health_registration: { firstAfterWorkingDays: 1, everyWorkingDays: 1 },
    locate_police_welfare_check: { firstAfterWorkingDays: 1, everyWorkingDays: 1 },
    locate_strategy_discussion: { firstAfterWorkingDays: 1, everyWorkingDays: 1 },
    // the moment the decision falls due (nationalAlertDueAt: at once for child protection), then every working day.
    national_alert: { firstAfterWorkingDays: 0, everyWorkingDays: 1 },
  }),
});

/** Throws a RangeError naming the first bad setting; returns the policy when it is usable. */
export function validateClockPolicy(policy: ClockPolicy): ClockPolicy {
  const count = (n: number, name: string, min: number) => {
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${n}`);
  };
  for (const involvement of INVOLVEMENTS)
    count(policy.contactDueWorkingDays[involvement], `contactDueWorkingDays.${involvement}`, 0);
  count(policy.conferenceDueWorkingDays, 'conferenceDueWorkingDays', 0);
  count(policy.shortStayDays, 'shortStayDays', 1);
  count(policy.moveReviewWeeks, 'moveReviewWeeks', 1);
  count(policy.requestAnswerWorkingDays, 'requestAnswerWorkingDays', 1);
  count(policy.requestChaseEveryWorkingDays, 'requestChaseEveryWorkingDays', 1);
  count(policy.childSeenWorkingDays, 'childSeenWorkingDays', 1);
  count(policy.childSeenUrgentWorkingDays, 'childSeenUrgentWorkingDays', 1);
  if (policy.childSeenUrgentWorkingDays > policy.childSeenWorkingDays)
    throw new RangeError(
      `childSeenUrgentWorkingDays (${policy.childSeenUrgentWorkingDays}) must not be more than childSeenWorkingDays (${policy.childSeenWorkingDays})`,
    );
  count(policy.notReachedAlertWorkingDays, 'notReachedAlertWorkingDays', 1);
  if (!(CONFERENCE_CLOCK_STARTS as readonly string[]).includes(policy.conferenceClockStart))
    throw new RangeError(
      `conferenceClockStart must be one of ${CONFERENCE_CLOCK_STARTS.join(', ')}, got ${policy.conferenceClockStart}`,
    );
  if (!isLocalTime(policy.chaseTimeOfDay))
    throw new RangeError(`chaseTimeOfDay must be HH:MM, got ${policy.chaseTimeOfDay}`);
  for (const kind of CHASE_KINDS) {
    count(policy.chase[kind].firstAfterWorkingDays, `chase.${kind}.firstAfterWorkingDays`, 0);
    count(policy.chase[kind].everyWorkingDays, `chase.${kind}.everyWorkingDays`, 1);
  }
  return policy;
}

/**
 * When the direct conversation is due: the given number of working days after initiation, at
 * the same Europe/London wall-clock time (initiated Friday 16:00, child protection → Monday 16:00).
 */
export function contactDueAt(
  initiatedAt: Date,
  involvement: Involvement,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): Date {
  return addWorkingDays(initiatedAt, policy.contactDueWorkingDays[involvement]);
}

/** Whether a transfer with this involvement needs a transfer-in conference (child protection). */
export function requiresTransferInConference(
  involvement: Involvement,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): boolean {
  return policy.conferenceInvolvements.includes(involvement);
}

/**
 * The deadline for a transfer-in conference: 15 working days (conferenceDueWorkingDays) after its
 * clock started — the initiation or the acceptance, as conferenceClockStart says — at the same
 * wall-clock time.
 */
export function conferenceDueAt(clockStartedAt: Date, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Date {
  return addWorkingDays(clockStartedAt, policy.conferenceDueWorkingDays);
}

/**
 * Does this moment of the lifecycle start the conference clock of a transfer with this
 * involvement? Only for involvements needing a conference, and only at the configured start.
 */
export function startsConferenceClock(
  moment: ConferenceClockStart,
  involvement: Involvement,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): boolean {
  return requiresTransferInConference(involvement, policy) && policy.conferenceClockStart === moment;
}

/**
 * The day a temporary transfer's move is reviewed: the sending side's `reviewOn` when it comes
 * before the threshold, else `moveReviewWeeks` weeks after the move date — a stay that passes the
 * threshold is asked about then whatever was planned.
 */
export function moveReviewOn(
  moveDate: string,
  reviewOn: string | null | undefined,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): string {
  const threshold = addCalendarDays(moveDate, policy.moveReviewWeeks * 7);
  return isLocalDate(reviewOn) && reviewOn < threshold ? reviewOn : threshold;
}

/** Whether a stay from moveDate to expectedUntil is shorter than the short-stay threshold. */
export function isShortStay(
  moveDate: string,
  expectedUntil: string | null | undefined,
  policy: ClockPolicy = DEFAULT_CLOCK_POLICY,
): boolean {
  return (
    isLocalDate(moveDate) &&
    isLocalDate(expectedUntil) &&
    expectedUntil < addCalendarDays(moveDate, policy.shortStayDays)
  );
}

/** What `firstChaseAt` needs to know; which fields depend on the kind (see there). */
export interface ChaseFacts {
  /** Local date of the move (gp_registration). */
  readonly moveDate?: string | null;
  /** Local due date of the appointment or agreed action. */
  readonly dueOn?: string | null;
  /** When the direct contact is due (direct_contact); else computed from initiatedAt + involvement. */
  readonly contactDueAt?: Date | null;
  /** When the transfer-in conference is due (transfer_in_conference: conferenceDueAt). */
  readonly conferenceDueAt?: Date | null;
  /** When the transfer was initiated (direct_contact fallback). */
  readonly initiatedAt?: Date | null;
  readonly involvement?: Involvement | null;
  /** When the family was reported not reached (locate_* checks). */
  readonly reportedAt?: Date | null;
  /** When the national alert decision falls due (national_alert: nationalAlertDueAt). */
  readonly nationalAlertDueAt?: Date | null;
}

/**
 * When a new chase item is first chased. Always on a working day:
 * - `gp_registration`: 09:00 London, 5 working days after `moveDate`;
 * - `appointment`: 09:00 on the working day after `dueOn`;
 * - `agreed_action`: 09:00 on `dueOn` (the next working day if `dueOn` is not one);
 * - `move_review`: 09:00 on `dueOn` (the review date, `moveReviewOn`), or the next working day;
 * - `child_seen`: 09:00 on `dueOn` (the day the child is due to have been seen, `childSeenDueOn`);
 * - `transfer_in_conference`: 09:00 on the day the conference is due (`conferenceDueAt`);
 * - `direct_contact`: exactly `contactDueAt` (given, or computed from `initiatedAt` + `involvement`).
 * - `locate_*` (the family not reached): 09:00 London, 1 working day after `reportedAt`'s date;
 * - `national_alert`: exactly `nationalAlertDueAt` (plus its working days, 0 by default).
 *
 * The result may already be in the past (a move weeks ago, a missed appointment): the item is
 * then due at once, and the next sweep sends reminder 1.
 * Throws a RangeError when a fact the kind needs is missing or malformed.
 */
export function firstChaseAt(kind: ChaseKind, facts: ChaseFacts, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Date {
  const schedule = policy.chase[kind];
  const onDay = (anchor: string) =>
    atLondonTime(
      schedule.firstAfterWorkingDays === 0
        ? workingDayOnOrAfter(anchor)
        : addWorkingDaysToDate(anchor, schedule.firstAfterWorkingDays),
      policy.chaseTimeOfDay,
    );
  switch (kind) {
    case 'gp_registration':
      return onDay(requireDate(facts.moveDate, 'moveDate', kind));
    case 'appointment':
    case 'agreed_action':
    case 'move_review':
    case 'child_seen':
      return onDay(requireDate(facts.dueOn, 'dueOn', kind));
    case 'transfer_in_conference':
      return onDay(londonDate(requireInstant(facts.conferenceDueAt, 'conferenceDueAt', kind)));
    case 'direct_contact': {
      if (facts.contactDueAt)
        return addWorkingDays(requireInstant(facts.contactDueAt, 'contactDueAt', kind), schedule.firstAfterWorkingDays);
      if (!facts.involvement) throw new RangeError('direct_contact needs contactDueAt, or initiatedAt and involvement');
      const due = contactDueAt(requireInstant(facts.initiatedAt, 'initiatedAt', kind), facts.involvement, policy);
      return addWorkingDays(due, schedule.firstAfterWorkingDays);
    }
    case 'locate_family_members':
    case 'locate_education_setting':
    case 'locate_health_registration':
    case 'locate_police_welfare_check':
    case 'locate_strategy_discussion':
      return atLondonTime(
        addWorkingDaysToDate(
          londonDate(requireInstant(facts.reportedAt, 'reportedAt', kind)),
          schedule.firstAfterWorkingDays,
        ),
        policy.chaseTimeOfDay,
      );
    case 'national_alert':
      return addWorkingDays(
        requireInstant(facts.nationalAlertDueAt, 'nationalAlertDueAt', kind),
        schedule.firstAfterWorkingDays,
      );
  }
}

/**
 * The next chase after a reminder sent at `now`: `everyWorkingDays` working days after now's
 * London date, at `chaseTimeOfDay`. Counting from now (not from the missed due time) means a
 * sweep that was down for a while sends one reminder, not a burst of catch-up reminders.
 */
export function nextChaseAfter(kind: ChaseKind, now: Date, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Date {
  return atLondonTime(
    addWorkingDaysToDate(londonDate(now), policy.chase[kind].everyWorkingDays),
    policy.chaseTimeOfDay,
  );
}

/** 09:00 London (the policy's chase time) on the first working day after `now`'s London date. */
export function nextWorkingMorning(now: Date, policy: ClockPolicy = DEFAULT_CLOCK_POLICY): Date {
  return atLondonTime(addWorkingDaysToDate(londonDate(now), 1), policy.chaseTimeOfDay);
}

function requireDate(value: string | null | undefined, name: string, kind: ChaseKind): string {
  if (!isLocalDate(value)) throw new RangeError(`${kind} needs ${name} as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

function requireInstant(value: Date | null | undefined, name: string, kind: ChaseKind): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${kind} needs ${name}`);
  return value;
}

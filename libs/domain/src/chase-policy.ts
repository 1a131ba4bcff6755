/**
 * The chasing ladder (DESIGN §6): who is reminded about an open chase item, and when next.
 *
 * "Reminders to the owner; after 2 unanswered reminders escalate to the owner's team manager;
 *  after 4, to the safeguarding leads of both areas; then keep chasing at that level until
 *  closed." Read precisely, with the defaults:
 *
 *   reminder #1, #2  → owner                                    (level 0)
 *   reminder #3, #4  → owner + team manager                     (level 1)
 *   reminder #5, …   → owner + team manager + both areas' safeguarding leads (level 2)
 *
 * i.e. reminder n goes to the manager when n > managerAfterReminders and to the leads when
 * n > safeguardingLeadsAfterReminders. An item that was escalated at once (a `was_not_brought`
 * outcome) never drops back: the level is the higher of the ladder's and the item's own.
 */
import { DEFAULT_CLOCK_POLICY, nextChaseAfter, type ClockPolicy } from './clocks.js';
import { MAX_ESCALATION_LEVEL, type ChaseKind, type EscalationLevel } from './vocabulary.js';

export interface ChaseLadder {
  /** Unanswered reminders after which the owner's team manager is included. */
  readonly managerAfterReminders: number;
  /** Unanswered reminders after which both areas' safeguarding leads are included. */
  readonly safeguardingLeadsAfterReminders: number;
}

export const DEFAULT_CHASE_LADDER: ChaseLadder = Object.freeze({
  managerAfterReminders: 2,
  safeguardingLeadsAfterReminders: 4,
});

export function validateChaseLadder(ladder: ChaseLadder): ChaseLadder {
  const { managerAfterReminders: m, safeguardingLeadsAfterReminders: s } = ladder;
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`managerAfterReminders must be a whole number ≥ 0, got ${m}`);
  if (!Number.isInteger(s) || s < m)
    throw new RangeError(`safeguardingLeadsAfterReminders must be a whole number ≥ managerAfterReminders, got ${s}`);
  return ladder;
}

export const CHASE_RECIPIENTS = ['owner', 'team_manager', 'safeguarding_leads'] as const;
/** `safeguarding_leads` means the leads of BOTH areas; `team_manager` is the owner's team's manager(s). */
export type ChaseRecipient = (typeof CHASE_RECIPIENTS)[number];

/** Who hears at each escalation level. */
export function recipientsAt(level: EscalationLevel): ChaseRecipient[] {
  return CHASE_RECIPIENTS.slice(0, level + 1);
}

/** The ladder's level for the n-th reminder (1-based), ignoring any earlier escalation. */
export function escalationLevelForReminder(
  reminderNumber: number,
  ladder: ChaseLadder = DEFAULT_CHASE_LADDER,
): EscalationLevel {
  if (reminderNumber > ladder.safeguardingLeadsAfterReminders) return 2;
  if (reminderNumber > ladder.managerAfterReminders) return 1;
  return 0;
}

/** A `was_not_brought` outcome escalates an appointment item one level at once (capped at 2). */
export function escalateOnce(level: EscalationLevel): EscalationLevel {
  return Math.min(level + 1, MAX_ESCALATION_LEVEL) as EscalationLevel;
}

export interface ChaseItemClock {
  readonly kind: ChaseKind;
  /** Reminders already sent. */
  readonly reminders: number;
  readonly escalationLevel: EscalationLevel;
  /** null for a closed item: it is never chased. */
  readonly nextChaseAt: Date | null;
}

export interface Reminder {
  /** The number of this reminder: the item's reminders + 1. Store it as the new count. */
  readonly reminderNumber: number;
  /** Store as the item's new level: max(ladder level, the item's current level). */
  readonly escalationLevel: EscalationLevel;
  readonly recipients: ChaseRecipient[];
  /** When to chase next if this one goes unanswered (working days from now, at 09:00 London). */
  readonly nextChaseAt: Date;
}

/**
 * The reminder to send for an item the sweep found, or null when it is not due yet
 * (nextChaseAt is after now, or the item is closed).
 */
export function nextReminder(
  item: ChaseItemClock,
  now: Date,
  ladder: ChaseLadder = DEFAULT_CHASE_LADDER,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): Reminder | null {
  if (item.nextChaseAt === null || item.nextChaseAt.getTime() > now.getTime()) return null;
  const reminderNumber = item.reminders + 1;
  const escalationLevel = Math.max(
    escalationLevelForReminder(reminderNumber, ladder),
    item.escalationLevel,
  ) as EscalationLevel;
  return {
    reminderNumber,
    escalationLevel,
    recipients: recipientsAt(escalationLevel),
    nextChaseAt: nextChaseAfter(item.kind, now, clocks),
  };
}

import { isWorkingDay, londonDate, londonTime } from './calendar.js';
import {
  DEFAULT_CHASE_LADDER,
  escalateOnce,
  escalationLevelForReminder,
  nextReminder,
  recipientsAt,
  validateChaseLadder,
  type ChaseItemClock,
} from './chase-policy.js';
import { firstChaseAt } from './clocks.js';
import type { EscalationLevel } from './vocabulary.js';

const at = (iso: string) => new Date(iso);

function item(over: Partial<ChaseItemClock> = {}): ChaseItemClock {
  return {
    kind: 'gp_registration',
    reminders: 0,
    escalationLevel: 0,
    nextChaseAt: at('2026-11-20T09:00:00Z'),
    ...over,
  };
}

describe('the ladder', () => {
  it("sends reminders 1-2 to the owner, 3-4 also to the manager, 5+ also to both areas' safeguarding leads", () => {
    const levels = [1, 2, 3, 4, 5, 6, 7, 12].map((n) => escalationLevelForReminder(n));
    expect(levels).toEqual([0, 0, 1, 1, 2, 2, 2, 2]);
    expect(recipientsAt(0)).toEqual(['owner']);
    expect(recipientsAt(1)).toEqual(['owner', 'team_manager']);
    expect(recipientsAt(2)).toEqual(['owner', 'team_manager', 'safeguarding_leads']);
  });

  it('follows a configured ladder', () => {
    const ladder = { managerAfterReminders: 0, safeguardingLeadsAfterReminders: 1 };
    expect([1, 2, 3].map((n) => escalationLevelForReminder(n, ladder))).toEqual([1, 2, 2]);
    expect(() => validateChaseLadder({ managerAfterReminders: 3, safeguardingLeadsAfterReminders: 2 })).toThrow(
      RangeError,
    );
    expect(validateChaseLadder(DEFAULT_CHASE_LADDER)).toBe(DEFAULT_CHASE_LADDER);
  });

  it('escalates a was-not-brought item one level at once, capped at 2', () => {
    expect([0, 1, 2].map((l) => escalateOnce(l as EscalationLevel))).toEqual([1, 2, 2]);
  });
});

describe('nextReminder', () => {
  const now = at('2026-11-20T09:00:00Z'); // Friday

  it('is null until the item is due, and for a closed item', () => {
    expect(nextReminder(item({ nextChaseAt: at('2026-11-20T09:00:01Z') }), now)).toBeNull();
    expect(nextReminder(item({ nextChaseAt: null }), now)).toBeNull();
    expect(nextReminder(item({ nextChaseAt: now }), now)).not.toBeNull();
  });

  it('numbers the reminder and picks the recipients from the count', () => {
    expect(nextReminder(item({ reminders: 0 }), now)).toMatchObject({
      reminderNumber: 1,
      escalationLevel: 0,
      recipients: ['owner'],
    });
    expect(nextReminder(item({ reminders: 2 }), now)).toMatchObject({
      reminderNumber: 3,
      escalationLevel: 1,
      recipients: ['owner', 'team_manager'],
    });
    expect(nextReminder(item({ reminders: 4, escalationLevel: 1 }), now)).toMatchObject({
      reminderNumber: 5,
      escalationLevel: 2,
    });
  });

  it('never undoes an immediate escalation', () => {
    expect(nextReminder(item({ reminders: 0, escalationLevel: 1 }), now)).toMatchObject({
      reminderNumber: 1,
      escalationLevel: 1,
      recipients: ['owner', 'team_manager'],
    });
    expect(nextReminder(item({ reminders: 3, escalationLevel: 2 }), now)).toMatchObject({ escalationLevel: 2 });
  });

  it('schedules the next chase over the weekend at 09:00 London', () => {
    // every 3 working days from Friday → Wednesday; every 1 → Monday
    expect(nextReminder(item(), now)!.nextChaseAt.toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(nextReminder(item({ kind: 'direct_contact' }), now)!.nextChaseAt.toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
    // a sweep on Saturday counts from Saturday
    const saturday = at('2026-11-21T13:00:00Z');
    expect(nextReminder(item({ kind: 'direct_contact' }), saturday)!.nextChaseAt.toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });

  it('skips Christmas Day, Boxing Day and the substitute day', () => {
    const christmasEve = at('2026-12-24T09:00:00Z');
    expect(
      nextReminder(item({ nextChaseAt: christmasEve, kind: 'appointment' }), christmasEve)!.nextChaseAt.toISOString(),
    ).toBe('2026-12-31T09:00:00.000Z');
    expect(
      nextReminder(
        item({ nextChaseAt: christmasEve, kind: 'direct_contact' }),
        christmasEve,
      )!.nextChaseAt.toISOString(),
    ).toBe('2026-12-29T09:00:00.000Z');
  });

  it('keeps 09:00 London across both clock changes', () => {
    // Friday 23 Oct 2026 09:00 BST (08:00Z) → Monday 26 Oct 09:00 GMT (09:00Z)
    const autumn = at('2026-10-23T08:00:00Z');
    expect(nextReminder(item({ nextChaseAt: autumn, kind: 'direct_contact' }), autumn)!.nextChaseAt.toISOString()).toBe(
      '2026-10-26T09:00:00.000Z',
    );
    // Thursday 25 Mar 2027 09:00 GMT → (Good Friday, weekend with clock change, Easter Monday) → Tuesday 30 Mar 09:00 BST (08:00Z)
    const spring = at('2027-03-25T09:00:00Z');
    expect(nextReminder(item({ nextChaseAt: spring, kind: 'direct_contact' }), spring)!.nextChaseAt.toISOString()).toBe(
      '2027-03-30T08:00:00.000Z',
    );
  });

  it('walks an unanswered GP chase up the ladder over the weeks, sending only on working days', () => {
    // The sweep runs every 15 minutes from the move date; nobody answers.
    let clock: ChaseItemClock = item({ nextChaseAt: firstChaseAt('gp_registration', { moveDate: '2026-12-14' }) });
    const sent: { when: Date; level: number; number: number }[] = [];
    for (let t = at('2026-12-14T00:00:00Z').getTime(); t < at('2027-01-31T00:00:00Z').getTime(); t += 15 * 60_000) {
      const now = new Date(t);
      const r = nextReminder(clock, now);
      if (!r) continue;
      sent.push({ when: now, level: r.escalationLevel, number: r.reminderNumber });
      clock = { ...clock, reminders: r.reminderNumber, escalationLevel: r.escalationLevel, nextChaseAt: r.nextChaseAt };
    }
    expect(sent.map((s) => londonDate(s.when))).toEqual([
      '2026-12-21', // move Mon 14 Dec + 5 working days
      '2026-12-24', // +3: 22, 23, 24
      '2026-12-31', // +3: 29, 30, 31 (25, 26 and the substitute 28th skipped)
      '2027-01-06', // +3: 4, 5, 6 (1 Jan skipped)
      '2027-01-11',
      '2027-01-14',
      '2027-01-19',
      '2027-01-22',
      '2027-01-27',
    ]);
    expect(sent.map((s) => s.level)).toEqual([0, 0, 1, 1, 2, 2, 2, 2, 2]);
    expect(sent.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const s of sent) {
      expect(isWorkingDay(londonDate(s.when))).toBe(true);
      expect(londonTime(s.when)).toBe('09:00:00.000');
    }
  });
});

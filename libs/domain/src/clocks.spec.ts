import fc from 'fast-check';
import { addCalendarDays, isWorkingDay, londonDate, londonTime } from './calendar.js';
import {
  DEFAULT_CLOCK_POLICY,
  conferenceDueAt,
  contactDueAt,
  firstChaseAt,
  nextChaseAfter,
  nextWorkingMorning,
  requiresTransferInConference,
  startsConferenceClock,
  validateClockPolicy,
  type ClockPolicy,
} from './clocks.js';
import { CHASE_KINDS, INVOLVEMENTS } from './vocabulary.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('contactDueAt', () => {
  const fridayAfternoon = at('2026-11-20T16:00:00Z'); // Friday 16:00 GMT

  it('uses the working days of the involvement, keeping the wall-clock time', () => {
    expect(iso(contactDueAt(fridayAfternoon, 'child_protection'))).toBe('2026-11-23T16:00:00.000Z');
    expect(iso(contactDueAt(fridayAfternoon, 'looked_after'))).toBe('2026-11-23T16:00:00.000Z');
    expect(iso(contactDueAt(fridayAfternoon, 'child_in_need'))).toBe('2026-11-27T16:00:00.000Z');
    expect(iso(contactDueAt(fridayAfternoon, 'early_help'))).toBe('2026-12-04T16:00:00.000Z');
    expect(iso(contactDueAt(fridayAfternoon, 'universal'))).toBe('2026-12-04T16:00:00.000Z');
  });

  it('skips Christmas and the substitute Boxing Day', () => {
    expect(iso(contactDueAt(at('2026-12-24T10:00:00Z'), 'child_protection'))).toBe('2026-12-29T10:00:00.000Z');
  });

  it('keeps London time across the autumn clock change', () => {
    // Friday 23 Oct 2026 12:00 BST → Monday 26 Oct 12:00 GMT
    expect(iso(contactDueAt(at('2026-10-23T11:00:00Z'), 'child_protection'))).toBe('2026-10-26T12:00:00.000Z');
  });

  it('follows a configured policy', () => {
    const policy: ClockPolicy = {
      ...DEFAULT_CLOCK_POLICY,
      contactDueWorkingDays: { ...DEFAULT_CLOCK_POLICY.contactDueWorkingDays, child_in_need: 2 },
    };
    expect(iso(contactDueAt(fridayAfternoon, 'child_in_need', policy))).toBe('2026-11-24T16:00:00.000Z');
  });
});

describe('transfer-in conference', () => {
  it('is needed for child protection only', () => {
    expect(INVOLVEMENTS.filter((i) => requiresTransferInConference(i))).toEqual(['child_protection']);
  });

  it('is due 15 working days after initiation, skipping Christmas and New Year', () => {
    // Thu 10 Dec 2026: 11,14,15,16,17,18,21,22,23,24,29,30,31,(1 Jan off),4,5 → Tue 5 Jan 2027
    expect(iso(conferenceDueAt(at('2026-12-10T10:00:00Z')))).toBe('2027-01-05T10:00:00.000Z');
  });

  it('starts its clock at initiation by default, or at acceptance when configured (child protection only)', () => {
    expect(DEFAULT_CLOCK_POLICY.conferenceClockStart).toBe('initiation');
    expect(startsConferenceClock('initiation', 'child_protection')).toBe(true);
    expect(startsConferenceClock('acceptance', 'child_protection')).toBe(false);
    expect(startsConferenceClock('initiation', 'child_in_need')).toBe(false);
    const atAcceptance = { ...DEFAULT_CLOCK_POLICY, conferenceClockStart: 'acceptance' as const };
    expect(startsConferenceClock('initiation', 'child_protection', atAcceptance)).toBe(false);
    expect(startsConferenceClock('acceptance', 'child_protection', atAcceptance)).toBe(true);
    expect(startsConferenceClock('acceptance', 'looked_after', atAcceptance)).toBe(false);
  });

  it('refuses an unknown clock start', () => {
    expect(() =>
      validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, conferenceClockStart: 'referral' as 'initiation' }),
    ).toThrow(/conferenceClockStart/);
  });
});

describe('firstChaseAt', () => {
  it('chases GP registration at 09:00 five working days after the move', () => {
    expect(iso(firstChaseAt('gp_registration', { moveDate: '2026-11-20' }))).toBe('2026-11-27T09:00:00.000Z');
    expect(iso(firstChaseAt('gp_registration', { moveDate: '2026-12-21' }))).toBe('2026-12-30T09:00:00.000Z');
    // summer: 09:00 BST is 08:00Z
    expect(iso(firstChaseAt('gp_registration', { moveDate: '2026-07-01' }))).toBe('2026-07-08T08:00:00.000Z');
  });

  it('chases an appointment at 09:00 the working day after it was due', () => {
    expect(iso(firstChaseAt('appointment', { dueOn: '2026-12-24' }))).toBe('2026-12-29T09:00:00.000Z');
    expect(iso(firstChaseAt('appointment', { dueOn: '2026-11-20' }))).toBe('2026-11-23T09:00:00.000Z');
    expect(iso(firstChaseAt('appointment', { dueOn: '2026-11-21' }))).toBe('2026-11-23T09:00:00.000Z');
  });

  it('chases an agreed action at 09:00 on its due date, or the next working day', () => {
    expect(iso(firstChaseAt('agreed_action', { dueOn: '2026-11-27' }))).toBe('2026-11-27T09:00:00.000Z');
    expect(iso(firstChaseAt('agreed_action', { dueOn: '2026-12-25' }))).toBe('2026-12-29T09:00:00.000Z');
    // Easter 2027, after the clock change
    expect(iso(firstChaseAt('agreed_action', { dueOn: '2027-03-26' }))).toBe('2027-03-30T08:00:00.000Z');
  });

  it('chases the conference at 09:00 on the day it is due', () => {
    expect(
      iso(firstChaseAt('transfer_in_conference', { conferenceDueAt: conferenceDueAt(at('2026-12-10T10:00:00Z')) })),
    ).toBe('2027-01-05T09:00:00.000Z');
  });

  it('chases direct contact exactly when it falls due', () => {
    const due = at('2026-11-23T16:00:00Z');
    expect(iso(firstChaseAt('direct_contact', { contactDueAt: due }))).toBe(iso(due));
    expect(
      iso(firstChaseAt('direct_contact', { initiatedAt: at('2026-11-20T16:00:00Z'), involvement: 'child_protection' })),
    ).toBe(iso(due));
  });

  it('refuses to guess a missing fact', () => {
    expect(() => firstChaseAt('gp_registration', {})).toThrow(/moveDate/);
    expect(() => firstChaseAt('appointment', { dueOn: '27/11/2026' })).toThrow(/dueOn/);
    expect(() => firstChaseAt('transfer_in_conference', {})).toThrow(/conferenceDueAt/);
    expect(() => firstChaseAt('direct_contact', { initiatedAt: at('2026-11-20T16:00:00Z') })).toThrow(RangeError);
  });

  it('is always on a working day', () => {
    const date = fc.integer({ min: 0, max: 3650 }).map((n) => addCalendarDays('2024-01-01', n));
    fc.assert(
      fc.property(fc.constantFrom(...CHASE_KINDS), date, fc.integer({ min: 0, max: 86_399 }), (kind, d, seconds) => {
        const instant = new Date(Date.parse(`${d}T00:00:00Z`) + seconds * 1000);
        const t = firstChaseAt(kind, {
          moveDate: d,
          dueOn: d,
          initiatedAt: instant,
          conferenceDueAt: instant,
          involvement: 'child_in_need',
          reportedAt: instant,
          nationalAlertDueAt: instant,
        });
        // The national alert decision is due when it is due (at once for child protection, whatever the day).
        if (kind === 'national_alert') return expect(t.getTime()).toBeGreaterThanOrEqual(instant.getTime());
        expect(isWorkingDay(londonDate(t))).toBe(true);
        if (kind !== 'direct_contact') expect(londonTime(t)).toBe('09:00:00.000');
      }),
    );
  });
});

describe('next chase', () => {
  it('is the policy interval in working days from now, at 09:00 London', () => {
    const fridayMorning = at('2026-11-20T09:00:05Z');
    expect(iso(nextChaseAfter('gp_registration', fridayMorning))).toBe('2026-11-25T09:00:00.000Z');
    expect(iso(nextChaseAfter('direct_contact', fridayMorning))).toBe('2026-11-23T09:00:00.000Z');
    expect(iso(nextWorkingMorning(at('2026-12-24T15:00:00Z')))).toBe('2026-12-29T09:00:00.000Z');
  });
});

describe('validateClockPolicy', () => {
  it('accepts the defaults and names a bad setting', () => {
    expect(validateClockPolicy(DEFAULT_CLOCK_POLICY)).toBe(DEFAULT_CLOCK_POLICY);
    expect(() => validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, chaseTimeOfDay: '9am' })).toThrow(/chaseTimeOfDay/);
    expect(() =>
      validateClockPolicy({
        ...DEFAULT_CLOCK_POLICY,
        chase: { ...DEFAULT_CLOCK_POLICY.chase, appointment: { firstAfterWorkingDays: 1, everyWorkingDays: 0 } },
      }),
    ).toThrow(/chase.appointment.everyWorkingDays/);
    expect(() =>
      validateClockPolicy({
        ...DEFAULT_CLOCK_POLICY,
        contactDueWorkingDays: { ...DEFAULT_CLOCK_POLICY.contactDueWorkingDays, universal: -1 },
      }),
    ).toThrow(/contactDueWorkingDays.universal/);
  });

  it('has the defaults of DESIGN §5', () => {
    expect(DEFAULT_CLOCK_POLICY.contactDueWorkingDays).toEqual({
      child_protection: 1,
      looked_after: 1,
      child_in_need: 5,
      early_help: 10,
      universal: 10,
    });
    expect(DEFAULT_CLOCK_POLICY.conferenceDueWorkingDays).toBe(15);
    expect(DEFAULT_CLOCK_POLICY.chase.gp_registration).toEqual({ firstAfterWorkingDays: 5, everyWorkingDays: 3 });
    expect(DEFAULT_CLOCK_POLICY.chase.appointment.firstAfterWorkingDays).toBe(1);
    expect(DEFAULT_CLOCK_POLICY.chase.agreed_action).toEqual({ firstAfterWorkingDays: 0, everyWorkingDays: 3 });
  });
});

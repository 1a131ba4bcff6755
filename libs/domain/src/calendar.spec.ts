import fc from 'fast-check';
import {
  addCalendarDays,
  addWorkingDays,
  addWorkingDaysToDate,
  atLondonTime,
  bankHolidays,
  dayOfWeek,
  isLocalDate,
  isLocalTime,
  isWorkingDay,
  londonDate,
  londonOffsetMinutes,
  londonTime,
  startOfLondonDay,
  workingDayOnOrAfter,
  workingDaysBetween,
  workingDaysBetweenDates,
} from './calendar.js';

const at = (iso: string) => new Date(iso);

describe('working days', () => {
  it('knows the England & Wales bank holidays of 2026 and 2027, substitute days included', () => {
    expect([...bankHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28', // Boxing Day falls on a Saturday: substitute Monday
    ]);
    expect(bankHolidays(2027)).toEqual(
      new Set([
        '2027-01-01',
        '2027-03-26', // Good Friday
        '2027-03-29', // Easter Monday
        '2027-05-03',
        '2027-05-31',
        '2027-08-30',
        '2027-12-25',
        '2027-12-26',
        '2027-12-27', // Christmas Day on Saturday: substitute Monday
        '2027-12-28', // Boxing Day on Sunday: substitute Tuesday
      ]),
    );
  });

  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22')).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-24')).toBe(true); // Christmas Eve is a working day
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(false); // substitute day
    expect(isWorkingDay('2026-12-29')).toBe(true);
    expect(isWorkingDay('2027-03-26')).toBe(false);
    expect(isWorkingDay('2027-03-29')).toBe(false);
    expect(isWorkingDay('2027-03-30')).toBe(true);
  });

  it('adds working days to a local date across Christmas 2026', () => {
    expect(addWorkingDaysToDate('2026-12-24', 1)).toBe('2026-12-29'); // Thu → Tue (Fri 25, Sat, Sun, Mon 28 off)
    expect(addWorkingDaysToDate('2026-12-23', 2)).toBe('2026-12-29');
    expect(addWorkingDaysToDate('2026-12-24', 5)).toBe('2027-01-05'); // 29,30,31, (1 Jan off), 4, 5
  });

  it('adds working days across Easter 2027', () => {
    expect(addWorkingDaysToDate('2027-03-25', 1)).toBe('2027-03-30'); // Thu → Tue
    expect(addWorkingDaysToDate('2027-03-24', 3)).toBe('2027-03-31');
  });

  it('counts from the day after, whatever day the start is', () => {
    expect(addWorkingDaysToDate('2026-11-21', 1)).toBe('2026-11-23'); // Saturday → Monday
    expect(addWorkingDaysToDate('2026-11-20', 1)).toBe('2026-11-23'); // Friday → Monday
    expect(addWorkingDaysToDate('2026-11-20', 0)).toBe('2026-11-20');
    expect(addWorkingDaysToDate('2026-11-21', 0)).toBe('2026-11-21');
  });

  it('moves a date onto a working day only when needed', () => {
    expect(workingDayOnOrAfter('2026-12-24')).toBe('2026-12-24');
    expect(workingDayOnOrAfter('2026-12-25')).toBe('2026-12-29');
  });

  it('counts working days between local dates', () => {
    expect(workingDaysBetweenDates('2026-12-24', '2026-12-29')).toBe(1);
    expect(workingDaysBetweenDates('2026-12-24', '2026-12-24')).toBe(0);
    expect(workingDaysBetweenDates('2026-12-29', '2026-12-24')).toBe(0);
    expect(workingDaysBetweenDates('2026-11-16', '2026-11-23')).toBe(5);
  });

  it('rejects malformed dates and counts', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => addWorkingDaysToDate('20-11-2026', 1)).toThrow(RangeError);
    expect(() => addWorkingDaysToDate('2026-11-20', -1)).toThrow(RangeError);
    expect(() => addWorkingDaysToDate('2026-11-20', 1.5)).toThrow(RangeError);
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('1900-01-01')).toBe(true);
    expect(isLocalDate('2100-12-31')).toBe(true);
    expect(isLocalDate('1899-12-31')).toBe(false);
    expect(isLocalDate('9999-12-24')).toBe(false);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate(20261120)).toBe(false);
    expect(isLocalTime('09:00')).toBe(true);
    expect(isLocalTime('24:00')).toBe(false);
    expect(isLocalTime('9:00')).toBe(false);
    expect(dayOfWeek('2026-11-22')).toBe(0);
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('Europe/London conversions', () => {
  it('gives the local date and time of an instant, both sides of the clock change', () => {
    expect(londonDate(at('2026-07-01T23:30:00Z'))).toBe('2026-07-02'); // 00:30 BST
    expect(londonTime(at('2026-07-01T23:30:00Z'))).toBe('00:30:00.000');
    expect(londonDate(at('2026-12-01T23:30:00Z'))).toBe('2026-12-01'); // 23:30 GMT
    expect(londonOffsetMinutes(at('2026-07-01T12:00:00Z'))).toBe(60);
    expect(londonOffsetMinutes(at('2026-12-01T12:00:00Z'))).toBe(0);
  });

  it('finds midnight and wall-clock times in winter and summer', () => {
    expect(startOfLondonDay('2026-07-02').toISOString()).toBe('2026-07-01T23:00:00.000Z');
    expect(startOfLondonDay('2026-12-02').toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(atLondonTime('2026-07-02', '09:00').toISOString()).toBe('2026-07-02T08:00:00.000Z');
    expect(atLondonTime('2026-12-02', '09:00').toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(startOfLondonDay('2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfLondonDay('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
  });

  it('chooses the later instant for a wall-clock time skipped when clocks go forward', () => {
    // 2026-03-29 01:00 GMT → 02:00 BST: 01:30 never shows; later reading = 01:30Z = 02:30 BST.
    expect(atLondonTime('2026-03-29', '01:30').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(atLondonTime('2026-03-29', '02:00').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(atLondonTime('2026-03-29', '00:59').toISOString()).toBe('2026-03-29T00:59:00.000Z');
  });

  it('chooses the later instant for a wall-clock time that happens twice when clocks go back', () => {
    // 2026-10-25 02:00 BST → 01:00 GMT: 01:30 shows at 00:30Z and again at 01:30Z.
    expect(atLondonTime('2026-10-25', '01:30').toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(atLondonTime('2026-10-25', '00:30').toISOString()).toBe('2026-10-24T23:30:00.000Z');
    expect(atLondonTime('2026-10-25', '02:00').toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('rejects malformed times', () => {
    expect(() => atLondonTime('2026-10-25', '9am')).toThrow(RangeError);
    expect(() => atLondonTime('2026-10-25', '25:00')).toThrow(RangeError);
    expect(() => londonDate(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('addWorkingDays on instants', () => {
  it('keeps the wall-clock time over a weekend', () => {
    // Friday 16:00 GMT + 1 → Monday 16:00 GMT
    expect(addWorkingDays(at('2026-11-20T16:00:00Z'), 1).toISOString()).toBe('2026-11-23T16:00:00.000Z');
    // Saturday + 1 → Monday
    expect(addWorkingDays(at('2026-11-21T10:00:00Z'), 1).toISOString()).toBe('2026-11-23T10:00:00.000Z');
    // Sunday evening + 1 → Monday: counting starts the day after the instant's London date
    expect(addWorkingDays(at('2026-11-22T20:00:00Z'), 1).toISOString()).toBe('2026-11-23T20:00:00.000Z');
  });

  it('counts by the London date, not the UTC date', () => {
    // 2026-07-02 00:30 BST is 2026-07-01T23:30Z: a Thursday in London → Friday 00:30 BST.
    expect(addWorkingDays(at('2026-07-01T23:30:00Z'), 1).toISOString()).toBe('2026-07-02T23:30:00.000Z');
  });

  it('skips Christmas Day, Boxing Day and the substitute Monday in 2026', () => {
    expect(addWorkingDays(at('2026-12-24T14:00:00Z'), 1).toISOString()).toBe('2026-12-29T14:00:00.000Z');
  });

  it('skips Good Friday and Easter Monday in 2027 and crosses the March clock change', () => {
    // Thursday 25 March 2027 10:00 GMT → Tuesday 30 March 10:00 BST (clocks went forward 28 March)
    expect(addWorkingDays(at('2027-03-25T10:00:00Z'), 1).toISOString()).toBe('2027-03-30T09:00:00.000Z');
  });

  it('keeps the wall-clock time across the spring clock change (2026-03-29)', () => {
    // Friday 27 March 12:00 GMT → Monday 30 March 12:00 BST = 11:00Z
    expect(addWorkingDays(at('2026-03-27T12:00:00Z'), 1).toISOString()).toBe('2026-03-30T11:00:00.000Z');
  });

  it('keeps the wall-clock time across the autumn clock change (2026-10-25 and 2027-10-31)', () => {
    // Friday 23 Oct 12:00 BST (11:00Z) → Monday 26 Oct 12:00 GMT
    expect(addWorkingDays(at('2026-10-23T11:00:00Z'), 1).toISOString()).toBe('2026-10-26T12:00:00.000Z');
    // Friday 29 Oct 2027 09:00 BST (08:00Z) + 2 → Tuesday 2 Nov 09:00 GMT
    expect(addWorkingDays(at('2027-10-29T08:00:00Z'), 2).toISOString()).toBe('2027-11-02T09:00:00.000Z');
  });

  it('starts from an instant inside the repeated hour (2026-10-25 01:30, either reading)', () => {
    const firstReading = at('2026-10-25T00:30:00Z'); // 01:30 BST
    const secondReading = at('2026-10-25T01:30:00Z'); // 01:30 GMT
    expect(addWorkingDays(firstReading, 1).toISOString()).toBe('2026-10-26T01:30:00.000Z');
    expect(addWorkingDays(secondReading, 1).toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });

  it('adds nothing for n = 0 and refuses negative counts', () => {
    const x = at('2026-11-21T10:00:00Z');
    expect(addWorkingDays(x, 0).getTime()).toBe(x.getTime());
    expect(() => addWorkingDays(x, -1)).toThrow(RangeError);
  });

  it('counts working days between instants', () => {
    expect(workingDaysBetween(at('2026-12-24T14:00:00Z'), at('2026-12-29T08:00:00Z'))).toBe(1);
    expect(workingDaysBetween(at('2026-12-24T14:00:00Z'), at('2026-12-24T18:00:00Z'))).toBe(0);
    expect(workingDaysBetween(at('2026-12-29T14:00:00Z'), at('2026-12-24T18:00:00Z'))).toBe(0);
    // 23:30Z on 1 July is already 2 July in London
    expect(workingDaysBetween(at('2026-07-01T12:00:00Z'), at('2026-07-01T23:30:00Z'))).toBe(1);
  });
});

describe('calendar properties', () => {
  const instant = fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2035-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const count = fc.integer({ min: 1, max: 40 });
  const localDate = fc.integer({ min: 0, max: 365 * 15 }).map((n) => addCalendarDays('2020-01-01', n));

  it('always lands on a working day, at the same London wall-clock time', () => {
    fc.assert(
      fc.property(instant, count, (x, n) => {
        const result = addWorkingDays(x, n);
        expect(isWorkingDay(londonDate(result))).toBe(true);
        expect(londonTime(result)).toBe(londonTime(x));
        expect(londonDate(result)).toBe(addWorkingDaysToDate(londonDate(x), n));
      }),
    );
  });

  it('is strictly increasing in n and never goes back in time', () => {
    fc.assert(
      fc.property(instant, count, count, (x, a, b) => {
        fc.pre(a !== b);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(addWorkingDays(x, lo).getTime()).toBeLessThan(addWorkingDays(x, hi).getTime());
        expect(addWorkingDays(x, lo).getTime()).toBeGreaterThan(x.getTime());
      }),
    );
  });

  it('is monotonic in the start date', () => {
    fc.assert(
      fc.property(instant, instant, count, (x, y, n) => {
        const [early, late] = x <= y ? [x, y] : [y, x];
        expect(londonDate(addWorkingDays(early, n)) <= londonDate(addWorkingDays(late, n))).toBe(true);
      }),
    );
  });

  it('workingDaysBetween(x, addWorkingDays(x, n)) === n', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), (x, n) => {
        expect(workingDaysBetween(x, addWorkingDays(x, n))).toBe(n);
      }),
    );
  });

  it('workingDaysBetweenDates agrees with a day-by-day count', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: 0, max: 40 }), (from, span) => {
        const to = addCalendarDays(from, span);
        let expected = 0;
        for (let i = 1; i <= span; i++) if (isWorkingDay(addCalendarDays(from, i))) expected++;
        expect(workingDaysBetweenDates(from, to)).toBe(expected);
      }),
    );
  });

  it('a working day is a weekday that is not a bank holiday', () => {
    fc.assert(
      fc.property(localDate, (d) => {
        const weekday = dayOfWeek(d) >= 1 && dayOfWeek(d) <= 5;
        expect(isWorkingDay(d)).toBe(weekday && !bankHolidays(Number(d.slice(0, 4))).has(d));
      }),
    );
  });

  it('startOfLondonDay brackets every instant of that London day', () => {
    fc.assert(
      fc.property(instant, (x) => {
        const today = londonDate(x);
        expect(startOfLondonDay(today).getTime()).toBeLessThanOrEqual(x.getTime());
        expect(startOfLondonDay(addCalendarDays(today, 1)).getTime()).toBeGreaterThan(x.getTime());
        expect(londonTime(startOfLondonDay(today))).toBe('00:00:00.000');
      }),
    );
  });
});

describe('workingDaysBetweenDates counts by arithmetic', () => {
  /** The plain definition: walk the days, count the working ones. */
  const byWalking = (from: string, to: string) => {
    let count = 0;
    for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) count += 1;
    return count;
  };

  it('agrees with walking the days, over random ranges up to three years across bank holidays', () => {
    const day = fc.integer({ min: 0, max: 365 * 4 }).map((n) => addCalendarDays('2025-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 365 * 3 }), (from, length) => {
        const to = addCalendarDays(from, length);
        expect(workingDaysBetweenDates(from, to)).toBe(byWalking(from, to));
      }),
      { numRuns: 300 },
    );
  });
});

describe('London wall clock from the per-hour offset cache', () => {
  // An independent oracle: Swedish formatting writes local dates and times as ISO does.
  const intl = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' });
  const fromIntl = (instant: Date) =>
    `${intl.format(instant)}.${String(instant.getUTCMilliseconds()).padStart(3, '0')}`;
  const fromCalendar = (instant: Date) => `${londonDate(instant)} ${londonTime(instant)}`;

  it('agrees with Intl for any instant 1900–2100, again when cached', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }),
        (instant) => {
          expect(fromCalendar(instant)).toBe(fromIntl(instant));
          expect(fromCalendar(instant)).toBe(fromIntl(instant));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('agrees with Intl at every millisecond edge of the clock changes', () => {
    for (const change of [
      '2026-03-29T01:00:00Z',
      '2026-10-25T01:00:00Z',
      '1941-05-04T01:00:00Z',
      '1968-02-18T02:00:00Z',
    ])
      for (const delta of [-3_600_001, -3_600_000, -1, 0, 1, 1_800_000, 3_599_999, 3_600_000]) {
        const instant = new Date(Date.parse(change) + delta);
        expect(fromCalendar(instant)).toBe(fromIntl(instant));
      }
  });
});

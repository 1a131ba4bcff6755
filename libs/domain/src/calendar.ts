/**
 * The working-day calendar every deadline in the service runs on (DESIGN §5).
 *
 * - Time zone: Europe/London, converted with Node's Intl (no date library).
 * - Working day: Monday to Friday, except England & Wales bank holidays, including substitute
 *   days, taken from the maintained `date-holidays` library (GB / ENG, type `public`).
 * - Local dates are strings `YYYY-MM-DD`; instants are `Date`s.
 *
 * Invalid local dates or times are programming errors and throw a RangeError; validate user
 * input before calling (see `isLocalDate`, `isLocalTime`).
 */
import Holidays from 'date-holidays';

export const LONDON_TIME_ZONE = 'Europe/London';

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/;

// ---------------------------------------------------------------------------------------------
// Local dates as day numbers (days since 1970-01-01), so calendar arithmetic never meets a clock.

function dayNumber(date: string): number {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new RangeError(`not a local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Dates the service reasons about: people's lives and deadlines, not the far past or future. */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;

/** True for a real calendar date written `YYYY-MM-DD` (e.g. not 2026-02-30), between 1900 and 2100. */
export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const year = Number(value.slice(0, 4));
  if (!(year >= EARLIEST_YEAR && year <= LATEST_YEAR)) return false;
  try {
    dayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** True for a wall-clock time `HH:MM` (optionally `:SS` and `.mmm`), 00:00 to 23:59. */
export function isLocalTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = LOCAL_TIME.exec(value);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3] ?? 0) < 60;
}

/** The date `n` calendar days after `date` (n may be negative). */
export function addCalendarDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return (dayNumber(date) + 4) % 7; // 1970-01-01 was a Thursday
}

// ---------------------------------------------------------------------------------------------
// Bank holidays, computed once per year.

let holidayLibrary: Holidays | undefined;
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/** England & Wales bank holidays of a year, including substitute days, as local dates. */
export function bankHolidays(year: number): ReadonlySet<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    holidayLibrary ??= new Holidays('GB', 'ENG');
    const found = holidayLibrary.getHolidays(year) || [];
    days = new Set(found.filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    holidaysByYear.set(year, days);
  }
  return days;
}

export function isBankHoliday(date: string): boolean {
  dayNumber(date); // validates
  return bankHolidays(Number(date.slice(0, 4))).has(date);
}

/** Monday to Friday and not an England & Wales bank holiday. */
export function isWorkingDay(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !isBankHoliday(date);
}

/** `date` itself if it is a working day, otherwise the next working day. */
export function workingDayOnOrAfter(date: string): string {
  let d = date;
  while (!isWorkingDay(d)) d = addCalendarDays(d, 1);
  return d;
}

/**
 * The n-th working day after `date`, counting from the day after (n = 0 gives `date` back,
 * whatever day it is). n must be a whole number ≥ 0.
 */
export function addWorkingDaysToDate(date: string, n: number): string {
  assertCount(n);
  let day = dayNumber(date);
  for (let counted = 0; counted < n;) {
    day += 1;
    if (isWorkingDay(fromDayNumber(day))) counted += 1;
  }
  return fromDayNumber(day);
}

/** Number of working days d with from < d ≤ to (0 when to ≤ from). */
export function workingDaysBetweenDates(from: string, to: string): number {
  const first = dayNumber(from) + 1;
  const last = dayNumber(to);
  if (last < first) return 0;
  // Weekdays in [first, last] by arithmetic, then take off the bank holidays that fall on them:
  // constant work per year spanned, however long the range (monitoring computes this per row).
  const weekdaysBefore = (day: number) => {
    // weekdays in [0, day) counting from 1970-01-01 (a Thursday)
    const weeks = Math.floor(day / 7);
    let count = weeks * 5;
    for (let d = weeks * 7; d < day; d++) {
      const dow = (d + 4) % 7;
      if (dow !== 0 && dow !== 6) count += 1;
    }
    return count;
  };
  let count = weekdaysBefore(last + 1) - weekdaysBefore(first);
  const lastYear = new Date(last * DAY_MS).getUTCFullYear();
  for (let year = new Date(first * DAY_MS).getUTCFullYear(); year <= lastYear; year++) {
    for (const holiday of weekdayBankHolidays(year)) if (holiday >= first && holiday <= last) count -= 1;
  }
  return count;
}

const weekdayHolidaysByYear = new Map<number, readonly number[]>();

/** A year's bank holidays that fall on a weekday, as day numbers (computed once per year). */
function weekdayBankHolidays(year: number): readonly number[] {
  let days = weekdayHolidaysByYear.get(year);
  if (!days) {
    days = [...bankHolidays(year)].map(dayNumber).filter((day) => (day + 4) % 7 !== 0 && (day + 4) % 7 !== 6);
    weekdayHolidaysByYear.set(year, days);
  }
  return days;
}

function assertCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working-day count must be a whole number ≥ 0, got ${n}`);
}

// ---------------------------------------------------------------------------------------------
// Europe/London wall clock.

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function assertInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError('not a valid instant');
}

/** The wall clock as Intl reports it (the source of truth; slow: ~2 µs a call). */
function intlWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const p of londonFormat.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
    millisecond: instant.getUTCMilliseconds(), // London offsets are whole minutes
  };
}

const HOUR_MS = 3_600_000;
/** Europe/London's offset (ms) for each UTC hour asked about; emptied past 100,000 hours (~11 years). */
const offsetByUtcHour = new Map<number, number>();

function intlOffsetMs(t: number): number {
  return wallClockAsUtc(intlWallClock(new Date(t))) - t;
}

/**
 * Europe/London's UTC offset at `t` in ms, asking Intl once per UTC hour: London's clocks change on
 * the hour (UTC), so an hour whose first and last millisecond have the same offset has it
 * throughout; an hour where they differ is never cached and asked about per instant.
 */
function londonOffsetMs(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  const cached = offsetByUtcHour.get(hour);
  if (cached !== undefined) return cached;
  const offset = intlOffsetMs(hour * HOUR_MS);
  if (offset !== intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1)) return intlOffsetMs(t);
  if (offsetByUtcHour.size >= 100_000) offsetByUtcHour.clear();
  offsetByUtcHour.set(hour, offset);
  return offset;
}

function wallClock(instant: Date): WallClock {
  assertInstant(instant);
  const t = instant.getTime();
  const local = new Date(t + londonOffsetMs(t));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
  };
}

function wallClockAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
}

/** Europe/London UTC offset at an instant, in minutes (0 in winter, 60 in summer). */
export function londonOffsetMinutes(instant: Date): number {
  return (wallClockAsUtc(wallClock(instant)) - instant.getTime()) / 60_000;
}

/** The Europe/London calendar date of an instant. */
export function londonDate(instant: Date): string {
  const w = wallClock(instant);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

/** The Europe/London wall-clock time of an instant, `HH:MM:SS.mmm`. */
export function londonTime(instant: Date): string {
  const w = wallClock(instant);
  return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${String(w.millisecond).padStart(3, '0')}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The instant when Europe/London clocks show `time` (`HH:MM`, optionally `:SS[.mmm]`) on `date`.
 *
 * Clock changes: when the wall-clock time does not exist (clocks go forward, e.g. 01:30 on
 * 2026-03-29) or happens twice (clocks go back, e.g. 01:30 on 2026-10-25) the LATER valid
 * instant is chosen — 02:30 BST (01:30Z) and 01:30 GMT (01:30Z) respectively; this matches
 * Temporal's `disambiguation: 'later'`. UK clock changes happen on Sundays, so no deadline on a
 * working day is ever affected.
 */
export function atLondonTime(date: string, time: string): Date {
  const day = dayNumber(date);
  const m = LOCAL_TIME.exec(time);
  if (!m || !isLocalTime(time)) throw new RangeError(`not a local time (HH:MM): ${JSON.stringify(time)}`);
  const target =
    day * DAY_MS + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + Number(m[4] ?? 0);
  // The offset in force can only be one of the offsets either side of the date.
  const offsets = new Set([
    londonOffsetMinutes(new Date(target - DAY_MS)),
    londonOffsetMinutes(new Date(target + DAY_MS)),
  ]);
  const candidates = [...offsets].map((offset) => target - offset * 60_000);
  const valid = candidates.filter((c) => wallClockAsUtc(wallClock(new Date(c))) === target);
  return new Date(Math.max(...(valid.length > 0 ? valid : candidates)));
}

/** Midnight Europe/London at the start of `date` (UK clocks never change at midnight). */
export function startOfLondonDay(date: string): Date {
  return atLondonTime(date, '00:00');
}

/**
 * The instant `n` working days after `instant`, at the same Europe/London wall-clock time.
 * Counting starts from the day after the instant's local date, so Friday 16:00 + 1 is Monday
 * 16:00 (or Tuesday if Monday is a bank holiday), and Saturday 10:00 + 1 is Monday 10:00.
 * Across a clock change the wall-clock time is kept, so the UTC offset changes.
 * n = 0 gives the instant back unchanged; n must be a whole number ≥ 0.
 */
export function addWorkingDays(instant: Date, n: number): Date {
  assertCount(n);
  if (n === 0) return new Date(instant.getTime());
  return atLondonTime(addWorkingDaysToDate(londonDate(instant), n), londonTime(instant));
}

/**
 * Working days between two instants: the number of working days d with
 * londonDate(from) < d ≤ londonDate(to); 0 when `to` is not after `from`.
 * So `workingDaysBetween(x, addWorkingDays(x, n)) === n`.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  assertInstant(from);
  assertInstant(to);
  if (to.getTime() <= from.getTime()) return 0;
  return workingDaysBetweenDates(londonDate(from), londonDate(to));
}

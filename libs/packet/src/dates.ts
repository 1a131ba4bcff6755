/** Dates and times as a practitioner in England reads them ("Tue 1 Dec 2026", "17:00 on Tue 1 Dec 2026"). */
import { LONDON_TIME_ZONE } from '@fh/domain';

// Formatters are costly to build: one of each, made once.
const DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: LONDON_TIME_ZONE,
});
const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: LONDON_TIME_ZONE,
});

/** A calendar date (`YYYY-MM-DD`) in words; anything else is returned as it is. */
export function dateWords(date: string | null): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date ?? 'date not recorded';
  return DAY.format(new Date(`${date}T00:00:00Z`)).replace(/,/g, '');
}

/** An instant (ISO-8601) as London wall-clock time and day. */
export function instantWords(iso: string | null): string {
  if (!iso) return 'not recorded';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${TIME.format(at)} on ${LONDON_DAY.format(at).replace(/,/g, '')}`;
}

/** An instant from the database (a Date, or a string from JSON) as ISO-8601 UTC, or null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const at = value instanceof Date ? value : new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

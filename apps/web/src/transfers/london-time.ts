/** The UTC instant of a wall-clock time in Europe/London (GMT or BST), or null if the parts are not a real date and time. */
export function londonInstant(year: number, month: number, day: number, hour: number, minute: number): Date | null {
  if (![year, month, day, hour, minute].every(Number.isInteger)) return null;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    year < 1900 ||
    year > 2999
  )
    return null;
  const guess = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (guess.getUTCDate() !== day || guess.getUTCMonth() !== month - 1) return null;
  // London is UTC+0 or UTC+1: take the offset London shows at that instant and correct once.
  const offsetAt = (instant: Date) => {
    const hourThere = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' }).format(
        instant,
      ),
    );
    return ((hourThere - instant.getUTCHours() + 24) % 24) * 3_600_000;
  };
  return new Date(guess.getTime() - offsetAt(new Date(guess.getTime() - offsetAt(guess))));
}

/** "YYYY-MM-DD" from day, month and year fields, or null if they are not a real date. */
export function localDate(day: string, month: string, year: string): string | null {
  const [d, m, y] = [day, month, year].map((v) => (/^\d{1,4}$/.test((v ?? '').trim()) ? Number(v) : NaN));
  if (!y || y < 1900 || y > 2999 || !m || m > 12 || !d || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCDate() !== d) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

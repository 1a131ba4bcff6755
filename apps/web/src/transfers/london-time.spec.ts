import { localDate, londonInstant } from './london-time.js';

describe('London wall-clock times', () => {
  it('reads winter times as GMT and summer times as BST', () => {
    expect(londonInstant(2026, 12, 1, 10, 30)!.toISOString()).toBe('2026-12-01T10:30:00.000Z');
    expect(londonInstant(2026, 7, 1, 10, 30)!.toISOString()).toBe('2026-07-01T09:30:00.000Z');
  });
  it('refuses dates that do not exist', () => {
    expect(londonInstant(2026, 2, 30, 10, 0)).toBeNull();
    expect(londonInstant(2026, 13, 1, 10, 0)).toBeNull();
    expect(londonInstant(2026, 1, 1, 24, 0)).toBeNull();
  });
  it('makes YYYY-MM-DD from GOV.UK date parts', () => {
    expect(localDate('3', '12', '2026')).toBe('2026-12-03');
    expect(localDate('31', '2', '2026')).toBeNull();
    expect(localDate('', '12', '2026')).toBeNull();
    expect(localDate('x', '1', '2026')).toBeNull();
  });
});

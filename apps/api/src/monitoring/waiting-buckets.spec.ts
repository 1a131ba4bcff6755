import fc from 'fast-check';
import { workingDaysBetween } from '@fh/domain';
import { waitedAtLeastBefore, WAITING_BUCKETS } from './monitoring.service';

describe('summary buckets of working days waiting', () => {
  const instant = fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('a transfer has waited at least n working days exactly when it was initiated before waitedAtLeastBefore(now, n)', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 40 * 86_400_000 }),
        fc.integer({ min: 1, max: 15 }),
        (now, back, n) => {
          const from = new Date(now.getTime() - back);
          expect(workingDaysBetween(from, now) >= n).toBe(from.getTime() < waitedAtLeastBefore(now, n).getTime());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('counts over Christmas: initiated on Tuesday 22 December 2026, seen on Monday 4 January 2027', () => {
    const from = new Date('2026-12-22T10:00:00Z');
    const now = new Date('2027-01-04T09:00:00Z');
    // 23, 24, 29, 30, 31 December and 4 January (25, 28 December and 1 January are bank holidays).
    expect(workingDaysBetween(from, now)).toBe(6);
    expect(from < waitedAtLeastBefore(now, 6)).toBe(true);
    expect(from < waitedAtLeastBefore(now, 7)).toBe(false);
  });

  it('the buckets cover every count once', () => {
    for (let days = 0; days < 30; days++)
      expect(WAITING_BUCKETS.filter((b) => days >= b.from && (b.to === null || days <= b.to))).toHaveLength(1);
  });
});

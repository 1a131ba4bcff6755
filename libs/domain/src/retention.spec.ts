import { dueForErasure, retentionCutoff, tombstoneFlags } from './retention';

describe('retention', () => {
  const now = new Date('2028-12-02T03:00:00Z');
  const days = 730;
  const ended = (daysAgo: number) => new Date(now.getTime() - daysAgo * 24 * 3600 * 1000);

  it('is due exactly the retention period after the transfer ended, not a day sooner', () => {
    expect(retentionCutoff(now, days)).toEqual(new Date('2026-12-03T03:00:00Z')); // 730 days: 2028 is a leap year
    expect(dueForErasure({ status: 'closed', endedAt: ended(731), erasedAt: null }, now, days)).toBe(true);
    expect(dueForErasure({ status: 'cancelled', endedAt: ended(730), erasedAt: null }, now, days)).toBe(true);
    expect(dueForErasure({ status: 'closed', endedAt: ended(729), erasedAt: null }, now, days)).toBe(false);
  });

  it.each(['draft', 'awaiting_contact', 'accepted', 'returned'] as const)('never erases a %s transfer', (status) => {
    expect(dueForErasure({ status, endedAt: ended(5000), erasedAt: null }, now, days)).toBe(false);
  });

  it('does not erase twice, nor a transfer with no end', () => {
    expect(dueForErasure({ status: 'closed', endedAt: ended(800), erasedAt: ended(70) }, now, days)).toBe(false);
    expect(dueForErasure({ status: 'closed', endedAt: null, erasedAt: null }, now, days)).toBe(false);
  });

  it('keeps of the flags only their codes and severities', () => {
    expect(
      tombstoneFlags([
        {
          code: 'ADULT_RISK_IN_HOUSEHOLD',
          severity: 'high',
          memberIds: ['m1'],
          summary: 'probation in Dudley',
        } as never,
      ]),
    ).toEqual([{ code: 'ADULT_RISK_IN_HOUSEHOLD', severity: 'high', memberIds: [], summary: '' }]);
  });
});

import { sectionOf } from './packet.document';
import { BABY, reviewRecord, SIBLING } from './packet.fixture';
import { buildPacket } from './snapshot';

/** The packet shows the new appointment outcomes (issue 14 item 5). */
describe('packet: no access, cancelled and rescheduled by the carer', () => {
  const base = { kind: 'immunisation', provider: 'GP', attendedOn: null, rebookedFor: null };
  const packet = buildPacket(
    reviewRecord({
      appointments: [
        { ...base, id: 'a-1', memberId: BABY, dueOn: '2026-11-02', status: 'no_access', rebookedFor: '2026-12-01' },
        { ...base, id: 'a-2', memberId: SIBLING, dueOn: '2026-11-03', status: 'cancelled_by_carer' },
        {
          ...base,
          id: 'a-3',
          memberId: SIBLING,
          dueOn: '2026-11-04',
          status: 'rescheduled',
          rescheduledFor: '2026-12-09',
        },
      ],
    }),
  );
  const s = sectionOf(packet, 'appointments');

  it('says what happened to each, with its dates, and counts a no-access visit as the child not seen', () => {
    expect(s.appointments.map((a) => [a.for.name, a.wasNotBrought, a.statusText])).toEqual([
      ['Zephyrine Quillfeather', true, 'NO ACCESS (home visit, no one answered): rebooked for Tue 1 Dec 2026'],
      ['Octavian Quillfeather', false, 'CANCELLED BY CARER: not yet rebooked'],
      ['Octavian Quillfeather', false, 'RESCHEDULED BY CARER: now on Wed 9 Dec 2026'],
    ]);
    expect(s.text).toBe('Not brought to 1 appointment, counting home visits with no access.');
  });

  it('gives the rescheduled date only to the rescheduled appointment, and raises the flags', () => {
    expect(s.appointments.map((a) => 'rescheduledFor' in a)).toEqual([false, false, true]);
    expect(s.appointments[2]!.rescheduledFor).toBe('2026-12-09');
    const codes = packet.riskFlags.map((f: { code: string }) => f.code);
    expect(codes).toContain('REPEATED_CANCELLATIONS');
    expect(codes).toContain('WAS_NOT_BROUGHT');
  });
});

import { closeEffects, decideAppointmentOutcome, decideClose } from './chasing';
import { firstChaseAt } from './clocks.js';
import type { Actor } from './lifecycle/index.js';

const teams = { sendingTeamId: 'team-send', receivingTeamId: 'team-recv' };
const who = (role: Actor['role'], teamId: string | null = 'team-recv'): Actor => ({
  id: `${role}-${teamId}`,
  teamId,
  areaId: 'area',
  role,
});
const NOW = new Date('2026-11-27T12:00:00Z');
const open = (kind: Parameters<typeof decideClose>[0]['kind']) => ({ kind, status: 'open' as const });
const codes = (d: { ok: boolean; reasons?: { code: string }[] }) => (d.ok ? [] : d.reasons!.map((r) => r.code));

describe('closing a chase item', () => {
  it('closes a GP registration only with an ODS code, practice name and a registration date that has happened', () => {
    const good = decideClose(
      open('gp_registration'),
      teams,
      who('practitioner'),
      {
        resolution: 'registered',
        evidence: { practiceOds: 'M88006', practiceName: ' Oldbury Surgery ', registeredOn: '2026-11-25' },
      },
      NOW,
    );
    expect(good).toEqual({
      ok: true,
      resolution: 'registered',
      evidence: { practiceOds: 'M88006', practiceName: 'Oldbury Surgery', registeredOn: '2026-11-25' },
    });
    const bad = decideClose(
      open('gp_registration'),
      teams,
      who('practitioner'),
      { resolution: 'registered', evidence: { practiceOds: 'm88006', registeredOn: '2026-12-25' } },
      NOW,
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reasons.map((r) => r.message)).toEqual([
      'give the practice ODS code: a capital letter then 5 digits, e.g. M88006',
      'give the practice name',
      'registeredOn cannot be in the future',
    ]);
  });

  it.each([
    ['appointment', 'attended', { attendedOn: '2026-11-26' }],
    ['agreed_action', 'completed', { note: 'Registered with Oldbury Surgery' }],
  ] as const)('closes %s with %s and its evidence', (kind, resolution, evidence) => {
    expect(decideClose(open(kind), teams, who('practitioner', 'team-send'), { resolution, evidence }, NOW).ok).toBe(
      true,
    );
    expect(codes(decideClose(open(kind), teams, who('practitioner'), { resolution, evidence: {} }, NOW))).toEqual([
      'EVIDENCE_MISSING',
    ]);
  });

  it('never closes the transfer-in conference as held by hand: recording the conference closes it', () => {
    for (const request of [
      { resolution: 'held', evidence: { heldOn: '2026-11-20' } },
      { resolution: 'completed', evidence: { note: 'held last week' } },
    ])
      expect(codes(decideClose(open('transfer_in_conference'), teams, who('manager'), request, NOW))).toEqual([
        'EVIDENCE_RESOLUTION_MISMATCH',
      ]);
  });

  it('refuses the wrong resolution for the kind, and never closes direct contact with evidence', () => {
    expect(
      codes(
        decideClose(
          open('appointment'),
          teams,
          who('practitioner'),
          { resolution: 'completed', evidence: { note: 'x' } },
          NOW,
        ),
      ),
    ).toEqual(['EVIDENCE_RESOLUTION_MISMATCH']);
    expect(
      codes(
        decideClose(
          open('direct_contact'),
          teams,
          who('practitioner'),
          { resolution: 'completed', evidence: { note: 'x' } },
          NOW,
        ),
      ),
    ).toEqual(['EVIDENCE_RESOLUTION_MISMATCH']);
  });

  it('lets only a manager of either team close an item as no longer required, with a reason', () => {
    expect(
      decideClose(
        open('direct_contact'),
        teams,
        who('manager', 'team-send'),
        { resolution: 'no_longer_required', reason: 'family left the country' },
        NOW,
      ),
    ).toEqual({
      ok: true,
      resolution: 'no_longer_required',
      evidence: { reason: 'family left the country' },
    });
    expect(
      codes(
        decideClose(
          open('appointment'),
          teams,
          who('practitioner'),
          { resolution: 'no_longer_required', reason: 'x' },
          NOW,
        ),
      ),
    ).toEqual(['NOT_MANAGER']);
    expect(
      codes(
        decideClose(open('appointment'), teams, who('manager'), { resolution: 'no_longer_required', reason: ' ' }, NOW),
      ),
    ).toEqual(['REASON_REQUIRED']);
    expect(
      codes(
        decideClose(
          open('appointment'),
          teams,
          who('manager', 'team-other'),
          { resolution: 'no_longer_required', reason: 'x' },
          NOW,
        ),
      ),
    ).toEqual(['NOT_ON_EITHER_TEAM']);
    expect(
      codes(
        decideClose(
          open('appointment'),
          teams,
          who('safeguarding_lead'),
          { resolution: 'no_longer_required', reason: 'x' },
          NOW,
        ),
      ),
    ).toEqual(['NOT_ON_EITHER_TEAM']);
    expect(
      codes(
        decideClose(
          open('appointment'),
          teams,
          who('admin', null),
          { resolution: 'no_longer_required', reason: 'x' },
          NOW,
        ),
      ),
    ).toEqual(['NOT_ON_EITHER_TEAM']);
  });

  it('never closes an item twice', () => {
    expect(
      codes(
        decideClose(
          { kind: 'appointment', status: 'closed' },
          teams,
          who('manager'),
          { resolution: 'no_longer_required', reason: 'x' },
          NOW,
        ),
      ),
    ).toEqual(['NOT_ALLOWED_FROM_STATUS']);
  });
});

describe('appointment outcomes', () => {
  it('attended: closes (the service closes its item)', () => {
    expect(
      decideAppointmentOutcome(teams, who('practitioner'), { status: 'attended', attendedOn: '2026-11-27' }, 0, NOW),
    ).toEqual({
      ok: true,
      status: 'attended',
      attendedOn: '2026-11-27',
    });
    expect(
      codes(
        decideAppointmentOutcome(teams, who('practitioner'), { status: 'attended', attendedOn: '2026-11-28' }, 0, NOW),
      ),
    ).toEqual(['EVIDENCE_IN_FUTURE']);
  });

  it('was not brought: escalates one level at once and chases the working day after the rebooked date', () => {
    const d = decideAppointmentOutcome(
      teams,
      who('practitioner'),
      { status: 'was_not_brought', rebookedFor: '2026-12-04' },
      0,
      NOW,
    );
    // Friday 4 December → chased Monday 7 December 09:00 London
    expect(d).toEqual({
      ok: true,
      status: 'was_not_brought',
      rebookedFor: '2026-12-04',
      escalationLevel: 1,
      nextChaseAt: new Date('2026-12-07T09:00:00Z'),
    });
    const noDate = decideAppointmentOutcome(teams, who('practitioner'), { status: 'was_not_brought' }, 2, NOW);
    expect(noDate).toEqual(
      expect.objectContaining({ ok: true, escalationLevel: 2, rebookedFor: null, nextChaseAt: NOW }),
    );
    expect(
      codes(
        decideAppointmentOutcome(
          teams,
          who('practitioner'),
          { status: 'was_not_brought', rebookedFor: '2026-11-01' },
          0,
          NOW,
        ),
      ),
    ).toEqual(['EVIDENCE_MISSING']);
  });

  it('is recorded only by either team', () => {
    expect(
      codes(
        decideAppointmentOutcome(
          teams,
          who('practitioner', 'team-x'),
          { status: 'attended', attendedOn: '2026-11-27' },
          0,
          NOW,
        ),
      ),
    ).toEqual(['NOT_ON_EITHER_TEAM']);
  });
});

describe('what closing an item sets in motion', () => {
  const item = { memberId: 'member-1', appointmentId: 'appointment-1' };
  const close = (kind: Parameters<typeof decideClose>[0]['kind'], request: Parameters<typeof decideClose>[3]) => {
    const d = decideClose(open(kind), teams, who('practitioner'), request, NOW);
    if (!d.ok) throw new Error(codes(d).join());
    return d;
  };

  it('records the GP where the child is recorded, and the attendance on the appointment', () => {
    const registered = close('gp_registration', {
      resolution: 'registered',
      evidence: { practiceOds: 'M88006', practiceName: 'Oldbury Surgery', registeredOn: '2026-11-25' },
    });
    expect(closeEffects(item, registered)).toEqual([
      { type: 'gp.registered', memberId: 'member-1', practiceOds: 'M88006', practiceName: 'Oldbury Surgery' },
    ]);
    // an item no longer tied to a member (the member was removed) records nothing beside itself
    expect(closeEffects({ memberId: null, appointmentId: null }, registered)).toEqual([]);
    const attended = close('appointment', { resolution: 'attended', evidence: { attendedOn: '2026-11-26' } });
    expect(closeEffects(item, attended)).toEqual([
      { type: 'appointment.attended', appointmentId: 'appointment-1', attendedOn: '2026-11-26' },
    ]);
  });

  it('settles a temporary move, or asks again on the next review date', () => {
    expect(
      closeEffects(item, close('move_review', { resolution: 'now_permanent', evidence: { note: 'tenancy signed' } })),
    ).toEqual([{ type: 'move.permanent' }]);
    const again = close('move_review', {
      resolution: 'still_temporary',
      evidence: { note: 'still with the aunt', nextReviewOn: '2027-02-01' },
    });
    expect(closeEffects(item, again)).toEqual([
      { type: 'move_review.open', firstChaseAt: firstChaseAt('move_review', { dueOn: '2027-02-01' }) },
    ]);
  });

  it('sets nothing else in motion for a manager’s “no longer required”', () => {
    const d = decideClose(
      open('agreed_action'),
      teams,
      who('manager'),
      { resolution: 'no_longer_required', reason: 'family moved on' },
      NOW,
    );
    expect(d.ok && closeEffects(item, d)).toEqual([]);
  });
});

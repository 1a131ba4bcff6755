/**
 * The child seen (issue 14 item 1): the due date of each child's child_seen item, who may record a
 * child seen and what the record must say, and who owns the item.
 */
import { childSeenDueOn, childSeenStatus, childSeenWorkingDaysFor, childrenToBeSeen } from './child-seen.js';
import { decideClose } from './chasing.js';
import { DEFAULT_CLOCK_POLICY, firstChaseAt, validateClockPolicy } from './clocks.js';
import {
  SAND_HV,
  T0,
  accepted,
  at,
  contactConfirmed,
  draftOf,
  expectOk,
  initiated,
  londonPrac,
  recvMgr,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  slSand,
  step,
} from './lifecycle.fixture.js';
import {
  chaseOwnerFor,
  decide,
  receivingChaseOwnerId,
  type Command,
  type Effect,
  type TransferState,
} from './lifecycle/index.js';
import { MOTHER, RS, SIBLING, quietFacts, reviewCaseFacts } from './review-case.fixture.js';
import { computeRiskFlags, criticalFlagCodes } from './risk-flags.js';

const MOVE = '2026-11-20'; // a Friday

describe('when a child is due to have been seen (childSeenDueOn)', () => {
  it('a 4-month-old: 5 working days after the move', () => {
    // RS was born 1 July 2026: 4 months old on the move date.
    expect(childSeenWorkingDaysFor(MOVE, '2026-07-01', false)).toBe(5);
    expect(childSeenDueOn(MOVE, '2026-07-01', false)).toBe('2026-11-27');
  });

  it('a 6-year-old with no critical flag: 10 working days after the move', () => {
    expect(childSeenWorkingDaysFor(MOVE, '2020-01-01', false)).toBe(10);
    expect(childSeenDueOn(MOVE, '2020-01-01', false)).toBe('2026-12-04');
  });

  it('any child when a critical flag is active: 5 working days', () => {
    expect(childSeenDueOn(MOVE, '2020-01-01', true)).toBe('2026-11-27');
  });

  it('"under 1" is at the move date: 11 months is under 1, a first birthday on the move date is not', () => {
    expect(childSeenWorkingDaysFor(MOVE, '2025-12-20', false)).toBe(5);
    expect(childSeenWorkingDaysFor(MOVE, '2025-11-21', false)).toBe(5);
    expect(childSeenWorkingDaysFor(MOVE, '2025-11-20', false)).toBe(10);
  });

  it('a child whose date of birth is not recorded gets the shorter clock (decision: the safer one)', () => {
    expect(childSeenWorkingDaysFor(MOVE, null, false)).toBe(5);
  });

  it('counts working days: weekends and bank holidays are skipped', () => {
    // Moved Friday 18 December 2026: 5 working days are 21, 22, 23, 24 and 29 December (25, 28 are holidays).
    expect(childSeenDueOn('2026-12-18', '2020-01-01', true)).toBe('2026-12-29');
  });

  it('both numbers are the one clock policy, from configuration', () => {
    const policy = { ...DEFAULT_CLOCK_POLICY, childSeenWorkingDays: 15, childSeenUrgentWorkingDays: 3 };
    expect(childSeenDueOn(MOVE, '2020-01-01', false, policy)).toBe('2026-12-11');
    expect(childSeenDueOn(MOVE, '2026-07-01', false, policy)).toBe('2026-11-25');
    expect(() => validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, childSeenUrgentWorkingDays: 0 })).toThrow(RangeError);
    expect(() =>
      validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, childSeenWorkingDays: 4, childSeenUrgentWorkingDays: 5 }),
    ).toThrow(/childSeenUrgentWorkingDays/);
  });

  it('the review case: both children 5 working days (critical flags); a quiet 6-year-old 10', () => {
    expect(criticalFlagCodes(computeRiskFlags(reviewCaseFacts())).length).toBeGreaterThan(0);
    expect(childrenToBeSeen(reviewCaseFacts()).map((c) => [c.member.id, c.dueOn])).toEqual([
      [RS, '2026-11-27'],
      [SIBLING, '2026-11-27'],
    ]);
    expect(childrenToBeSeen(quietFacts()).map((c) => [c.member.id, c.dueOn])).toEqual([['quiet-child', '2026-12-04']]);
  });
});

const seenOpens = (effects: readonly Effect[]) =>
  effects.filter(
    (e): e is Extract<Effect, { type: 'chase.open' }> => e.type === 'chase.open' && e.kind === 'child_seen',
  );

describe('every child has a child_seen item from initiation', () => {
  it('one per child (none for adults), due and first chased on its due day at 09:00', () => {
    const d = expectOk(decide(draftOf(), sendPrac, { type: 'initiate' }, T0));
    const opens = seenOpens(d.effects);
    expect(opens.map((e) => [e.memberId, e.dueOn])).toEqual([
      [RS, '2026-11-27'],
      [SIBLING, '2026-11-27'],
    ]);
    expect(opens.map((e) => e.memberId)).not.toContain(MOTHER);
    for (const e of opens) {
      expect(e.firstChaseAt).toEqual(at('2026-11-27T09:00:00Z'));
      expect(e.escalationLevel).toBe(0);
    }
    expect(firstChaseAt('child_seen', { dueOn: '2026-12-04' })).toEqual(at('2026-12-04T09:00:00Z'));
  });

  it('a quiet family: the 6-year-old is due 10 working days after the move', () => {
    const d = expectOk(decide(draftOf(quietFacts()), sendPrac, { type: 'initiate' }, T0));
    expect(seenOpens(d.effects).map((e) => e.dueOn)).toEqual(['2026-12-04']);
  });

  it('a re-initiation asks again about each child (the store skips those already seen or still open)', () => {
    const returned = step(initiated(), recvPrac, { type: 'return', reason: 'wrong team' }, at('2026-11-24T09:00:00Z'));
    const d = expectOk(decide(returned, sendPrac, { type: 'initiate' }, at('2026-11-24T10:00:00Z')));
    expect(seenOpens(d.effects).map((e) => e.memberId)).toEqual([RS, SIBLING]);
  });
});

describe('who owns a child_seen item: the receiving side', () => {
  it('before acceptance nobody by name — the receiving team (null); the sending side owns the rest', () => {
    const s = initiated();
    expect(receivingChaseOwnerId(s)).toBeNull();
    expect(chaseOwnerFor('child_seen', s)).toBeNull();
    expect(chaseOwnerFor('gp_registration', s)).toBe(sendPrac.id);
  });

  it('from acceptance the receiving lead', () => {
    const s = accepted();
    expect(chaseOwnerFor('child_seen', s)).toBe(recvPrac2.id);
  });

  it('child protection, accepted in: the interim lead, while the sending practitioner stays accountable', () => {
    const facts = quietFacts({ involvement: 'child_protection' });
    const s = step(
      contactConfirmed(facts),
      recvPrac,
      { type: 'accept', leadPractitioner: ref(recvPrac2) },
      at('2026-11-25T09:30:00Z'),
    );
    expect(s.status).toBe('awaiting_conference');
    expect(s.accountablePractitionerId).toBe(sendPrac.id);
    expect(chaseOwnerFor('child_seen', s)).toBe(recvPrac2.id);
  });

  it("a host notification: the host team's contact once named, and the acknowledgement moves the items to them", () => {
    const facts = quietFacts({ involvement: 'looked_after' });
    const d = expectOk(
      decide(
        contactConfirmed(facts),
        recvPrac,
        { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac) },
        at('2026-11-25T09:30:00Z'),
      ),
    );
    expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
    expect(receivingChaseOwnerId(d.state)).toBe(recvPrac.id);
    expect(d.effects).toContainEqual({ type: 'chase.transfer_ownership', to: sendPrac.id });
  });
});

function seenCommand(state: TransferState, over: Partial<Extract<Command, { type: 'recordChildSeen' }>> = {}): Command {
  return {
    type: 'recordChildSeen',
    memberId: RS,
    seenOn: '2026-11-24',
    seenBy: ref(recvPrac),
    where: 'home',
    seenAlone: false,
    itemOpen: true,
    ...over,
  };
}

const NOW = at('2026-11-25T12:00:00Z');

describe('recording a child seen (recordChildSeen)', () => {
  it('a receiving practitioner records it: the event says what was seen; status and accountability do not change', () => {
    const s = initiated();
    const d = expectOk(decide(s, recvPrac2, seenCommand(s), NOW));
    expect(d.event).toEqual({
      type: 'child.seen',
      at: NOW,
      memberId: RS,
      seenOn: '2026-11-24',
      seenById: recvPrac.id,
      where: 'home',
      seenAlone: false,
      recordedById: recvPrac2.id,
    });
    expect(d.state).toEqual(s);
    expect(d.effects).toEqual([{ type: 'packet.generate' }]);
  });

  it('a receiving manager may record it; after acceptance too', () => {
    expect(decide(initiated(), recvMgr, seenCommand(initiated()), NOW).ok).toBe(true);
    const s = accepted();
    expect(decide(s, recvPrac2, seenCommand(s, { seenOn: '2026-11-25' }), at('2026-11-25T16:00:00Z')).ok).toBe(true);
  });

  it('the sending side cannot (FORBIDDEN), nor a lead; a third area cannot see the transfer (NOT_VISIBLE)', () => {
    const s = initiated();
    for (const who of [sendPrac, sendMgr, slSand]) {
      const d = decide(s, who, seenCommand(s), NOW);
      expect(d.ok).toBe(false);
      if (!d.ok) expect([d.error, d.reasons[0]!.code]).toEqual(['FORBIDDEN', expect.any(String)]);
    }
    const sending = decide(s, sendPrac, seenCommand(s), NOW);
    expect(!sending.ok && sending.reasons.map((r) => r.code)).toEqual(['NOT_RECEIVING_SIDE']);
    const third = decide(s, londonPrac, seenCommand(s), NOW);
    expect(!third.ok && [third.error, third.reasons[0]!.code]).toEqual(['FORBIDDEN', 'NOT_VISIBLE']);
  });

  it('not on a draft (the receiving side cannot see one), nor once cancelled', () => {
    const draft = draftOf();
    const d = decide(draft, recvPrac, seenCommand(draft), NOW);
    expect(!d.ok && d.reasons.map((r) => r.code)).toEqual(['NOT_VISIBLE']);
    const cancelled = step(initiated(), sendPrac, { type: 'cancel', reason: 'family did not move' }, NOW);
    const c = decide(cancelled, recvPrac, seenCommand(cancelled), NOW);
    expect(!c.ok && c.error).toBe('INVALID_STATE');
  });

  it('every unmet rule at once: not a child, not a date, not a place, not a yes/no, not the receiving team', () => {
    const s = initiated();
    const d = decide(
      s,
      recvPrac,
      seenCommand(s, { memberId: MOTHER, seenOn: 'last week', where: 'car', seenAlone: 'yes', seenBy: ref(sendPrac) }),
      NOW,
    );
    expect(!d.ok && d.error).toBe('PRECONDITION_FAILED');
    expect(!d.ok && d.reasons.map((r) => r.code)).toEqual([
      'NOT_A_CHILD_OF_TRANSFER',
      'SEEN_DATE_INVALID',
      'SEEN_BY_NOT_IN_RECEIVING_TEAM',
      'SEEN_WHERE_INVALID',
      'SEEN_ALONE_MISSING',
    ]);
    const unknown = decide(s, recvPrac, seenCommand(s, { memberId: 'someone-else' }), NOW);
    expect(!unknown.ok && unknown.reasons.map((r) => [r.code, r.memberIds])).toEqual([
      ['NOT_A_CHILD_OF_TRANSFER', ['someone-else']],
    ]);
  });

  it('seenOn: not in the future (London date), not before the move', () => {
    const s = initiated();
    const future = decide(s, recvPrac, seenCommand(s, { seenOn: '2026-11-26' }), NOW);
    expect(!future.ok && future.reasons.map((r) => r.code)).toEqual(['SEEN_IN_FUTURE']);
    const before = decide(s, recvPrac, seenCommand(s, { seenOn: '2026-11-19' }), NOW);
    expect(!before.ok && before.reasons.map((r) => r.code)).toEqual(['SEEN_BEFORE_MOVE']);
    // On the move date itself, and today, are fine.
    expect(decide(s, recvPrac, seenCommand(s, { seenOn: MOVE }), NOW).ok).toBe(true);
    expect(decide(s, recvPrac, seenCommand(s, { seenOn: '2026-11-25' }), NOW).ok).toBe(true);
  });

  it('seenById: an active practitioner of the receiving team', () => {
    const s = initiated();
    const gone = decide(s, recvPrac, seenCommand(s, { seenBy: { id: 'p-gone', teamId: SAND_HV, active: false } }), NOW);
    expect(!gone.ok && gone.reasons.map((r) => r.code)).toEqual(['SEEN_BY_INACTIVE']);
    const third = decide(s, recvPrac, seenCommand(s, { seenBy: ref(londonPrac) }), NOW);
    expect(!third.ok && third.reasons.map((r) => r.code)).toEqual(['SEEN_BY_NOT_IN_RECEIVING_TEAM']);
  });

  it('a child already recorded as seen is refused', () => {
    const s = initiated();
    const d = decide(s, recvPrac, seenCommand(s, { itemOpen: false }), NOW);
    expect(!d.ok && d.reasons.map((r) => r.code)).toEqual(['CHILD_ALREADY_SEEN']);
  });

  it('the generic close endpoint does not close a child_seen item with evidence; a manager may close it as no longer required', () => {
    const teams = { sendingTeamId: 'team-birmingham-hv', receivingTeamId: SAND_HV };
    const item = { kind: 'child_seen' as const, status: 'open' as const };
    const d = decideClose(item, teams, recvPrac, { resolution: 'seen' }, NOW);
    expect(!d.ok && d.reasons.map((r) => r.code)).toEqual(['CHILD_SEEN_RECORDED_ON_ITS_OWN']);
    expect(
      decideClose(item, teams, recvMgr, { resolution: 'no_longer_required', reason: 'the child moved on again' }, NOW)
        .ok,
    ).toBe(true);
  });
});

describe('what the transfer page says about a child (childSeenStatus)', () => {
  it('not seen: working days since the move to today, overdue once past the due day', () => {
    expect(childSeenStatus(MOVE, { dueOn: '2026-11-27', seenOn: null }, '2026-11-27')).toEqual({
      seen: false,
      dueOn: '2026-11-27',
      overdue: false,
      workingDaysSinceMove: 5,
    });
    expect(childSeenStatus(MOVE, { dueOn: '2026-11-27', seenOn: null }, '2026-11-30')).toEqual({
      seen: false,
      dueOn: '2026-11-27',
      overdue: true,
      workingDaysSinceMove: 6,
    });
  });

  it('seen: working days from the move to the day they were seen, never overdue', () => {
    expect(childSeenStatus(MOVE, { dueOn: '2026-11-27', seenOn: '2026-11-24' }, '2026-12-10')).toEqual({
      seen: true,
      dueOn: '2026-11-27',
      overdue: false,
      workingDaysSinceMove: 2,
    });
  });

  it('no item (a draft): not seen, no due date, counted from the move', () => {
    expect(childSeenStatus(MOVE, null, '2026-11-20')).toEqual({
      seen: false,
      dueOn: null,
      overdue: false,
      workingDaysSinceMove: 0,
    });
  });
});

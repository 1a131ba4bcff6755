/**
 * Host notifications and temporary moves (issue 13 items 2 and 3), from the procedures' cases:
 * Sussex 1.7.5 (a looked-after child or a child subject to a statutory order: the originating
 * authority keeps responsibility, the host area is notified and names a contact), Tees (a stay
 * under 15 days may remain with the originating area), Wales (a stay over 12 weeks is a transfer).
 */
import { availableActions } from './available-actions.js';
import { decideClose } from './chasing.js';
import { DEFAULT_CLOCK_POLICY, isShortStay, moveReviewOn, validateClockPolicy } from './clocks.js';
import type { TransferFacts } from './facts.js';
import {
  accepted,
  at,
  contactConfirmed,
  contactRecorded,
  criticalAcknowledged,
  initiated,
  recvMgr,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  sendPrac2,
  T0,
  draftOf,
} from './lifecycle.fixture.js';
import {
  SYSTEM_ACTOR,
  accountableTeamId,
  closeIfDone,
  decide,
  hostNotificationGrounds,
  transferKind,
  type Effect,
} from './lifecycle/index.js';
import { quietFacts, reviewCaseFacts } from './review-case.fixture.js';

const lookedAfter = () => quietFacts({ involvement: 'looked_after' });
const careOrder = () =>
  quietFacts({
    household: quietFacts().household.map((m) => (m.role === 'child' ? { ...m, statutoryOrder: 'care_order' } : m)),
  });
const shortStay = (over: Partial<TransferFacts> = {}) =>
  quietFacts({
    moveType: 'temporary',
    moveDate: '2026-11-20',
    expectedUntil: '2026-11-30',
    shortStayChoice: { recordAs: 'host_notification', reason: 'ten days in the refuge, then home' },
    ...over,
  });

const codes = (d: ReturnType<typeof decide>) => (d.ok ? [] : d.reasons.map((r) => r.code));

describe('what a transfer is: kind and grounds', () => {
  it('a looked-after child, a child under a statutory order, or a short stay chosen so, is a host notification', () => {
    expect(hostNotificationGrounds(lookedAfter())).toEqual(['looked_after']);
    expect(hostNotificationGrounds(careOrder())).toEqual(['statutory_order']);
    expect(hostNotificationGrounds(shortStay())).toEqual(['short_temporary_stay']);
    expect(transferKind(careOrder())).toBe('host_notification');
    expect(transferKind(quietFacts())).toBe('transfer');
    expect(transferKind(reviewCaseFacts())).toBe('transfer');
    // a statutory order recorded against an adult does not make it one (a child-only field)
    const adultOrder = quietFacts({
      household: quietFacts().household.map((m) => (m.role !== 'child' ? { ...m, statutoryOrder: 'other' } : m)),
    });
    expect(transferKind(adultOrder)).toBe('transfer');
    // a short stay recorded as a transfer stays a transfer
    expect(
      transferKind(shortStay({ shortStayChoice: { recordAs: 'transfer', reason: 'the family may stay on' } })),
    ).toBe('transfer');
  });
});

describe('a host notification', () => {
  it('is never accepted: accept is refused naming why, whoever asks', () => {
    const s = criticalAcknowledged(careOrder());
    for (const who of [recvPrac, recvMgr]) {
      const d = decide(s, who, { type: 'accept', leadPractitioner: ref(recvPrac2) }, at('2026-11-25T09:30:00Z'));
      expect(codes(d)).toEqual(['HOST_NOTIFICATION_NOT_ACCEPTED']);
      expect(!d.ok && d.reasons[0].message).toContain('a child subject to a statutory order');
    }
  });

  it('is acknowledged by the host team naming its contact; the sending practitioner stays accountable', () => {
    const s = criticalAcknowledged(lookedAfter());
    const d = decide(
      s,
      recvPrac,
      { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac2) },
      at('2026-11-25T09:30:00Z'),
    );
    if (!d.ok) throw new Error(d.reasons.map((r) => r.code).join());
    expect(d.event.type).toBe('notification.acknowledged');
    expect(d.state.status).toBe('notification_acknowledged');
    expect(d.state.hostContactPractitionerId).toBe(recvPrac2.id);
    expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
    expect(accountableTeamId(d.state)).toBe(sendPrac.teamId);
    expect(d.effects).toEqual<Effect[]>([
      { type: 'chase.close', kind: 'direct_contact', resolution: 'acknowledged' },
      // the sending practitioner keeps their loose ends; the children to be seen become the host contact's (issue 14 item 1)
      { type: 'chase.transfer_ownership', to: sendPrac.id },
      { type: 'notify', message: 'notification.acknowledged', to: ['sending_team', 'accountable_practitioner'] },
    ]);
    // it closes once its loose ends are closed, like an accepted transfer, and stays the sending side's
    expect(codes(closeIfDone(d.state, 2, at('2026-11-26T09:00:00Z')))).toEqual(['CHASE_ITEMS_OPEN']);
    const closed = closeIfDone(d.state, 0, at('2026-11-26T09:00:00Z'));
    if (!closed.ok) throw new Error('not closed');
    expect(closed.state.status).toBe('closed');
    expect(accountableTeamId(closed.state)).toBe(sendPrac.teamId);
    // a sending-side manager may still reassign it within the sending team; the host side may not
    const reassigned = decide(d.state, sendMgr, { type: 'reassign', to: ref(sendPrac2) }, T0);
    expect(reassigned.ok && reassigned.state.accountablePractitionerId).toBe(sendPrac2.id);
    expect(codes(decide(d.state, sendMgr, { type: 'reassign', to: ref(recvPrac) }, T0))).toEqual([
      'ASSIGNEE_NOT_IN_TEAM',
    ]);
    expect(codes(decide(d.state, recvMgr, { type: 'reassign', to: ref(recvPrac) }, T0))).toEqual([
      'NOT_ACCOUNTABLE_SIDE_MANAGER',
    ]);
  });

  it('once the record is agreed, asks the host team to acknowledge it, never to accept', () => {
    const s = contactRecorded(lookedAfter());
    const d = decide(s, sendPrac, { type: 'confirmContact', agree: true }, at('2026-11-24T14:00:00Z'));
    if (!d.ok) throw new Error(d.reasons.map((r) => r.code).join());
    expect(d.effects).toContainEqual<Effect>({
      type: 'notify',
      message: 'notification.contact_confirmed',
      to: ['receiving_team'],
    });
    expect(d.effects.some((e) => e.type === 'notify' && e.message === 'contact.confirmed')).toBe(false);
    // a transfer of responsibility keeps its own message
    const transfer = decide(contactRecorded(), sendPrac, { type: 'confirmContact', agree: true }, T0);
    expect(transfer.ok && transfer.effects.filter((e) => e.type === 'notify')).toEqual([
      { type: 'notify', message: 'contact.confirmed', to: ['receiving_team'] },
    ]);
  });

  it('needs the same conversation, check-back and critical-flag advice, and a contact in the host team', () => {
    const reviewUnderOrder = reviewCaseFacts({
      household: reviewCaseFacts().household.map((m) =>
        m.role === 'child' ? { ...m, statutoryOrder: 'interim_care_order' } : m,
      ),
    });
    const confirmed = contactConfirmed(reviewUnderOrder);
    const d = decide(
      confirmed,
      recvPrac,
      { type: 'acknowledgeNotification', contactPractitioner: { ...ref(sendPrac2), active: false } },
      at('2026-11-25T09:30:00Z'),
    );
    expect(codes(d)).toEqual(['CRITICAL_FLAGS_NOT_ACKNOWLEDGED', 'CONTACT_NOT_IN_HOST_TEAM', 'CONTACT_INACTIVE']);
    expect(
      codes(
        decide(
          initiated(lookedAfter()),
          recvPrac,
          { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac) },
          T0,
        ),
      ),
    ).toEqual(['NOT_ALLOWED_FROM_STATUS']);
    expect(
      codes(
        decide(
          criticalAcknowledged(lookedAfter()),
          sendPrac,
          { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac) },
          at('2026-11-25T09:30:00Z'),
        ),
      ),
    ).toEqual(['NOT_RECEIVING_SIDE']);
  });

  it('a transfer of responsibility cannot be acknowledged as a notification', () => {
    const d = decide(
      criticalAcknowledged(quietFacts()),
      recvPrac,
      { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac) },
      at('2026-11-25T09:30:00Z'),
    );
    expect(codes(d)).toEqual(['NOT_HOST_NOTIFICATION']);
    expect(accepted(quietFacts()).status).toBe('accepted');
  });

  it('its initiation tells the host team it is a notification; its loose ends are the sending practitioner’s', () => {
    const d = decide(draftOf(careOrder()), sendPrac, { type: 'initiate' }, T0);
    if (!d.ok) throw new Error(d.reasons.map((r) => r.code).join());
    expect(d.effects).toContainEqual({ type: 'notify', message: 'notification.initiated', to: ['receiving_team'] });
    expect(d.effects.some((e) => e.type === 'chase.transfer_ownership')).toBe(false);
  });

  it('offers the host team acknowledgeNotification instead of accept', () => {
    const offered = availableActions(criticalAcknowledged(lookedAfter()), recvPrac, at('2026-11-25T09:30:00Z'));
    expect(offered.map((a) => a.action)).toEqual(['recordContact', 'acknowledgeNotification', 'return']);
    expect(offered.find((a) => a.action === 'acknowledgeNotification')?.allowed).toBe(true);
    const transfer = availableActions(criticalAcknowledged(quietFacts()), recvPrac, at('2026-11-25T09:30:00Z'));
    expect(transfer.map((a) => a.action)).toEqual(['recordContact', 'accept', 'return']);
  });
});

describe('temporary moves', () => {
  const initiate = (facts: TransferFacts) => decide(draftOf(facts), sendPrac, { type: 'initiate' }, T0);

  it('need expectedUntil or reviewOn', () => {
    expect(codes(initiate(quietFacts({ moveType: 'temporary' })))).toEqual(['TEMPORARY_MOVE_DATES_MISSING']);
    expect(initiate(quietFacts({ moveType: 'temporary', reviewOn: '2027-01-10' })).ok).toBe(true);
    expect(initiate(quietFacts({ moveType: 'temporary', expectedUntil: '2027-03-01' })).ok).toBe(true);
    expect(codes(initiate(quietFacts({ moveType: 'temporary', expectedUntil: '2026-11-01' })))).toContain(
      'EXPECTED_UNTIL_BEFORE_MOVE',
    );
    expect(initiate(quietFacts({ moveType: 'permanent' })).ok).toBe(true);
  });

  it('a stay under the short-stay threshold (15 days) needs the sending side’s choice, with its reason', () => {
    expect(isShortStay('2026-11-20', '2026-12-04')).toBe(true); // 14 days
    expect(isShortStay('2026-11-20', '2026-12-05')).toBe(false); // 15 days
    expect(codes(initiate(shortStay({ shortStayChoice: null })))).toEqual(['SHORT_STAY_CHOICE_MISSING']);
    expect(codes(initiate(shortStay({ shortStayChoice: { recordAs: 'host_notification', reason: '  ' } })))).toEqual([
      'SHORT_STAY_REASON_MISSING',
    ]);
    expect(initiate(shortStay()).ok).toBe(true);
    expect(initiate(shortStay({ shortStayChoice: { recordAs: 'transfer', reason: 'may stay on' } })).ok).toBe(true);
    // only a short stay may be recorded as a host notification instead of a transfer
    expect(codes(initiate(shortStay({ expectedUntil: '2026-12-20' })))).toEqual(['SHORT_STAY_NOT_SHORT']);
    // the threshold comes from the clock policy
    const longer = { ...DEFAULT_CLOCK_POLICY, shortStayDays: 40 };
    expect(
      codes(
        decide(draftOf(shortStay({ expectedUntil: '2026-12-20' })), sendPrac, { type: 'initiate' }, T0, {
          clocks: longer,
        }),
      ),
    ).toEqual([]);
  });

  it('a temporary transfer opens a move_review chased at reviewOn or the 12-week threshold, whichever is first', () => {
    expect(moveReviewOn('2026-11-20', null)).toBe('2027-02-12'); // 12 weeks
    expect(moveReviewOn('2026-11-20', '2027-01-08')).toBe('2027-01-08');
    expect(moveReviewOn('2026-11-20', '2027-06-01')).toBe('2027-02-12');
    const d = initiate(quietFacts({ moveType: 'temporary', expectedUntil: '2027-06-01' }));
    if (!d.ok) throw new Error(d.reasons.map((r) => r.code).join());
    const review = d.effects.filter((e) => e.type === 'chase.open' && e.kind === 'move_review');
    expect(review).toEqual([
      { type: 'chase.open', kind: 'move_review', firstChaseAt: at('2027-02-12T09:00:00Z'), escalationLevel: 0 },
    ]);
    // a host notification (short stay) or a permanent move has no move review
    for (const facts of [shortStay(), quietFacts({ moveType: 'permanent' })]) {
      const other = initiate(facts);
      expect(other.ok && other.effects.some((e) => e.type === 'chase.open' && e.kind === 'move_review')).toBe(false);
    }
    // accepted, the review moves to the receiving lead with every other loose end
    expect(accepted(quietFacts({ moveType: 'temporary', reviewOn: '2027-01-08' })).accountablePractitionerId).toBe(
      recvPrac2.id,
    );
  });

  it('a move review closes with the answer: now permanent, or still temporary with the next review date', () => {
    const item = { kind: 'move_review' as const, status: 'open' as const };
    const teams = { sendingTeamId: sendPrac.teamId!, receivingTeamId: recvPrac.teamId! };
    const now = at('2027-02-12T10:00:00Z');
    expect(
      decideClose(item, teams, recvPrac, { resolution: 'now_permanent', evidence: { note: 'tenancy signed' } }, now),
    ).toEqual({
      ok: true,
      resolution: 'now_permanent',
      evidence: { note: 'tenancy signed' },
    });
    expect(
      decideClose(
        item,
        teams,
        recvPrac,
        { resolution: 'still_temporary', evidence: { note: 'still in the refuge', nextReviewOn: '2027-03-12' } },
        now,
      ),
    ).toEqual({
      ok: true,
      resolution: 'still_temporary',
      evidence: { note: 'still in the refuge', nextReviewOn: '2027-03-12' },
    });
    const refused = (r: Parameters<typeof decideClose>[3]) => {
      const d = decideClose(item, teams, recvPrac, r, now);
      return d.ok ? [] : d.reasons.map((x) => x.code);
    };
    expect(refused({ resolution: 'still_temporary', evidence: { note: 'x', nextReviewOn: '2027-02-12' } })).toEqual([
      'EVIDENCE_MISSING',
    ]);
    expect(refused({ resolution: 'still_temporary', evidence: { note: ' ' } })).toEqual([
      'EVIDENCE_MISSING',
      'EVIDENCE_MISSING',
    ]);
    expect(refused({ resolution: 'completed', evidence: { note: 'x' } })).toEqual(['EVIDENCE_RESOLUTION_MISMATCH']);
    expect(
      decideClose(item, teams, SYSTEM_ACTOR, { resolution: 'now_permanent', evidence: { note: 'x' } }, now).ok,
    ).toBe(false);
  });

  it('the thresholds are in the one clock policy and validated', () => {
    expect(DEFAULT_CLOCK_POLICY.shortStayDays).toBe(15);
    expect(DEFAULT_CLOCK_POLICY.moveReviewWeeks).toBe(12);
    expect(() => validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, moveReviewWeeks: 0 })).toThrow(/moveReviewWeeks/);
    expect(() => validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, shortStayDays: 1.5 })).toThrow(/shortStayDays/);
  });
});

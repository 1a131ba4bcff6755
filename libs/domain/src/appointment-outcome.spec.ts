/**
 * An appointment's outcome as a lifecycle decision (issue 11 item 2): `recordOutcome` is decided
 * by decide() — only while the transfer is in progress, by either team — and its event carries the
 * outcome and what happens to the appointment's chase item.
 */
import {
  accepted,
  admin,
  at,
  draftOf,
  expectOk,
  initiated,
  londonPrac,
  recvPrac,
  sendMgr,
  sendPrac,
  slSand,
  step,
  T0,
} from './lifecycle.fixture.js';
import { decide, type Command, type TransferState } from './lifecycle/index.js';
import { member, quietFacts, SIBLING } from './review-case.fixture.js';
import { computeRiskFlags } from './risk-flags.js';

const facts = () =>
  quietFacts({
    appointments: [{ id: 'appt-1', memberId: 'quiet-child', status: 'scheduled', dueOn: '2026-11-26' }],
  });
const outcome = (over: Partial<Extract<Command, { type: 'recordOutcome' }>> = {}): Command => ({
  type: 'recordOutcome',
  appointmentId: 'appt-1',
  status: 'was_not_brought',
  chase: null,
  ...over,
});
/** Thursday 26 November 2026, 15:00 GMT: the day of the appointment. */
const NOW = at('2026-11-26T15:00:00Z');

describe('recordOutcome', () => {
  it('is refused unless the transfer is in progress, in the words the API has always used', () => {
    const draft = draftOf(facts());
    const d = decide(draft, sendPrac, outcome(), NOW);
    expect(d).toEqual(
      expect.objectContaining({
        ok: false,
        error: 'INVALID_STATE',
        reasons: [
          {
            code: 'NOT_ALLOWED_FROM_STATUS',
            message: 'outcomes are recorded for transfers in progress; this one is not initiated yet',
          },
        ],
      }),
    );
    const cancelled = step(initiated(facts()), sendPrac, { type: 'cancel', reason: 'did not move' }, T0);
    const c = decide(cancelled, sendPrac, outcome(), NOW);
    expect(!c.ok && c.reasons[0]!.message).toBe(
      'outcomes are recorded for transfers in progress; this one is cancelled',
    );
    expect(!c.ok && c.error).toBe('INVALID_STATE');
  });

  it('is for either team only: a safeguarding lead is told why, a third area cannot see it', () => {
    const s = initiated(facts());
    const lead = decide(s, slSand, outcome(), NOW);
    expect(!lead.ok && [lead.error, lead.reasons[0]!.code]).toEqual(['FORBIDDEN', 'NOT_ON_EITHER_TEAM']);
    const london = decide(s, londonPrac, outcome(), NOW);
    expect(!london.ok && london.reasons[0]!.code).toBe('NOT_VISIBLE');
    expect(decide(s, admin, outcome(), NOW).ok).toBe(false);
    expect(decide(s, sendMgr, outcome(), NOW).ok).toBe(true);
    expect(decide(s, recvPrac, outcome(), NOW).ok).toBe(true);
  });

  it('gives every unmet precondition: an unknown appointment, a future attendance, a rebooking in the past', () => {
    const s = initiated(facts());
    const unknown = decide(s, recvPrac, outcome({ appointmentId: 'appt-none' }), NOW);
    expect(!unknown.ok && unknown.error).toBe('PRECONDITION_FAILED');
    const future = decide(s, recvPrac, outcome({ status: 'attended', attendedOn: '2026-11-27' }), NOW);
    expect(!future.ok && future.reasons.map((r) => r.code)).toEqual(['EVIDENCE_IN_FUTURE']);
    const past = decide(s, recvPrac, outcome({ rebookedFor: '2026-11-25' }), NOW);
    expect(!past.ok && past.reasons.map((r) => r.message)).toEqual(['rebookedFor must be today or later']);
  });

  it('was_not_brought with no open chase item opens one, escalated once and chased now; the flag follows', () => {
    const s = initiated(facts());
    expect(computeRiskFlags(s.facts).map((f) => f.code)).not.toContain('WAS_NOT_BROUGHT');
    const d = expectOk(decide(s, recvPrac, outcome(), NOW));
    expect(d.event).toEqual({
      type: 'appointment.outcome',
      appointmentId: 'appt-1',
      memberId: 'quiet-child',
      outcome: { status: 'was_not_brought', rebookedFor: null },
      chase: {
        action: 'open',
        kind: 'appointment',
        memberId: 'quiet-child',
        appointmentId: 'appt-1',
        escalationLevel: 1,
        nextChaseAt: NOW,
      },
      leadsAlerted: false,
      recordedById: recvPrac.id,
      recordedAt: NOW,
    });
    expect(d.state.status).toBe(s.status);
    expect(d.state.facts.appointments[0]!.status).toBe('was_not_brought');
    expect(computeRiskFlags(d.state.facts).map((f) => f.code)).toContain('WAS_NOT_BROUGHT');
    expect(d.effects).toEqual([]);
  });

  it('was_not_brought escalates the open item and chases it the working day after the rebooked date', () => {
    const s = initiated(facts());
    const d = expectOk(
      decide(s, sendPrac, outcome({ rebookedFor: '2026-12-04', chase: { id: 'item-1', escalationLevel: 1 } }), NOW),
    );
    expect(d.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'was_not_brought', rebookedFor: '2026-12-04' },
        chase: { action: 'escalate', itemId: 'item-1', escalationLevel: 2, nextChaseAt: at('2026-12-07T09:00:00Z') },
      }),
    );
  });

  it('attended closes the open item with the attendance as evidence (or does nothing to the chase)', () => {
    const s: TransferState = accepted(
      quietFacts({
        appointments: [{ id: 'appt-1', memberId: 'quiet-child', status: 'was_not_brought', dueOn: '2026-11-20' }],
      }),
    );
    const d = expectOk(
      decide(
        s,
        recvPrac,
        outcome({ status: 'attended', attendedOn: '2026-11-26', chase: { id: 'item-1', escalationLevel: 1 } }),
        NOW,
      ),
    );
    expect(d.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'attended', attendedOn: '2026-11-26' },
        chase: { action: 'close', itemId: 'item-1', resolution: 'attended', evidence: { attendedOn: '2026-11-26' } },
      }),
    );
    expect(d.state.status).toBe('accepted');
    expect(computeRiskFlags(d.state.facts).map((f) => f.code)).not.toContain('WAS_NOT_BROUGHT');
    const none = expectOk(decide(s, recvPrac, outcome({ status: 'attended', attendedOn: '2026-11-26' }), NOW));
    expect(none.event).toEqual(expect.objectContaining({ chase: { action: 'none' } }));
  });

  it('never changes anything but the one appointment', () => {
    const two = quietFacts({
      appointments: [
        { id: 'appt-1', memberId: 'quiet-child', status: 'scheduled', dueOn: '2026-11-26' },
        { id: 'appt-2', memberId: SIBLING, status: 'scheduled', dueOn: '2026-11-30' },
      ],
    });
    const s = initiated(two);
    const d = expectOk(decide(s, recvPrac, outcome(), NOW));
    expect(d.state).toEqual({
      ...s,
      facts: {
        ...s.facts,
        appointments: [{ ...s.facts.appointments[0]!, status: 'was_not_brought' }, s.facts.appointments[1]],
      },
    });
  });
});

/** Signs of non-engagement (issue 14 item 5), from the cases. */
describe('no access, carer cancellations and reschedules', () => {
  const onPlan = () =>
    quietFacts({
      involvement: 'child_protection',
      household: [
        ...quietFacts().household,
        member({
          id: 'sibling',
          role: 'child',
          dateOfBirth: '2022-05-01',
          nhsNumber: '9434765919',
          mobility: 'mobile',
        }),
      ],
      appointments: [
        { id: 'appt-1', memberId: 'quiet-child', status: 'scheduled', dueOn: '2026-11-26' },
        { id: 'appt-2', memberId: 'sibling', status: 'scheduled', dueOn: '2026-11-27' },
        { id: 'appt-3', memberId: 'sibling', status: 'scheduled', dueOn: '2026-11-30' },
      ],
    });

  it('a single no-access visit for a child on a plan alerts both areas’ safeguarding leads at once', () => {
    const s = initiated(onPlan());
    const d = expectOk(
      decide(s, recvPrac, outcome({ status: 'no_access', chase: { id: 'item-1', escalationLevel: 0 } }), NOW),
    );
    expect(d.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'no_access', rebookedFor: null },
        // straight to the top of the ladder: owner, manager and both areas' leads
        chase: { action: 'escalate', itemId: 'item-1', escalationLevel: 2, nextChaseAt: NOW },
        leadsAlerted: true,
      }),
    );
    expect(d.effects).toEqual([
      { type: 'notify', message: 'appointment.missed_on_plan', to: ['safeguarding_leads'] },
      { type: 'packet.generate' },
    ]);
    const wnb = computeRiskFlags(d.state.facts).find((f) => f.code === 'WAS_NOT_BROUGHT')!;
    expect(wnb).toEqual(
      expect.objectContaining({ severity: 'high', summary: 'no access at 1 home visit for 1 child' }),
    );
    // not brought, too; and neither alerts anyone at once when the family is not on a plan
    expect(expectOk(decide(s, recvPrac, outcome(), NOW)).effects[0]).toEqual(
      expect.objectContaining({ message: 'appointment.missed_on_plan' }),
    );
    const notOnPlan = initiated(facts());
    const quiet = expectOk(decide(notOnPlan, recvPrac, outcome({ status: 'no_access' }), NOW));
    expect(quiet.effects).toEqual([]);
    expect(quiet.event).toEqual(expect.objectContaining({ leadsAlerted: false }));
    expect(quiet.event).toEqual(expect.objectContaining({ chase: expect.objectContaining({ escalationLevel: 1 }) }));
  });

  it('three reschedules across two siblings raise REPEATED_CANCELLATIONS (high): possible disguised compliance', () => {
    let s = initiated(onPlan());
    const reschedule = (id: string, to: string) =>
      outcome({ appointmentId: id, status: 'rescheduled', rescheduledFor: to });
    s = expectOk(decide(s, sendPrac, reschedule('appt-1', '2026-12-03'), NOW)).state;
    expect(computeRiskFlags(s.facts).map((f) => f.code)).not.toContain('REPEATED_CANCELLATIONS');
    s = expectOk(decide(s, recvPrac, reschedule('appt-2', '2026-12-04'), NOW)).state;
    const d = expectOk(decide(s, recvPrac, reschedule('appt-3', '2026-12-07'), NOW));
    expect(d.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'rescheduled', rescheduledFor: '2026-12-07', carerCancellations: 1 },
        // chased the working day after the new date, at its level; nobody alerted
        chase: expect.objectContaining({ action: 'open', escalationLevel: 0, nextChaseAt: at('2026-12-08T09:00:00Z') }),
        leadsAlerted: false,
      }),
    );
    const flag = computeRiskFlags(d.state.facts).find((f) => f.code === 'REPEATED_CANCELLATIONS')!;
    expect(flag).toEqual({
      code: 'REPEATED_CANCELLATIONS',
      severity: 'high',
      memberIds: ['quiet-child', 'sibling'],
      summary: 'possible disguised compliance: 3 appointments cancelled or rescheduled by the carer across 2 children',
    });
  });

  it('counts every cancellation of one appointment, and attending later does not erase them', () => {
    let s = initiated(facts());
    s = expectOk(decide(s, recvPrac, outcome({ status: 'cancelled_by_carer' }), NOW)).state;
    expect(computeRiskFlags(s.facts).map((f) => f.code)).not.toContain('REPEATED_CANCELLATIONS');
    const moved = expectOk(decide(s, recvPrac, outcome({ status: 'rescheduled', rescheduledFor: '2026-12-01' }), NOW));
    expect(moved.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'rescheduled', rescheduledFor: '2026-12-01', carerCancellations: 2 },
      }),
    );
    const attended = expectOk(
      decide(moved.state, recvPrac, outcome({ status: 'attended', attendedOn: '2026-11-26' }), NOW),
    );
    expect(computeRiskFlags(attended.state.facts).map((f) => f.code)).toContain('REPEATED_CANCELLATIONS');
  });

  it('a carer’s cancellation keeps the chase at its level; a reschedule needs its new date, today or later', () => {
    const s = initiated(facts());
    const cancelled = expectOk(
      decide(
        s,
        recvPrac,
        outcome({ status: 'cancelled_by_carer', rebookedFor: '2026-12-02', chase: { id: 'i', escalationLevel: 1 } }),
        NOW,
      ),
    );
    expect(cancelled.event).toEqual(
      expect.objectContaining({
        outcome: { status: 'cancelled_by_carer', rebookedFor: '2026-12-02', carerCancellations: 1 },
        chase: { action: 'escalate', itemId: 'i', escalationLevel: 1, nextChaseAt: at('2026-12-03T09:00:00Z') },
      }),
    );
    const missing = decide(s, recvPrac, outcome({ status: 'rescheduled' }), NOW);
    expect(!missing.ok && missing.reasons.map((r) => r.message)).toEqual(['give rescheduledFor as YYYY-MM-DD']);
    const past = decide(s, recvPrac, outcome({ status: 'rescheduled', rescheduledFor: '2026-11-25' }), NOW);
    expect(!past.ok && past.reasons.map((r) => r.message)).toEqual(['rescheduledFor must be today or later']);
  });

  it('WAS_NOT_BROUGHT’s pattern counts no-access visits too', () => {
    let s = initiated(onPlan());
    s = expectOk(decide(s, recvPrac, outcome({ status: 'no_access' }), NOW)).state;
    s = expectOk(decide(s, recvPrac, outcome({ appointmentId: 'appt-2' }), NOW)).state;
    expect(computeRiskFlags(s.facts).find((f) => f.code === 'WAS_NOT_BROUGHT')!.summary).toBe(
      'pattern of not being brought: 2 appointments missed across 2 children (1 home visit with no access)',
    );
  });

  it('at initiation, an appointment already recorded as no access is chased escalated, like one not brought', () => {
    const d = expectOk(
      decide(
        draftOf(
          quietFacts({
            appointments: [
              { id: 'a-na', memberId: 'quiet-child', status: 'no_access', dueOn: '2026-11-10' },
              { id: 'a-cc', memberId: 'quiet-child', status: 'cancelled_by_carer', dueOn: '2026-11-12' },
            ],
          }),
        ),
        sendPrac,
        { type: 'initiate' },
        T0,
      ),
    );
    const opened = d.effects.filter((e) => e.type === 'chase.open' && e.kind === 'appointment');
    expect(opened.map((e) => e.type === 'chase.open' && [e.appointmentId, e.escalationLevel])).toEqual([
      ['a-na', 1],
      ['a-cc', 0],
    ]);
  });
});

import fc from 'fast-check';
import { isWorkingDay, londonDate } from './calendar.js';
import { DEFAULT_CLOCK_POLICY, validateClockPolicy } from './clocks.js';
import type { Actor } from './lifecycle/state.js';
import {
  canSeeRequest,
  decideOpenRequest,
  decideRespond,
  isRequestOverdue,
  nextRequestReminder,
  requestDueAt,
  requestDueForErasure,
  requestMonitoringScopeFor,
  requestVisibilityFor,
  type TransferRequestFacts,
} from './transfer-requests.js';
import type { EscalationLevel, TransferRequestStatus } from './vocabulary.js';

// The review's family, seen from the other end: Sandwell health visiting finds that a baby known to
// Birmingham has moved in, unannounced, and asks Birmingham children's social care to transfer.
const SANDWELL = 'area-sandwell';
const BIRMINGHAM = 'area-birmingham';
const DUDLEY = 'area-dudley';
const harriet: Actor = { id: 'harriet', teamId: 'sandwell-hv', areaId: SANDWELL, role: 'practitioner' };
const sandwellManager: Actor = { id: 'nadia', teamId: 'sandwell-hv', areaId: SANDWELL, role: 'manager' };
const hana: Actor = { id: 'hana', teamId: 'birmingham-csc', areaId: BIRMINGHAM, role: 'practitioner' };
const birminghamManager: Actor = { id: 'bm', teamId: 'birmingham-csc', areaId: BIRMINGHAM, role: 'manager' };
const birminghamHv: Actor = { id: 'bhv', teamId: 'birmingham-hv', areaId: BIRMINGHAM, role: 'practitioner' };
const lena: Actor = { id: 'lena', teamId: 'sandwell-csc', areaId: SANDWELL, role: 'safeguarding_lead' };
const birminghamLead: Actor = { id: 'bl', teamId: 'birmingham-lead', areaId: BIRMINGHAM, role: 'safeguarding_lead' };
const dudleyLead: Actor = { id: 'dl', teamId: 'dudley-csc', areaId: DUDLEY, role: 'safeguarding_lead' };
const dudleyWorker: Actor = { id: 'dw', teamId: 'dudley-csc', areaId: DUDLEY, role: 'practitioner' };
const admin: Actor = { id: 'admin', teamId: null, areaId: null, role: 'admin' };
const system: Actor = { id: 'system', teamId: null, areaId: null, role: 'system' };

const birminghamCsc = { id: 'birmingham-csc', areaId: BIRMINGHAM };
const baby = { givenName: 'Kai', familyName: 'Smith', dateOfBirth: '2026-07-01', nhsNumber: '9434765919' };
const request = {
  originatingTeam: birminghamCsc,
  children: [baby],
  howKnown: 'mother said the baby had a social worker in Birmingham',
  concern: 'baby not registered with a GP; bruise on the cheek last week',
};
// Monday 30 November 2026, 10:00 GMT
const monday = new Date('2026-11-30T10:00:00Z');

const open: TransferRequestFacts = {
  status: 'open',
  requesterTeamId: 'sandwell-hv',
  requesterAreaId: SANDWELL,
  originatingTeamId: 'birmingham-csc',
  originatingAreaId: BIRMINGHAM,
};

describe('opening a transfer request', () => {
  it('lets a receiving-side practitioner ask a team of another area, due in 2 working days at the same time', () => {
    const decision = decideOpenRequest(harriet, request, monday);
    expect(decision).toEqual({
      ok: true,
      facts: open,
      dueAt: new Date('2026-12-02T10:00:00Z'),
    });
  });

  it('counts working days: opened on Christmas Eve, due on the 30th (Christmas, the weekend and the Boxing Day substitute skipped)', () => {
    const decision = decideOpenRequest(harriet, request, new Date('2026-12-24T15:00:00Z'));
    expect(decision.ok && decision.dueAt.toISOString()).toBe('2026-12-30T15:00:00.000Z');
    expect(isWorkingDay('2026-12-29')).toBe(true);
    expect(isWorkingDay('2026-12-28')).toBe(false);
  });

  it('follows the configured number of working days', () => {
    const clocks = validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, requestAnswerWorkingDays: 5 });
    expect(requestDueAt(monday, clocks).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(() => validateClockPolicy({ ...DEFAULT_CLOCK_POLICY, requestAnswerWorkingDays: 0 })).toThrow(
      /requestAnswerWorkingDays/,
    );
  });

  it('lets a manager ask too, but not an admin, a lead without a practice team role, or anyone without a team', () => {
    expect(decideOpenRequest(sandwellManager, request, monday).ok).toBe(true);
    expect(decideOpenRequest(admin, request, monday)).toMatchObject({
      ok: false,
      error: 'FORBIDDEN',
      reasons: [{ code: 'ADMIN_NO_FAMILY_DATA' }],
    });
    expect(decideOpenRequest(lena, request, monday)).toMatchObject({
      error: 'FORBIDDEN',
      reasons: [{ code: 'CANNOT_REQUEST_TRANSFER' }],
    });
    expect(decideOpenRequest({ ...harriet, teamId: null }, request, monday)).toMatchObject({ error: 'FORBIDDEN' });
  });

  it('refuses a team of the same area, no child, unnamed or unborn children, and blank how-known or concern — all at once', () => {
    const decision = decideOpenRequest(
      harriet,
      {
        originatingTeam: { id: 'sandwell-csc', areaId: SANDWELL },
        children: [
          { givenName: ' ', familyName: 'Smith' },
          { ...baby, dateOfBirth: '2026-12-25' },
        ],
        howKnown: '',
        concern: '   ',
      },
      monday,
    );
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.reasons.map((r) => r.code)).toEqual([
      'ORIGINATING_TEAM_IN_SAME_AREA',
      'REQUEST_CHILD_NAME_MISSING',
      'REQUEST_CHILD_BORN_IN_FUTURE',
      'HOW_KNOWN_REQUIRED',
      'CONCERN_REQUIRED',
    ]);
    expect(decideOpenRequest(harriet, { ...request, children: [] }, monday)).toMatchObject({
      error: 'PRECONDITION_FAILED',
      reasons: [{ code: 'REQUEST_CHILD_MISSING' }],
    });
  });

  it('never puts a child’s name in a refusal (it says which child by position)', () => {
    const decision = decideOpenRequest(harriet, { ...request, children: [{ ...baby, givenName: '' }] }, monday);
    expect(JSON.stringify(decision)).not.toContain('Smith');
    expect(!decision.ok && decision.reasons[0].message).toBe("give child 1's given name and family name");
  });
});

describe('answering a transfer request', () => {
  it('lets the originating team say it will transfer, telling the requester', () => {
    expect(decideRespond(open, hana, { decision: 'will_transfer' })).toEqual({
      ok: true,
      status: 'will_transfer',
      decision: 'will_transfer',
      reason: null,
      notify: ['requester'],
    });
    expect(decideRespond(open, birminghamManager, { decision: 'will_transfer' }).ok).toBe(true);
  });

  it('lets it decline with a reason, telling the requester and both areas’ safeguarding leads', () => {
    expect(decideRespond(open, hana, { decision: 'declined', reason: '  closed to us in 2024 ' })).toEqual({
      ok: true,
      status: 'declined',
      decision: 'declined',
      reason: 'closed to us in 2024',
      notify: ['requester', 'safeguarding_leads'],
    });
    expect(decideRespond(open, hana, { decision: 'declined', reason: ' ' })).toMatchObject({
      error: 'PRECONDITION_FAILED',
      reasons: [{ code: 'REASON_REQUIRED' }],
    });
    expect(decideRespond(open, hana, { decision: 'maybe' })).toMatchObject({
      error: 'PRECONDITION_FAILED',
      reasons: [{ code: 'REQUEST_DECISION_INVALID' }],
    });
  });

  it('lets nobody else answer: not the requester, another team of the originating area, a lead or an admin', () => {
    for (const actor of [harriet, sandwellManager, birminghamHv, birminghamLead, lena, dudleyWorker])
      expect([actor.id, decideRespond(open, actor, { decision: 'will_transfer' })]).toEqual([
        actor.id,
        { ok: false, error: 'FORBIDDEN', reasons: [expect.objectContaining({ code: 'NOT_ORIGINATING_TEAM' })] },
      ]);
    expect(decideRespond(open, admin, { decision: 'will_transfer' })).toMatchObject({ error: 'FORBIDDEN' });
  });

  it('answers once: an answered request refuses a second answer', () => {
    for (const status of ['will_transfer', 'declined'] as const)
      expect(decideRespond({ ...open, status }, hana, { decision: 'will_transfer' })).toMatchObject({
        error: 'INVALID_STATE',
        reasons: [{ code: 'NOT_ALLOWED_FROM_STATUS' }],
      });
  });
});

describe('who sees a transfer request', () => {
  it('is the requester’s team, the originating team and both areas’ leads; a third area and admins never', () => {
    const sees = (a: Actor) => canSeeRequest(a, open);
    expect([harriet, sandwellManager, hana, birminghamManager, lena, birminghamLead, system].map(sees)).toEqual(
      Array(7).fill(true),
    );
    expect([dudleyLead, dudleyWorker, admin, birminghamHv].map(sees)).toEqual([false, false, false, false]);
  });

  it('resolves to SQL conditions that say the same (property)', () => {
    const teams = ['sandwell-hv', 'birmingham-csc', 'birmingham-hv', 'dudley-csc', null];
    const areas = [SANDWELL, BIRMINGHAM, DUDLEY, null];
    const roles = ['practitioner', 'manager', 'safeguarding_lead', 'admin', 'system'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...teams),
        fc.constantFrom(...areas),
        fc.constantFrom(...roles),
        (teamId, areaId, role) => {
          const actor: Actor = { id: 'x', teamId, areaId, role };
          const v = requestVisibilityFor(actor);
          const bySql =
            v.all ||
            (v.teamId !== null && (v.teamId === open.requesterTeamId || v.teamId === open.originatingTeamId)) ||
            (v.areaId !== null && (v.areaId === open.requesterAreaId || v.areaId === open.originatingAreaId));
          expect(bySql).toBe(canSeeRequest(actor, open));
        },
      ),
    );
  });
});

describe('chasing an unanswered request', () => {
  const dueAt = requestDueAt(monday);
  const clock = (reminders: number, escalationLevel: EscalationLevel = 0, status: TransferRequestStatus = 'open') => ({
    status,
    reminders,
    escalationLevel,
    nextChaseAt: dueAt,
  });

  it('is not chased before it is due, nor once answered', () => {
    expect(nextRequestReminder(clock(0), new Date(dueAt.getTime() - 1))).toBeNull();
    expect(nextRequestReminder(clock(0, 0, 'declined'), dueAt)).toBeNull();
    expect(nextRequestReminder(clock(0, 0, 'will_transfer'), dueAt)).toBeNull();
    expect(isRequestOverdue({ status: 'open', dueAt }, new Date(dueAt.getTime() - 1))).toBe(false);
    expect(isRequestOverdue({ status: 'open', dueAt }, dueAt)).toBe(true);
    expect(isRequestOverdue({ status: 'declined', dueAt }, new Date('2027-01-01'))).toBe(false);
  });

  it('reminds the originating team when due, then every working day at 09:00, escalating like a loose end', () => {
    const first = nextRequestReminder(clock(0), dueAt)!;
    expect(first).toEqual({
      reminderNumber: 1,
      escalationLevel: 0,
      recipients: ['owner'],
      nextChaseAt: new Date('2026-12-03T09:00:00Z'),
    });
    expect(nextRequestReminder(clock(2), dueAt)).toMatchObject({
      reminderNumber: 3,
      escalationLevel: 1,
      recipients: ['owner', 'team_manager'],
    });
    expect(nextRequestReminder(clock(4), dueAt)).toMatchObject({
      reminderNumber: 5,
      escalationLevel: 2,
      recipients: ['owner', 'team_manager', 'safeguarding_leads'],
    });
    // Friday's reminder is followed by Monday's.
    const friday = new Date('2026-12-04T09:00:00Z');
    expect(nextRequestReminder({ ...clock(1), nextChaseAt: friday }, friday)!.nextChaseAt).toEqual(
      new Date('2026-12-07T09:00:00Z'),
    );
  });

  it('never drops back a level, and always chases on a working day (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(0, 1, 2),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        (reminders, level, now) => {
          const r = nextRequestReminder(
            { status: 'open', reminders, escalationLevel: level as EscalationLevel, nextChaseAt: now },
            now,
          )!;
          expect(r.reminderNumber).toBe(reminders + 1);
          expect(r.escalationLevel).toBeGreaterThanOrEqual(level);
          expect(r.nextChaseAt.getTime()).toBeGreaterThan(now.getTime());
          expect(isWorkingDay(londonDate(r.nextChaseAt))).toBe(true);
        },
      ),
    );
  });
});

describe('a request’s life (property): open until its one answer, which only the originating team gives', () => {
  const actors = [
    harriet,
    sandwellManager,
    hana,
    birminghamManager,
    birminghamHv,
    lena,
    birminghamLead,
    dudleyWorker,
    admin,
  ];
  const answers = [
    { decision: 'will_transfer' },
    { decision: 'declined', reason: 'not known to us' },
    { decision: 'declined', reason: '' },
    { decision: 'nonsense' },
  ];
  it('holds for any sequence of attempts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...actors), fc.constantFrom(...answers)), { maxLength: 12 }),
        (attempts) => {
          let state: TransferRequestFacts = open;
          let answered = 0;
          for (const [actor, answer] of attempts) {
            const decision = decideRespond(state, actor, answer);
            if (!decision.ok) continue;
            expect(state.status).toBe('open');
            expect(actor.teamId).toBe(open.originatingTeamId);
            expect(decision.status).toBe(answer.decision);
            if (decision.status === 'declined') expect(decision.reason).toBeTruthy();
            state = { ...state, status: decision.status };
            answered++;
          }
          expect(answered).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('retention of a transfer request', () => {
  const answered = new Date('2026-12-01T12:00:00Z');
  const days = 730;
  const later = (d: number) => new Date(answered.getTime() + d * 86_400_000);
  it('erases an answered request RETENTION_DAYS after its answer, never an open or already erased one', () => {
    for (const status of ['will_transfer', 'declined'] as const) {
      expect(requestDueForErasure({ status, respondedAt: answered, erasedAt: null }, later(729), days)).toBe(false);
      expect(requestDueForErasure({ status, respondedAt: answered, erasedAt: null }, later(730), days)).toBe(true);
      expect(requestDueForErasure({ status, respondedAt: answered, erasedAt: later(730) }, later(800), days)).toBe(
        false,
      );
    }
    expect(requestDueForErasure({ status: 'open', respondedAt: null, erasedAt: null }, later(5000), days)).toBe(false);
  });
});

describe('monitoring transfer requests', () => {
  it('is through the team for managers, the area for leads, everything for admins, and not for practitioners', () => {
    expect(requestMonitoringScopeFor(birminghamManager)).toEqual({
      all: false,
      teamId: 'birmingham-csc',
      areaId: null,
    });
    expect(requestMonitoringScopeFor(lena)).toEqual({ all: false, teamId: null, areaId: SANDWELL });
    expect(requestMonitoringScopeFor(admin)).toEqual({ all: true, teamId: null, areaId: null });
    expect(requestMonitoringScopeFor(harriet)).toBeNull();
  });
});

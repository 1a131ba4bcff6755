/**
 * The family not reached (issue 14 item 2), from the cases: the receiving worker who cannot reach
 * the family (Sussex 5.4.2: cause for concern, advice without delay), the locate checklist (West
 * Midlands "not where they are expected to be"), a national alert after 5 working days missing, at
 * once for high concern (Camden), and acceptance blocked until the family is found.
 */
import fc from 'fast-check';
import {
  ACTORS,
  accepted,
  at,
  admin,
  criticalAcknowledged,
  initiated,
  londonPrac,
  recvPrac,
  recvPrac2,
  ref,
  sendPrac,
  slBham,
  slLondon,
  slSand,
  snapshot,
} from './lifecycle.fixture.js';
import {
  decideCloseLocateCheck,
  decideFamilyFound,
  decideNationalAlert,
  decideNotReached,
  isNationalAlertDue,
  notReachedFlags,
  type FamilyNotReachedState,
  type RouteDecision,
} from './family-not-reached.js';
import { decide, type TransferState } from './lifecycle/index.js';
import { DEFAULT_CLOCK_POLICY } from './clocks.js';
import { quietFacts } from './review-case.fixture.js';
import { LOCATE_CHECKS } from './vocabulary.js';

const REPORTED = at('2026-11-24T16:00:00Z'); // Tuesday
const ATTEMPTS = [
  { on: '2026-11-24', method: 'home_visit_no_access', note: 'no answer, curtains drawn' },
  { on: '2026-11-24', method: 'phone_no_answer' },
];

function ok(d: RouteDecision): Extract<RouteDecision, { ok: true }> {
  if (!d.ok) throw new Error(`refused: ${JSON.stringify(d.reasons)}`);
  return d;
}
const withRoute = (s: TransferState, route: FamilyNotReachedState): TransferState => ({
  ...s,
  familyNotReached: route,
});
const codes = (d: RouteDecision) => (d.ok ? [] : d.reasons.map((r) => r.code));

describe('the family not reached (issue 14 item 2)', () => {
  it('a receiving practitioner who cannot reach the family raises FAMILY_NOT_REACHED, tells both leads at once and opens the locate checklist', () => {
    const s = criticalAcknowledged();
    const before = snapshot(s);
    const d = ok(decideNotReached(s, recvPrac, ATTEMPTS, REPORTED));
    expect(snapshot(s)).toBe(before);
    expect(d.route.attempts).toEqual([
      { on: '2026-11-24', method: 'home_visit_no_access', note: 'no answer, curtains drawn' },
      { on: '2026-11-24', method: 'phone_no_answer', note: null },
    ]);
    expect(d.route.checks.map((c) => c.check)).toEqual([...LOCATE_CHECKS]);
    expect(d.effects).toContainEqual({ type: 'notify', message: 'family_not_reached', to: ['safeguarding_leads'] });
    expect(d.effects).toContainEqual(expect.objectContaining({ type: 'locate.open', checks: [...LOCATE_CHECKS] }));
    const flags = notReachedFlags(d.route);
    expect(flags.map((f) => [f.code, f.severity])).toEqual([['FAMILY_NOT_REACHED', 'critical']]);
    expect(flags[0]!.summary).not.toContain('curtains');
  });

  it('either side may report; a third area, an admin and nobody outside the teams may not', () => {
    const s = criticalAcknowledged();
    expect(decideNotReached(s, sendPrac, ATTEMPTS, REPORTED).ok).toBe(true);
    expect(decideNotReached(s, slBham, ATTEMPTS, REPORTED).ok).toBe(true);
    expect(codes(decideNotReached(s, londonPrac, ATTEMPTS, REPORTED))).toEqual(['NOT_ON_EITHER_SIDE']);
    expect(codes(decideNotReached(s, slLondon, ATTEMPTS, REPORTED))).toEqual(['NOT_ON_EITHER_SIDE']);
    expect(codes(decideNotReached(s, admin, ATTEMPTS, REPORTED))).toEqual(['ADMIN_NO_FAMILY_DATA']);
  });

  it('refuses every bad attempt at once: none, an unknown method, a future date, "other" without a note', () => {
    const s = criticalAcknowledged();
    expect(codes(decideNotReached(s, recvPrac, [], REPORTED))).toEqual(['ATTEMPTS_MISSING']);
    const d = decideNotReached(
      s,
      recvPrac,
      [
        { on: '2026-11-24', method: 'email' },
        { on: '2026-11-30', method: 'phone_no_answer' },
        { on: '2026-11-24', method: 'other', note: '  ' },
        { on: '2026-11-23', method: 'letter_returned' },
      ],
      REPORTED,
    );
    expect(d.ok).toBe(false);
    expect(d.ok ? [] : d.reasons.map((r) => r.message.slice(0, 9))).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('not from a draft, nor once cancelled or closed', () => {
    const draft = { ...initiated(), status: 'draft' as const };
    expect(decideNotReached(draft, sendPrac, ATTEMPTS, REPORTED)).toMatchObject({ ok: false, error: 'INVALID_STATE' });
  });

  it('while the route is open the transfer cannot be accepted: a precondition naming it; found, it can', () => {
    const s = criticalAcknowledged();
    const open = withRoute(s, ok(decideNotReached(s, recvPrac, ATTEMPTS, REPORTED)).route);
    const refused = decide(
      open,
      recvPrac,
      { type: 'accept', leadPractitioner: ref(recvPrac2) },
      at('2026-11-25T09:30:00Z'),
    );
    expect(refused).toMatchObject({ ok: false, error: 'PRECONDITION_FAILED' });
    expect(refused.ok ? [] : refused.reasons.map((r) => r.code)).toEqual(['FAMILY_NOT_REACHED_OPEN']);
    const found = withRoute(
      open,
      ok(
        decideFamilyFound(
          open,
          recvPrac,
          { on: '2026-11-25', how: 'at maternal grandmother’s' },
          at('2026-11-25T09:00:00Z'),
        ),
      ).route,
    );
    expect(
      decide(found, recvPrac, { type: 'accept', leadPractitioner: ref(recvPrac2) }, at('2026-11-25T09:30:00Z')).ok,
    ).toBe(true);
    expect(notReachedFlags(found.familyNotReached)).toEqual([]);
    expect(found.familyNotReached?.attempts).toHaveLength(2); // the route stays in the history
  });

  it('a second report while open adds its attempts (no second email, no second checklist)', () => {
    const s = criticalAcknowledged();
    const open = withRoute(s, ok(decideNotReached(s, recvPrac, ATTEMPTS, REPORTED)).route);
    const again = ok(
      decideNotReached(open, recvPrac, [{ on: '2026-11-25', method: 'not_at_address' }], at('2026-11-25T12:00:00Z')),
    );
    expect(again.route.attempts).toHaveLength(3);
    expect(again.route.openedAt).toEqual(REPORTED);
    expect(again.effects).toEqual([{ type: 'packet.generate' }]);
  });

  it('each locate check closes with what was found; the education setting says whether the pupil file moved', () => {
    const s = criticalAcknowledged();
    const open = withRoute(s, ok(decideNotReached(s, recvPrac, ATTEMPTS, REPORTED)).route);
    const now = at('2026-11-25T10:00:00Z');
    expect(
      codes(decideCloseLocateCheck(open, recvPrac, { check: 'education_setting', found: 'not on roll' }, now)),
    ).toEqual(['PUPIL_FILE_ANSWER_REQUIRED']);
    expect(codes(decideCloseLocateCheck(open, recvPrac, { check: 'horoscope', found: '' }, now))).toEqual([
      'LOCATE_CHECK_INVALID',
      'FOUND_WHAT_REQUIRED',
    ]);
    const closed = ok(
      decideCloseLocateCheck(
        open,
        sendPrac,
        { check: 'education_setting', found: 'pupil file requested by a school in Leeds', pupilFileMoved: true },
        now,
      ),
    );
    expect(closed.route.checks.find((c) => c.check === 'education_setting')).toEqual({
      check: 'education_setting',
      found: 'pupil file requested by a school in Leeds',
      pupilFileMoved: true,
      closedAt: now,
      closedById: sendPrac.id,
    });
    expect(closed.effects).toContainEqual({ type: 'locate.close', check: 'education_setting' });
    const twice = decideCloseLocateCheck(
      withRoute(open, closed.route),
      recvPrac,
      { check: 'education_setting', found: 'x', pupilFileMoved: false },
      now,
    );
    expect(codes(twice)).toEqual(['LOCATE_CHECK_CLOSED']);
  });

  it('not found within 5 working days (the default): a safeguarding lead must record the national alert decision', () => {
    const s = criticalAcknowledged();
    const route = ok(decideNotReached(s, recvPrac, ATTEMPTS, REPORTED)).route;
    expect(route.nationalAlertDueAt).toEqual(at('2026-12-01T16:00:00Z')); // Tue + 5 working days
    const open = withRoute(s, route);
    expect(isNationalAlertDue(route, at('2026-12-01T15:59:00Z'))).toBe(false);
    expect(
      codes(decideNationalAlert(open, slSand, { raised: false, reason: 'too early' }, at('2026-11-30T10:00:00Z'))),
    ).toEqual(['NATIONAL_ALERT_NOT_DUE']);
    const due = at('2026-12-01T16:00:00Z');
    expect(isNationalAlertDue(route, due)).toBe(true);
    expect(codes(decideNationalAlert(open, recvPrac, { raised: true, reference: 'NA-1' }, due))).toEqual([
      'NOT_SAFEGUARDING_LEAD',
    ]);
    expect(codes(decideNationalAlert(open, slLondon, { raised: true, reference: 'NA-1' }, due))).toEqual([
      'NOT_SAFEGUARDING_LEAD',
    ]);
    expect(codes(decideNationalAlert(open, slSand, { raised: true, reference: ' ' }, due))).toEqual([
      'NATIONAL_ALERT_REFERENCE_REQUIRED',
    ]);
    expect(codes(decideNationalAlert(open, slSand, { raised: false }, due))).toEqual([
      'NATIONAL_ALERT_REFERENCE_REQUIRED',
    ]);
    const raised = ok(decideNationalAlert(open, slSand, { raised: true, reference: ' NA-2026-0042 ' }, due));
    expect(raised.route.nationalAlert).toEqual({
      raised: true,
      reference: 'NA-2026-0042',
      decidedAt: due,
      decidedById: slSand.id,
    });
    expect(isNationalAlertDue(raised.route, due)).toBe(false);
    expect(raised.effects).toContainEqual({ type: 'national_alert.close' });
    expect(
      decideNationalAlert(withRoute(open, raised.route), slBham, { raised: false, reason: 'x' }, due),
    ).toMatchObject({
      ok: false,
      error: 'INVALID_STATE',
    });
  });

  it('the working days come from the clock policy; for child protection the decision is due at once', () => {
    const s = criticalAcknowledged();
    const two = ok(
      decideNotReached(s, recvPrac, ATTEMPTS, REPORTED, { ...DEFAULT_CLOCK_POLICY, notReachedAlertWorkingDays: 2 }),
    );
    expect(two.route.nationalAlertDueAt).toEqual(at('2026-11-26T16:00:00Z'));
    const cp = { ...s, facts: quietFacts({ involvement: 'child_protection' }) };
    const atOnce = ok(decideNotReached(cp, recvPrac, ATTEMPTS, REPORTED));
    expect(atOnce.route.nationalAlertDueAt).toEqual(REPORTED);
    expect(isNationalAlertDue(atOnce.route, REPORTED)).toBe(true);
    expect(atOnce.effects).toContainEqual({
      type: 'notify',
      message: 'national_alert_due',
      to: ['safeguarding_leads'],
    });
  });

  it('family found needs when (not before the first attempt, not in the future) and how; it ends the route and closes its chase items', () => {
    const s = accepted();
    const open = withRoute(s, ok(decideNotReached(s, recvPrac2, ATTEMPTS, REPORTED)).route);
    const now = at('2026-11-26T10:00:00Z');
    expect(codes(decideFamilyFound(open, recvPrac2, { on: '2026-11-20', how: '' }, now))).toEqual([
      'FOUND_DATE_INVALID',
      'FOUND_HOW_REQUIRED',
    ]);
    expect(codes(decideFamilyFound(open, recvPrac2, { on: '2026-11-27', how: 'x' }, now))).toEqual([
      'FOUND_DATE_INVALID',
    ]);
    const found = ok(decideFamilyFound(open, recvPrac2, { on: '2026-11-26', how: 'GP registration in Leeds' }, now));
    expect(found.route.found).toEqual({
      on: '2026-11-26',
      how: 'GP registration in Leeds',
      recordedById: recvPrac2.id,
    });
    expect(found.effects).toContainEqual({ type: 'route.close_all' });
    expect(isNationalAlertDue(found.route, at('2026-12-10T10:00:00Z'))).toBe(false);
    expect(
      decideFamilyFound(withRoute(open, found.route), recvPrac2, { on: '2026-11-26', how: 'x' }, now),
    ).toMatchObject({
      ok: false,
      error: 'INVALID_STATE',
    });
  });

  it('property: whoever reports whatever attempts, a route is opened only by either side with valid attempts, and while open nobody can accept', () => {
    const s = criticalAcknowledged();
    const attempt = fc.record({
      on: fc.constantFrom('2026-11-20', '2026-11-24', '2026-11-30', 'yesterday'),
      method: fc.constantFrom(
        'home_visit_no_access',
        'phone_no_answer',
        'not_at_address',
        'letter_returned',
        'other',
        'email',
      ),
      note: fc.option(fc.constantFrom('', 'no answer', '  '), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.constantFrom(...ACTORS), fc.array(attempt, { maxLength: 4 }), (who, attempts) => {
        const d = decideNotReached(s, who, attempts, REPORTED);
        if (!d.ok) return;
        expect(['practitioner', 'manager', 'safeguarding_lead']).toContain(who.role);
        expect(d.route.attempts.length).toBe(attempts.length);
        expect(notReachedFlags(d.route).map((f) => f.code)).toEqual(['FAMILY_NOT_REACHED']);
        const open = withRoute(s, d.route);
        for (const actor of ACTORS) {
          const a = decide(
            open,
            actor,
            { type: 'accept', leadPractitioner: ref(recvPrac2) },
            at('2026-11-25T09:30:00Z'),
          );
          expect(a.ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  describe('as commands of the lifecycle (decide)', () => {
    const okd = (d: ReturnType<typeof decide>) => {
      if (!d.ok) throw new Error(`refused: ${JSON.stringify(d.reasons)}`);
      return d;
    };
    const report = { type: 'reportNotReached' as const, attempts: ATTEMPTS };

    it('either side raises the route: the receiving practitioner or the sending one; the event carries the route', () => {
      for (const who of [recvPrac, sendPrac]) {
        const d = okd(decide(criticalAcknowledged(), who, report, REPORTED));
        expect(d.event).toMatchObject({ type: 'family.not_reached', opened: true });
        expect(d.state.familyNotReached?.openedById).toBe(who.id);
        expect(d.state.status).toBe('contact_confirmed');
      }
      expect(decide(criticalAcknowledged(), londonPrac, report, REPORTED)).toMatchObject({
        ok: false,
        error: 'FORBIDDEN',
      });
      expect(decide(initiated(), admin, report, REPORTED)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    });

    it('opening the route: both leads told at once, five locate chase items from the next working day, the national alert decision chased from when it falls due (escalated to the leads)', () => {
      const d = okd(decide(criticalAcknowledged(), recvPrac, report, REPORTED));
      expect(d.effects).toContainEqual({ type: 'notify', message: 'family_not_reached', to: ['safeguarding_leads'] });
      const opened = d.effects.filter((e) => e.type === 'chase.open');
      expect(opened.map((e) => e.type === 'chase.open' && e.kind)).toEqual([
        'locate_family_members',
        'locate_education_setting',
        'locate_health_registration',
        'locate_police_welfare_check',
        'locate_strategy_discussion',
        'national_alert',
      ]);
      // reported Tuesday 24 November 16:00: checks chased Wednesday 09:00; decision due 5 working days later
      expect(opened[0]).toMatchObject({ firstChaseAt: at('2026-11-25T09:00:00Z'), escalationLevel: 0 });
      expect(opened[5]).toMatchObject({ firstChaseAt: at('2026-12-01T16:00:00Z'), escalationLevel: 2 });
      expect(d.effects.some((e) => e.type === 'notify' && e.message === 'national_alert_due')).toBe(false);
      // a second report while open: the attempts only
      const again = okd(decide(d.state, sendPrac, report, at('2026-11-25T10:00:00Z')));
      expect(again.event).toMatchObject({ type: 'family.not_reached', opened: false });
      expect(again.effects).toEqual([{ type: 'packet.generate' }]);
      expect(again.state.familyNotReached?.attempts).toHaveLength(4);
    });

    it('for a child on a child protection plan the national alert decision is due at once, and the leads are told so', () => {
      const cp = { ...criticalAcknowledged(), facts: quietFacts({ involvement: 'child_protection' }) };
      const d = okd(decide(cp, recvPrac, report, REPORTED));
      expect(d.state.familyNotReached?.nationalAlertDueAt).toEqual(REPORTED);
      expect(d.effects).toContainEqual(
        expect.objectContaining({ type: 'chase.open', kind: 'national_alert', firstChaseAt: REPORTED }),
      );
      expect(d.effects).toContainEqual({ type: 'notify', message: 'national_alert_due', to: ['safeguarding_leads'] });
      const decided = okd(
        decide(d.state, slBham, { type: 'recordNationalAlert', raised: true, reference: 'NA-2026-0042' }, REPORTED),
      );
      expect(decided.effects).toContainEqual({ type: 'chase.close', kind: 'national_alert', resolution: 'decided' });
    });

    it("the alert decision is a safeguarding lead's only (a practitioner, even the reporting one, is refused), and not before it is due", () => {
      const open = okd(decide(criticalAcknowledged(), recvPrac, report, REPORTED)).state;
      const due = at('2026-12-01T16:00:00Z');
      const alert = { type: 'recordNationalAlert' as const, raised: false, reason: 'found within hours' };
      expect(decide(open, recvPrac, alert, due)).toMatchObject({
        ok: false,
        error: 'FORBIDDEN',
        reasons: [expect.objectContaining({ code: 'NOT_SAFEGUARDING_LEAD' })],
      });
      expect(codes(decide(open, slSand, alert, at('2026-12-01T15:59:00Z')) as RouteDecision)).toEqual([
        'NATIONAL_ALERT_NOT_DUE',
      ]);
      expect(decide(open, slLondon, alert, due)).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      const d = okd(decide(open, slSand, alert, due));
      expect(d.state.familyNotReached?.nationalAlert).toMatchObject({ raised: false, reason: 'found within hours' });
    });

    it('accept is refused while the route is open; found ends it — the flag and the route stay in the state — and accept is then allowed', () => {
      const accept = { type: 'accept' as const, leadPractitioner: ref(recvPrac2) };
      const open = okd(decide(criticalAcknowledged(), recvPrac, report, REPORTED)).state;
      const refused = decide(open, recvPrac2, accept, at('2026-11-25T09:00:00Z'));
      expect(refused).toMatchObject({ ok: false, error: 'PRECONDITION_FAILED' });
      expect(codes(refused as RouteDecision)).toContain('FAMILY_NOT_REACHED_OPEN');
      const checked = okd(
        decide(
          open,
          sendPrac,
          { type: 'closeLocateCheck', check: 'education_setting', found: 'left the school', pupilFileMoved: false },
          at('2026-11-25T09:00:00Z'),
        ),
      );
      expect(checked.effects).toContainEqual({
        type: 'chase.close',
        kind: 'locate_education_setting',
        resolution: 'checked',
      });
      const found = okd(
        decide(
          checked.state,
          recvPrac,
          { type: 'recordFamilyFound', on: '2026-11-25', how: 'seen at the new address' },
          at('2026-11-25T12:00:00Z'),
        ),
      );
      expect(found.event.type).toBe('family.found');
      // the four checks still open and the alert decision close as no longer needed
      expect(found.effects.filter((e) => e.type === 'chase.close')).toHaveLength(5);
      expect(found.effects).not.toContainEqual(expect.objectContaining({ kind: 'locate_education_setting' }));
      expect(found.effects).toContainEqual({
        type: 'notify',
        message: 'family_found',
        to: ['safeguarding_leads', 'sending_team', 'receiving_team'],
      });
      const route = found.state.familyNotReached!;
      expect(route.attempts).toHaveLength(2);
      expect(route.found).toMatchObject({ on: '2026-11-25', how: 'seen at the new address' });
      expect(notReachedFlags(route)).toEqual([]);
      expect(okd(decide(found.state, recvPrac2, accept, at('2026-11-25T13:00:00Z'))).event.type).toBe(
        'transfer.accepted',
      );
    });
  });
});

/**
 * Child protection (issue 13 item 1): for a child on a child protection plan, responsibility
 * passes at the receiving area's transfer-in conference, on the sending side's written
 * confirmation of its outcome — not at acceptance (Tees, Milton Keynes, Sussex, Nottinghamshire,
 * Norfolk and Bolton procedures; docs/decisions.md).
 */
import { availableActions } from './available-actions.js';
import { decideClose } from './chasing.js';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clocks.js';
import {
  T0,
  at,
  criticalAcknowledged,
  draftOf,
  expectOk,
  recvMgr,
  recvPrac,
  recvPrac2,
  ref,
  sendMgr,
  sendPrac,
  slSand,
  step,
} from './lifecycle.fixture.js';
import { decide, type Decision, type Effect, type TransferState } from './lifecycle/index.js';
import { quietFacts } from './review-case.fixture.js';

const CP = quietFacts({ involvement: 'child_protection' });
const ACCEPT_AT = at('2026-11-25T09:30:00Z');
const AT_ACCEPTANCE: ClockPolicy = { ...DEFAULT_CLOCK_POLICY, conferenceClockStart: 'acceptance' };
const accept = { type: 'accept', leadPractitioner: ref(recvPrac2) } as const;
const conference = {
  type: 'recordConference',
  heldOn: '2026-12-10',
  outcome: 'plan_continues',
  chair: 'J. Chair',
} as const;

function codes(d: Decision) {
  if (d.ok) throw new Error(`expected a refusal, got ${d.event.type}`);
  return { error: d.error, codes: d.reasons.map((r) => r.code) };
}

function acceptedIn(clocks: ClockPolicy = DEFAULT_CLOCK_POLICY): TransferState {
  return expectOk(decide(criticalAcknowledged(CP), recvPrac, accept, ACCEPT_AT, { clocks })).state;
}

function conferenceHeld(outcome = 'plan_continues'): TransferState {
  return step(acceptedIn(), recvPrac, { ...conference, outcome } as never, at('2026-12-10T16:00:00Z'));
}

describe('child protection: accept is "transfer-in accepted"', () => {
  it('keeps the sending practitioner accountable, makes the lead the interim lead and moves the loose ends to them', () => {
    const d = expectOk(decide(criticalAcknowledged(CP), recvPrac, accept, ACCEPT_AT));
    expect(d.event.type).toBe('transfer.accepted_in');
    expect(d.state.status).toBe('awaiting_conference');
    expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
    expect(d.state.interimLeadId).toBe(recvPrac2.id);
    expect(d.effects).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'chase.close', kind: 'direct_contact', resolution: 'accepted' },
      { type: 'chase.transfer_ownership', to: recvPrac2.id },
      {
        type: 'notify',
        message: 'transfer.accepted_in',
        to: ['sending_team', 'accountable_practitioner', 'interim_lead'],
      },
    ]);
  });

  it('is an ordinary acceptance for any other involvement', () => {
    const d = expectOk(
      decide(criticalAcknowledged(quietFacts({ involvement: 'child_in_need' })), recvPrac, accept, ACCEPT_AT),
    );
    expect(d.event.type).toBe('transfer.accepted');
    expect(d.state).toMatchObject({ status: 'accepted', accountablePractitionerId: recvPrac2.id, interimLeadId: null });
  });
});

describe('the conference clock', () => {
  it('by default starts at initiation: due 15 working days later, chased from 09:00 that day', () => {
    const d = expectOk(decide(draftOf(CP), sendPrac, { type: 'initiate' }, T0));
    // Mon 23 Nov 2026 10:00 + 15 working days = Mon 14 Dec 2026 10:00
    expect(d.state.conferenceDueAt?.toISOString()).toBe('2026-12-14T10:00:00.000Z');
    expect(d.effects).toContainEqual({
      type: 'chase.open',
      kind: 'transfer_in_conference',
      firstChaseAt: at('2026-12-14T09:00:00Z'),
      escalationLevel: 0,
    });
    expect(acceptedIn().conferenceDueAt?.toISOString()).toBe('2026-12-14T10:00:00.000Z');
  });

  it('configured to start at acceptance: nothing at initiation, due 15 working days after accept', () => {
    const start = expectOk(decide(draftOf(CP), sendPrac, { type: 'initiate' }, T0, { clocks: AT_ACCEPTANCE }));
    expect(start.state.conferenceDueAt).toBeNull();
    expect(start.effects.some((e) => e.type === 'chase.open' && e.kind === 'transfer_in_conference')).toBe(false);
    const d = expectOk(decide(criticalAcknowledged(CP), recvPrac, accept, ACCEPT_AT, { clocks: AT_ACCEPTANCE }));
    // Wed 25 Nov 2026 09:30 + 15 working days = Wed 16 Dec 2026 09:30
    expect(d.state.conferenceDueAt?.toISOString()).toBe('2026-12-16T09:30:00.000Z');
    expect(d.effects).toContainEqual({
      type: 'chase.open',
      kind: 'transfer_in_conference',
      firstChaseAt: at('2026-12-16T09:00:00Z'),
      escalationLevel: 0,
    });
  });
});

describe('record the conference (receiving side)', () => {
  const now = at('2026-12-10T16:00:00Z');

  it('is recorded, closes the conference chase as held and asks the sending side for the written outcome', () => {
    const d = expectOk(decide(acceptedIn(), recvPrac, conference, now));
    expect(d.event.type).toBe('conference.recorded');
    expect(d.state.status).toBe('awaiting_conference');
    expect(d.state.accountablePractitionerId).toBe(sendPrac.id);
    expect(d.state.conference).toEqual({ heldOn: '2026-12-10', outcome: 'plan_continues', confirmedOn: null });
    expect(d.effects).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'chase.close', kind: 'transfer_in_conference', resolution: 'held' },
      { type: 'notify', message: 'conference.recorded', to: ['accountable_practitioner', 'sending_team'] },
    ]);
  });

  it('is refused to the sending side, before acceptance, and a second time', () => {
    expect(codes(decide(acceptedIn(), sendPrac, conference, now))).toEqual({
      error: 'FORBIDDEN',
      codes: ['NOT_RECEIVING_SIDE'],
    });
    expect(codes(decide(criticalAcknowledged(CP), recvPrac, conference, now)).error).toBe('INVALID_STATE');
    expect(codes(decide(conferenceHeld(), recvMgr, conference, now))).toEqual({
      error: 'PRECONDITION_FAILED',
      codes: ['CONFERENCE_ALREADY_RECORDED'],
    });
  });

  it('gives every reason at once for a bad record', () => {
    const bad = { type: 'recordConference', heldOn: '10/12/2026', outcome: 'adjourned', chair: ' ' } as const;
    expect(codes(decide(acceptedIn(), recvPrac, bad, now)).codes).toEqual([
      'CONFERENCE_DATE_INVALID',
      'CONFERENCE_OUTCOME_INVALID',
      'CHAIR_REQUIRED',
    ]);
    expect(codes(decide(acceptedIn(), recvPrac, { ...conference, heldOn: '2026-12-11' }, now)).codes).toEqual([
      'CONFERENCE_IN_FUTURE',
    ]);
    expect(codes(decide(acceptedIn(), recvPrac, { ...conference, heldOn: '2026-11-20' }, now)).codes).toEqual([
      'CONFERENCE_BEFORE_INITIATION',
    ]);
  });
});

describe('confirm the written outcome (sending side)', () => {
  const now = at('2026-12-11T10:00:00Z');
  const confirm = { type: 'confirmConference', receivedOn: '2026-12-11' } as const;

  it('only then passes accountability to the (interim) lead, and the status becomes accepted', () => {
    const d = expectOk(decide(conferenceHeld(), sendPrac, confirm, now));
    expect(d.event.type).toBe('conference.confirmed');
    expect(d.state).toMatchObject({
      status: 'accepted',
      accountablePractitionerId: recvPrac2.id,
      interimLeadId: null,
      conference: { heldOn: '2026-12-10', outcome: 'plan_continues', confirmedOn: '2026-12-11' },
    });
    expect(d.effects).toEqual<Effect[]>([
      { type: 'packet.generate' },
      { type: 'chase.transfer_ownership', to: recvPrac2.id },
      { type: 'notify', message: 'transfer.accepted', to: ['sending_team', 'lead_practitioner'] },
    ]);
  });

  it('passes accountability whatever the outcome (a plan not continued still leaves the family with the new area)', () => {
    const d = expectOk(decide(conferenceHeld('plan_not_continued'), sendMgr, confirm, now));
    expect(d.state.accountablePractitionerId).toBe(recvPrac2.id);
  });

  it('is refused before the conference is recorded, to the receiving side, and with an impossible date', () => {
    expect(codes(decide(acceptedIn(), sendPrac, confirm, now))).toEqual({
      error: 'PRECONDITION_FAILED',
      codes: ['CONFERENCE_NOT_RECORDED'],
    });
    expect(codes(decide(conferenceHeld(), recvPrac2, confirm, now)).codes).toEqual([
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
    ]);
    expect(codes(decide(conferenceHeld(), slSand, confirm, now)).error).toBe('FORBIDDEN');
    expect(codes(decide(conferenceHeld(), sendPrac, { ...confirm, receivedOn: '2026-12-09' }, now)).codes).toEqual([
      'CONFIRMATION_BEFORE_CONFERENCE',
    ]);
    expect(codes(decide(conferenceHeld(), sendPrac, { ...confirm, receivedOn: '2026-12-12' }, now)).codes).toEqual([
      'CONFIRMATION_IN_FUTURE',
    ]);
  });
});

describe('what each side is offered', () => {
  const now = at('2026-12-10T16:00:00Z');
  const offered = (s: TransferState, who: Parameters<typeof availableActions>[1]) =>
    availableActions(s, who, now).filter((a) => a.action === 'recordConference' || a.action === 'confirmConference');

  it('offers the receiving side the conference and the sending side its confirmation, with the reason why not yet', () => {
    expect(offered(acceptedIn(), recvPrac)).toEqual([{ action: 'recordConference', allowed: true }]);
    expect(offered(acceptedIn(), sendPrac)).toEqual([
      {
        action: 'confirmConference',
        allowed: false,
        reasons: [expect.objectContaining({ code: 'CONFERENCE_NOT_RECORDED' })],
      },
    ]);
    expect(offered(conferenceHeld(), sendPrac)).toEqual([{ action: 'confirmConference', allowed: true }]);
  });

  it('offers neither for a family not on a child protection plan', () => {
    const s = criticalAcknowledged(quietFacts({ involvement: 'child_in_need' }));
    expect(offered(s, recvPrac)).toEqual([]);
    expect(offered(s, sendPrac)).toEqual([]);
  });
});

describe('loose edges', () => {
  const teams = { sendingTeamId: sendPrac.teamId!, receivingTeamId: recvPrac.teamId! };
  const item = { kind: 'transfer_in_conference', status: 'open' } as const;
  const now = at('2026-12-10T16:00:00Z');

  it('the conference chase is never closed as held by hand: only by recording the conference, or by a manager as no longer required', () => {
    for (const who of [recvPrac, recvMgr, sendPrac]) {
      const d = decideClose(item, teams, who, { resolution: 'held', evidence: { heldOn: '2026-12-09' } }, now);
      expect(d.ok).toBe(false);
      expect(!d.ok && d.reasons).toEqual([
        expect.objectContaining({
          code: 'EVIDENCE_RESOLUTION_MISMATCH',
          message: expect.stringContaining('POST /v1/transfers/:id/conference'),
        }),
      ]);
    }
    const byManager = decideClose(
      item,
      teams,
      recvMgr,
      { resolution: 'no_longer_required', reason: 'the family moved on before the conference' },
      now,
    );
    expect(byManager).toEqual({
      ok: true,
      resolution: 'no_longer_required',
      evidence: { reason: 'the family moved on before the conference' },
    });
    const byPractitioner = decideClose(item, teams, recvPrac, { resolution: 'no_longer_required', reason: 'x' }, now);
    expect(!byPractitioner.ok && byPractitioner.reasons.map((r) => r.code)).toEqual(['NOT_MANAGER']);
  });

  it('a re-initiation after a return starts the conference clock again, and its chase with it', () => {
    const returned = step(
      initiatedCp(),
      recvPrac,
      { type: 'return', reason: 'wrong team' },
      at('2026-11-24T10:00:00Z'),
    );
    const again = at('2026-12-07T11:00:00Z');
    const d = expectOk(decide(returned, sendPrac, { type: 'initiate' }, again));
    // Mon 7 Dec 2026 11:00 + 15 working days (Christmas Day and Mon 28, Boxing Day's substitute, off) = Wed 30 Dec 11:00
    expect(d.state.conferenceDueAt?.toISOString()).toBe('2026-12-30T11:00:00.000Z');
    const conferenceEffects = d.effects.filter(
      (e) => (e.type === 'chase.open' || e.type === 'chase.close') && e.kind === 'transfer_in_conference',
    );
    // The old item (chased from 14 December) is superseded, a fresh one chased from the new date.
    expect(conferenceEffects).toEqual<Effect[]>([
      { type: 'chase.close', kind: 'transfer_in_conference', resolution: 'superseded' },
      {
        type: 'chase.open',
        kind: 'transfer_in_conference',
        firstChaseAt: at('2026-12-30T09:00:00Z'),
        escalationLevel: 0,
      },
    ]);
    // Counted from acceptance instead: a re-initiation starts nothing (acceptance will).
    const atAcceptance = expectOk(
      decide(
        step(
          expectOk(decide(draftOf(CP), sendPrac, { type: 'initiate' }, T0, { clocks: AT_ACCEPTANCE })).state,
          recvPrac,
          { type: 'return', reason: 'wrong team' },
          at('2026-11-24T10:00:00Z'),
        ),
        sendPrac,
        { type: 'initiate' },
        again,
        { clocks: AT_ACCEPTANCE },
      ),
    );
    expect(atAcceptance.state.conferenceDueAt).toBeNull();
    expect(atAcceptance.effects.some((e) => 'kind' in e && e.kind === 'transfer_in_conference')).toBe(false);
  });

  it('a returned family no longer on a plan when re-initiated has its old conference chase closed, and no new one', () => {
    const returned = step(
      initiatedCp(),
      recvPrac,
      { type: 'return', reason: 'plan ended' },
      at('2026-11-24T10:00:00Z'),
    );
    const updated = step(
      returned,
      sendPrac,
      { type: 'update', facts: { ...returned.facts, involvement: 'child_in_need' } },
      at('2026-11-25T10:00:00Z'),
    );
    const d = expectOk(decide(updated, sendPrac, { type: 'initiate' }, at('2026-11-26T10:00:00Z')));
    expect(d.state.conferenceDueAt).toBeNull();
    expect(d.effects.filter((e) => 'kind' in e && e.kind === 'transfer_in_conference')).toEqual([
      { type: 'chase.close', kind: 'transfer_in_conference', resolution: 'superseded' },
    ]);
  });

  it('a child-protection family that is also a host notification has no conference: host notification wins', () => {
    const cpCareOrder = quietFacts({
      involvement: 'child_protection',
      household: quietFacts().household.map((m) =>
        m.role === 'child' ? { ...m, statutoryOrder: 'interim_care_order' } : m,
      ),
    });
    for (const clocks of [DEFAULT_CLOCK_POLICY, AT_ACCEPTANCE]) {
      const d = expectOk(decide(draftOf(cpCareOrder), sendPrac, { type: 'initiate' }, T0, { clocks }));
      expect(d.state.conferenceDueAt).toBeNull();
      expect(d.effects.some((e) => 'kind' in e && e.kind === 'transfer_in_conference')).toBe(false);
      expect(d.effects).toContainEqual({ type: 'notify', message: 'notification.initiated', to: ['receiving_team'] });
    }
    // Acknowledged by the host team naming its contact: the sending practitioner stays accountable, no conference is due.
    const s = criticalAcknowledged(cpCareOrder);
    const acked = expectOk(
      decide(s, recvPrac, { type: 'acknowledgeNotification', contactPractitioner: ref(recvPrac2) }, ACCEPT_AT),
    );
    expect(acked.state).toMatchObject({
      status: 'notification_acknowledged',
      accountablePractitionerId: sendPrac.id,
      interimLeadId: null,
      conferenceDueAt: null,
    });
    expect(availableActions(acked.state, recvPrac, ACCEPT_AT).map((a) => a.action)).not.toContain('recordConference');
    expect(codes(decide(s, recvPrac, accept, ACCEPT_AT)).codes).toEqual(['HOST_NOTIFICATION_NOT_ACCEPTED']);
  });
});

function initiatedCp(): TransferState {
  return expectOk(decide(draftOf(CP), sendPrac, { type: 'initiate' }, T0)).state;
}

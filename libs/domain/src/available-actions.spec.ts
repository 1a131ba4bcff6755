import { availableActions, OFFERED_COMMANDS, type AvailableAction } from './available-actions.js';
import {
  ACTORS,
  T0,
  accepted,
  admin,
  at,
  contactConfirmed,
  contactRecorded,
  criticalAcknowledged,
  draftOf,
  initiated,
  londonPrac,
  otherBhamMgr,
  recvMgr,
  recvPrac,
  sendMgr,
  sendPrac,
  sendPrac2,
  slBham,
  slLondon,
  slSand,
  snapshot,
  step,
  REVIEW_CASE_ACTIONS,
} from './lifecycle.fixture.js';
import { canSee, type Actor, type TransferState } from './lifecycle/index.js';
import { quietFacts, reviewCaseFacts } from './review-case.fixture.js';

const NOW = at('2026-11-26T10:00:00Z');

/** action (with its flag) → true, or the refusal codes. */
function table(state: TransferState, actor: Actor, now = NOW): Record<string, true | string[]> {
  return Object.fromEntries(
    availableActions(state, actor, now).map((a: AvailableAction) => [
      a.flagCode ? `${a.action}:${a.flagCode}` : a.action,
      a.allowed ? true : a.reasons.map((r) => r.code),
    ]),
  );
}
const entry = (state: TransferState, actor: Actor, action: string, now = NOW) =>
  availableActions(state, actor, now).find((a) => a.action === action);

describe('availableActions: what the caller can do now, by the same decide()', () => {
  it('offers the sending side what it can do with a draft, and nothing of the receiving side', () => {
    expect(table(draftOf(), sendPrac)).toEqual({
      update: true,
      initiate: true,
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
    });
    // not the accountable practitioner: may change the draft but not send or cancel it
    expect(table(draftOf(), sendPrac2)).toEqual({
      update: true,
      initiate: ['NOT_ACCOUNTABLE_OR_SENDING_MANAGER'],
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: ['NOT_ACCOUNTABLE_OR_SENDING_MANAGER'],
    });
    // a manager also reassigns
    expect(table(draftOf(), sendMgr)).toEqual({
      update: true,
      initiate: true,
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
      reassign: true,
    });
  });

  it('says every reason a draft cannot be sent yet, in the domain’s words', () => {
    const draft = draftOf(reviewCaseFacts({ householdConfirmed: false, noMaleCarerReason: null, household: [] }));
    const initiate = entry(draft, sendPrac, 'initiate');
    expect(initiate).toEqual({
      action: 'initiate',
      allowed: false,
      reasons: expect.arrayContaining([
        { code: 'NO_CHILD', message: 'add at least one child to the household' },
        { code: 'HOUSEHOLD_NOT_CONFIRMED', message: 'confirm who lives in the household before initiating' },
      ]),
    });
  });

  it('lists nothing for people who cannot see the transfer, or never act on it', () => {
    for (const who of [recvPrac, recvMgr, slSand, slLondon, londonPrac, otherBhamMgr, admin]) {
      if (!canSee(who, draftOf())) expect(availableActions(draftOf(), who, NOW)).toEqual([]);
    }
    expect(availableActions(initiated(), admin, NOW)).toEqual([]);
    expect(availableActions(initiated(), londonPrac, NOW)).toEqual([]);
    expect(availableActions(initiated(), slLondon, NOW)).toEqual([]);
    // the other Birmingham team sees nothing it could do (not a side of this transfer)
    expect(availableActions(initiated(), otherBhamMgr, NOW)).toEqual([]);
  });

  it('awaiting contact: the receiving side records the conversation or returns; acceptance waits, and says why', () => {
    const s = initiated();
    expect(table(s, recvPrac)).toEqual({ recordContact: true, accept: ['NOT_ALLOWED_FROM_STATUS'], return: true });
    expect(entry(s, recvPrac, 'accept')).toEqual({
      action: 'accept',
      allowed: false,
      reasons: [
        {
          code: 'NOT_ALLOWED_FROM_STATUS',
          message: 'cannot accept a transfer that is awaiting contact (allowed from: contact confirmed)',
        },
      ],
    });
    expect(table(s, recvMgr)).toEqual({
      recordContact: true,
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: true,
      reassign: ['NOT_ACCOUNTABLE_SIDE_MANAGER'],
    });
    expect(table(s, sendPrac)).toEqual({
      update: ['NOT_ALLOWED_FROM_STATUS'],
      initiate: ['NOT_ALLOWED_FROM_STATUS'],
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: true,
    });
  });

  it('does not withhold "record the conversation" for inputs the form has yet to collect (the clock at the moment of initiation)', () => {
    expect(entry(initiated(), recvPrac, 'recordContact', T0)).toEqual({ action: 'recordContact', allowed: true });
  });

  it('gives a safeguarding lead of either area one entry per critical flag still waiting for advice', () => {
    const s = initiated();
    const expected = {
      'acknowledgeFlag:NON_MOBILE_INFANT_BRUISING': true,
      'acknowledgeFlag:SAFEGUARDING_ADVICE_NOT_SOUGHT': true,
    };
    expect(table(s, slSand)).toEqual(expected);
    expect(table(s, slBham)).toEqual(expected);
    const once = step(
      s,
      slSand,
      {
        type: 'acknowledgeFlag',
        code: 'NON_MOBILE_INFANT_BRUISING',
        advice: 'medical today',
        actions: REVIEW_CASE_ACTIONS,
      },
      at('2026-11-23T12:00:00Z'),
    );
    expect(table(once, slBham)).toEqual({ 'acknowledgeFlag:SAFEGUARDING_ADVICE_NOT_SOUGHT': true });
    // a draft's flags cannot be acknowledged yet, and the reason says so
    expect(table(draftOf(), slBham)).toEqual({
      'acknowledgeFlag:NON_MOBILE_INFANT_BRUISING': ['NOT_ALLOWED_FROM_STATUS'],
      'acknowledgeFlag:SAFEGUARDING_ADVICE_NOT_SOUGHT': ['NOT_ALLOWED_FROM_STATUS'],
    });
    // a family without critical flags needs no lead's advice
    expect(availableActions(step(draftOf(quietFacts()), sendPrac, { type: 'initiate' }, T0), slSand, NOW)).toEqual([]);
  });

  it('contact recorded: the sending participant or the accountable practitioner checks it back', () => {
    const s = contactRecorded();
    expect(entry(s, sendPrac, 'confirmContact')).toEqual({ action: 'confirmContact', allowed: true });
    expect(entry(s, sendPrac2, 'confirmContact')).toEqual({
      action: 'confirmContact',
      allowed: false,
      reasons: [
        {
          code: 'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
          message:
            'only the sending practitioner who took part in the conversation, or the accountable practitioner, can check the record back',
        },
      ],
    });
    expect(table(s, recvPrac)).toEqual({
      recordContact: ['NOT_ALLOWED_FROM_STATUS'],
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: true,
    });
  });

  it('contact confirmed: acceptance waits for a safeguarding lead, naming each flag in words', () => {
    const accept = entry(contactConfirmed(), recvPrac, 'accept');
    expect(accept).toEqual({
      action: 'accept',
      allowed: false,
      reasons: [
        {
          code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
          message:
            'a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: ' +
            'Bruising or injury on a baby who is not yet mobile; Safeguarding advice not sought about a bruise or injury',
        },
      ],
    });
    expect(entry(criticalAcknowledged(), recvPrac, 'accept')).toEqual({ action: 'accept', allowed: true });
    expect(availableActions(criticalAcknowledged(), slSand, NOW)).toEqual([]);
  });

  it('accepted: accountability has moved, so the receiving manager reassigns and the sending side can do nothing', () => {
    const s = accepted();
    expect(table(s, recvMgr)).toEqual({
      recordContact: ['NOT_ALLOWED_FROM_STATUS'],
      accept: ['NOT_ALLOWED_FROM_STATUS'],
      return: ['NOT_ALLOWED_FROM_STATUS'],
      reassign: true,
    });
    expect(table(s, sendMgr)).toEqual({
      update: ['NOT_ALLOWED_FROM_STATUS'],
      initiate: ['NOT_ALLOWED_FROM_STATUS'],
      confirmContact: ['NOT_ALLOWED_FROM_STATUS'],
      cancel: ['NOT_ALLOWED_FROM_STATUS'],
      reassign: ['NOT_ACCOUNTABLE_SIDE_MANAGER'],
    });
  });

  it('for every actor and stage: never the system’s close, only the actor’s side, every refusal worded, nothing mutated', () => {
    const stages = [draftOf(), initiated(), contactRecorded(), contactConfirmed(), criticalAcknowledged(), accepted()];
    const sides = {
      sending: ['update', 'initiate', 'confirmContact', 'cancel', 'reassign'],
      receiving: ['recordContact', 'accept', 'return', 'reassign'],
      lead: ['acknowledgeFlag'],
    };
    for (const state of stages) {
      for (const who of ACTORS) {
        const before = snapshot(state);
        const actions = availableActions(state, who, NOW);
        expect(snapshot(state)).toBe(before);
        if (!canSee(who, state)) expect(actions).toEqual([]);
        const side =
          who.role === 'safeguarding_lead'
            ? sides.lead
            : who.teamId === state.sendingTeamId
              ? sides.sending
              : who.teamId === state.receivingTeamId
                ? sides.receiving
                : [];
        for (const a of actions) {
          expect(OFFERED_COMMANDS).toContain(a.action);
          expect(side).toContain(a.action);
          if (a.action === 'reassign') expect(who.role).toBe('manager');
          if (!a.allowed) {
            expect(a.reasons.length).toBeGreaterThan(0);
            for (const r of a.reasons) expect(r.message).toMatch(/\w{3,}/);
          }
        }
        expect(new Set(actions.map((a) => `${a.action}:${a.flagCode ?? ''}`)).size).toBe(actions.length);
      }
    }
  });
});

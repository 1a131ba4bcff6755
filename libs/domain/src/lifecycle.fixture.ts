/**
 * Test fixtures (not exported from the library): a Birmingham → Sandwell directory, with a
 * third area (London) and an admin, and helpers to drive a transfer through its lifecycle.
 */
import type { TransferFacts } from './facts.js';
import {
  activeFlagCodes,
  createTransfer,
  decide,
  type Actor,
  type Command,
  type Decision,
  type PractitionerRef,
  type TransferState,
} from './lifecycle/index.js';
import { reviewCaseFacts } from './review-case.fixture.js';
import { bruisingProtocolGaps, criticalFlagCodes } from './risk-flags.js';
import { computeRiskFlags } from './risk-flags.js';

export const BIRMINGHAM = 'area-birmingham';
export const SANDWELL = 'area-sandwell';
export const LONDON = 'area-london';

export const BHAM_HV = 'team-birmingham-hv';
export const BHAM_CSC = 'team-birmingham-csc';
export const SAND_HV = 'team-sandwell-hv';
export const LONDON_HV = 'team-london-hv';

const actor = (id: string, teamId: string | null, areaId: string | null, role: Actor['role']): Actor => ({
  id,
  teamId,
  areaId,
  role,
});

export const sendPrac = actor('p-send', BHAM_HV, BIRMINGHAM, 'practitioner');
export const sendPrac2 = actor('p-send-2', BHAM_HV, BIRMINGHAM, 'practitioner');
export const sendMgr = actor('m-send', BHAM_HV, BIRMINGHAM, 'manager');
export const otherBhamPrac = actor('p-bham-csc', BHAM_CSC, BIRMINGHAM, 'practitioner');
export const otherBhamMgr = actor('m-bham-csc', BHAM_CSC, BIRMINGHAM, 'manager');
export const recvPrac = actor('p-recv', SAND_HV, SANDWELL, 'practitioner');
export const recvPrac2 = actor('p-recv-2', SAND_HV, SANDWELL, 'practitioner');
export const recvMgr = actor('m-recv', SAND_HV, SANDWELL, 'manager');
export const slBham = actor('sl-bham', null, BIRMINGHAM, 'safeguarding_lead');
export const slSand = actor('sl-sand', null, SANDWELL, 'safeguarding_lead');
export const slLondon = actor('sl-london', null, LONDON, 'safeguarding_lead');
export const londonPrac = actor('p-london', LONDON_HV, LONDON, 'practitioner');
export const admin = actor('admin', null, null, 'admin');

export const ACTORS: readonly Actor[] = [
  sendPrac,
  sendPrac2,
  sendMgr,
  otherBhamPrac,
  otherBhamMgr,
  recvPrac,
  recvPrac2,
  recvMgr,
  slBham,
  slSand,
  slLondon,
  londonPrac,
  admin,
];

export const ref = (a: Actor, active = true): PractitionerRef => ({ id: a.id, teamId: a.teamId!, active });

/** Practitioners named in commands; two of them no longer active. */
export const REFS: readonly PractitionerRef[] = [
  ref(sendPrac),
  ref(sendPrac2),
  ref(sendMgr),
  ref(otherBhamPrac),
  ref(recvPrac),
  ref(recvPrac2),
  ref(recvMgr),
  ref(londonPrac),
  { id: 'p-recv-gone', teamId: SAND_HV, active: false },
  { id: 'p-send-gone', teamId: BHAM_HV, active: false },
];

/** Which team each practitioner id belongs to. */
export const TEAM_OF: ReadonlyMap<string, string> = new Map(REFS.map((r) => [r.id, r.teamId] as const));

export const at = (iso: string) => new Date(iso);

/** Monday 23 November 2026, 10:00 GMT. */
export const T0 = at('2026-11-23T10:00:00Z');

export function expectOk(d: Decision): Extract<Decision, { ok: true }> {
  if (!d.ok) throw new Error(`expected success, got ${d.error}: ${d.reasons.map((r) => r.code).join(', ')}`);
  return d;
}

export function draftOf(facts: TransferFacts = reviewCaseFacts()): TransferState {
  return expectOk(createTransfer(sendPrac, { receivingTeamId: SAND_HV, receivingAreaId: SANDWELL, facts })).state;
}

export function step(state: TransferState, who: Actor, command: Command, now: Date): TransferState {
  return expectOk(decide(state, who, command, now)).state;
}

export function acknowledgeAll(state: TransferState) {
  return activeFlagCodes(state).map((code) => ({ code, understanding: `understood ${code}` }));
}

export function recordContactCommand(
  state: TransferState,
  occurredAt: Date,
  over: Partial<Extract<Command, { type: 'recordContact' }>> = {},
): Command {
  return {
    type: 'recordContact',
    contactId: `contact-${occurredAt.getTime()}`,
    occurredAt,
    method: 'phone',
    sendingPractitioner: ref(sendPrac),
    flagAcknowledgements: acknowledgeAll(state),
    ...over,
  };
}

/** Stages of the happy path, each a valid state of the review-case transfer. */
export function initiated(facts?: TransferFacts) {
  return step(draftOf(facts), sendPrac, { type: 'initiate' }, T0);
}
export function contactRecorded(facts?: TransferFacts) {
  const s = initiated(facts);
  return step(s, recvPrac, recordContactCommand(s, at('2026-11-24T10:30:00Z')), at('2026-11-24T11:00:00Z'));
}
export function contactConfirmed(facts?: TransferFacts) {
  return step(contactRecorded(facts), sendPrac, { type: 'confirmContact', agree: true }, at('2026-11-24T14:00:00Z'));
}
/**
 * What a lead says was done about each item the bruising protocol is missing (issue 14 item 4), for
 * NON_MOBILE_INFANT_BRUISING; none for any other flag.
 */
export function protocolActions(state: Pick<TransferState, 'facts'>, code = 'NON_MOBILE_INFANT_BRUISING') {
  if (code !== 'NON_MOBILE_INFANT_BRUISING') return [];
  return bruisingProtocolGaps(state.facts).map((item) => ({
    item,
    action: `${item.replace(/_/g, ' ')} arranged today`,
  }));
}

/** The review case's bruise has no protocol record at all: a lead addresses all four items. */
export const REVIEW_CASE_ACTIONS = protocolActions(draftOf());

export function criticalAcknowledged(facts?: TransferFacts) {
  let s = contactConfirmed(facts);
  for (const code of criticalFlagCodes(computeRiskFlags(s.facts))) {
    s = step(
      s,
      slSand,
      {
        type: 'acknowledgeFlag',
        code,
        advice: 'strategy discussion today; child protection medical',
        actions: protocolActions(s, code),
      },
      at('2026-11-24T15:00:00Z'),
    );
  }
  return s;
}
export function accepted(facts?: TransferFacts) {
  return step(
    criticalAcknowledged(facts),
    recvPrac,
    { type: 'accept', leadPractitioner: ref(recvPrac2) },
    at('2026-11-25T09:30:00Z'),
  );
}

/** A JSON snapshot (Dates as ISO strings) to prove nothing was mutated. */
export function snapshot(value: unknown): string {
  return JSON.stringify(value);
}

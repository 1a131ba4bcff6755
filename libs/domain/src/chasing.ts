/**
 * Closing loose ends (DESIGN §6): a chase item is only closed with recorded evidence, or by a
 * manager with a reason. Time alone never closes anything. Also what an appointment outcome does.
 */
import { isLocalDate, londonDate } from './calendar.js';
import { escalateOnce } from './chase-policy.js';
import { DEFAULT_CLOCK_POLICY, firstChaseAt, type ClockPolicy } from './clocks.js';
import type { Actor, Reason } from './lifecycle.js';
import type { ChaseKind, ChaseResolution, EscalationLevel } from './vocabulary.js';

/** The evidence each kind closes with (direct contact closes by itself when the transfer is accepted). */
export const EVIDENCE_RESOLUTION: Readonly<Record<ChaseKind, ChaseResolution | null>> = {
  gp_registration: 'registered',
  appointment: 'attended',
  agreed_action: 'completed',
  transfer_in_conference: 'held',
  direct_contact: null,
};

export const ODS_CODE = /^[A-Z][0-9]{5}$/;

export interface ChaseItemFacts {
  readonly kind: ChaseKind;
  readonly status: 'open' | 'closed';
}

/** The two teams of the item's transfer. */
export interface ChaseTeams {
  readonly sendingTeamId: string;
  readonly receivingTeamId: string;
}

export interface CloseRequest {
  readonly resolution: string;
  readonly evidence?: {
    readonly practiceOds?: string;
    readonly practiceName?: string;
    readonly registeredOn?: string;
    readonly attendedOn?: string;
    readonly note?: string;
    readonly heldOn?: string;
  };
  readonly reason?: string;
}

export type ChaseDecision =
  | { readonly ok: true; readonly resolution: ChaseResolution; readonly evidence: Record<string, string> }
  | { readonly ok: false; readonly error: 'INVALID_STATE' | 'FORBIDDEN' | 'PRECONDITION_FAILED'; readonly reasons: Reason[] };

const blank = (value: string | undefined | null) => typeof value !== 'string' || value.trim() === '';
const onTeam = (actor: Actor, teams: ChaseTeams) =>
  (actor.role === 'practitioner' || actor.role === 'manager') && (actor.teamId === teams.sendingTeamId || actor.teamId === teams.receivingTeamId);

function refuse(error: 'INVALID_STATE' | 'FORBIDDEN' | 'PRECONDITION_FAILED', reasons: Reason[]): ChaseDecision {
  return { ok: false, error, reasons };
}

/** A date that happened: a real YYYY-MM-DD no later than today (London). */
function pastDate(value: string | undefined, field: string, today: string, reasons: Reason[]): void {
  if (!isLocalDate(value)) reasons.push({ code: 'EVIDENCE_MISSING', message: `give ${field} as YYYY-MM-DD` });
  else if (value > today) reasons.push({ code: 'EVIDENCE_IN_FUTURE', message: `${field} cannot be in the future` });
}

/**
 * May this person close this item this way? Practitioners and managers of either team record
 * evidence; only a manager of either team may close an item as no longer required, with a reason.
 */
export function decideClose(item: ChaseItemFacts, teams: ChaseTeams, actor: Actor, request: CloseRequest, now: Date): ChaseDecision {
  if (item.status !== 'open') return refuse('INVALID_STATE', [{ code: 'NOT_ALLOWED_FROM_STATUS', message: 'this item is already closed' }]);
  if (!onTeam(actor, teams)) {
    return refuse('FORBIDDEN', [
      { code: 'NOT_ON_EITHER_TEAM', message: 'only a practitioner or manager of the sending or receiving team can close this item' },
    ]);
  }
  const today = londonDate(now);
  if (request.resolution === 'no_longer_required') {
    if (actor.role !== 'manager') return refuse('FORBIDDEN', [{ code: 'NOT_MANAGER', message: 'only a manager can close an item as no longer required' }]);
    if (blank(request.reason)) return refuse('PRECONDITION_FAILED', [{ code: 'REASON_REQUIRED', message: 'say why this item is no longer required' }]);
    return { ok: true, resolution: 'no_longer_required', evidence: { reason: request.reason!.trim() } };
  }
  const expected = EVIDENCE_RESOLUTION[item.kind];
  if (expected === null) {
    return refuse('PRECONDITION_FAILED', [
      {
        code: 'EVIDENCE_RESOLUTION_MISMATCH',
        message: 'the direct-contact item closes when the transfer is accepted (a manager may close it as no longer required)',
      },
    ]);
  }
  if (request.resolution !== expected) {
    return refuse('PRECONDITION_FAILED', [
      { code: 'EVIDENCE_RESOLUTION_MISMATCH', message: `a ${item.kind.replace(/_/g, ' ')} item closes with resolution "${expected}" and its evidence` },
    ]);
  }
  const e = request.evidence ?? {};
  const reasons: Reason[] = [];
  switch (expected) {
    case 'registered':
      if (!ODS_CODE.test(e.practiceOds ?? ''))
        reasons.push({ code: 'EVIDENCE_MISSING', message: 'give the practice ODS code: a capital letter then 5 digits, e.g. M88006' });
      if (blank(e.practiceName)) reasons.push({ code: 'EVIDENCE_MISSING', message: 'give the practice name' });
      pastDate(e.registeredOn, 'registeredOn', today, reasons);
      break;
    case 'attended':
      pastDate(e.attendedOn, 'attendedOn', today, reasons);
      break;
    case 'completed':
      if (blank(e.note)) reasons.push({ code: 'EVIDENCE_MISSING', message: 'describe how the action was completed (note)' });
      break;
    case 'held':
      pastDate(e.heldOn, 'heldOn', today, reasons);
      break;
  }
  if (reasons.length) return refuse('PRECONDITION_FAILED', reasons);
  const evidence = Object.fromEntries(
    Object.entries(e)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => [k, (v as string).trim()]),
  );
  return { ok: true, resolution: expected, evidence };
}

export interface OutcomeRequest {
  readonly status: string;
  readonly attendedOn?: string;
  readonly rebookedFor?: string;
}

export type OutcomeDecision =
  | { readonly ok: true; readonly status: 'attended'; readonly attendedOn: string }
  | {
      readonly ok: true;
      readonly status: 'was_not_brought';
      readonly rebookedFor: string | null;
      /** The appointment's chase item is escalated one level at once… */
      readonly escalationLevel: EscalationLevel;
      /** …and chased now for a rebooked date, or the working day after the rebooked one. */
      readonly nextChaseAt: Date;
    }
  | { readonly ok: false; readonly error: 'FORBIDDEN' | 'PRECONDITION_FAILED'; readonly reasons: Reason[] };

/**
 * An appointment's outcome. `attended` closes its chase item; `was_not_brought` keeps it open,
 * escalates it one level at once and asks for a rebooked date (raising WAS_NOT_BROUGHT follows
 * from the facts).
 */
export function decideAppointmentOutcome(
  teams: ChaseTeams,
  actor: Actor,
  request: OutcomeRequest,
  currentLevel: EscalationLevel,
  now: Date,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): OutcomeDecision {
  if (!onTeam(actor, teams)) {
    return {
      ok: false,
      error: 'FORBIDDEN',
      reasons: [{ code: 'NOT_ON_EITHER_TEAM', message: 'only a practitioner or manager of the sending or receiving team can record an outcome' }],
    };
  }
  const today = londonDate(now);
  const reasons: Reason[] = [];
  if (request.status === 'attended') {
    pastDate(request.attendedOn, 'attendedOn', today, reasons);
    if (reasons.length) return { ok: false, error: 'PRECONDITION_FAILED', reasons };
    return { ok: true, status: 'attended', attendedOn: request.attendedOn! };
  }
  if (request.status === 'was_not_brought') {
    const rebooked = request.rebookedFor ?? null;
    if (rebooked !== null && !isLocalDate(rebooked)) reasons.push({ code: 'EVIDENCE_MISSING', message: 'give rebookedFor as YYYY-MM-DD' });
    else if (rebooked !== null && rebooked < today) reasons.push({ code: 'EVIDENCE_MISSING', message: 'rebookedFor must be today or later' });
    if (reasons.length) return { ok: false, error: 'PRECONDITION_FAILED', reasons };
    return {
      ok: true,
      status: 'was_not_brought',
      rebookedFor: rebooked,
      escalationLevel: escalateOnce(currentLevel),
      nextChaseAt: rebooked ? firstChaseAt('appointment', { dueOn: rebooked }, clocks) : now,
    };
  }
  return { ok: false, error: 'PRECONDITION_FAILED', reasons: [{ code: 'EVIDENCE_MISSING', message: 'status must be attended or was_not_brought' }] };
}

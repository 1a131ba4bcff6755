/**
 * The transfer lifecycle (DESIGN §3) as data and pure functions.
 *
 *  draft ──initiate──▶ awaiting_contact ──record contact──▶ contact_recorded ──confirm (agree)──▶
 *  contact_confirmed ──accept──▶ accepted ──(all chase items closed)──▶ closed
 *  host notification (kind.ts): contact_confirmed ──acknowledge notification──▶ notification_acknowledged
 *    ──(all chase items closed)──▶ closed; never accepted, the sending side stays accountable
 *  child protection: contact_confirmed ──accept──▶ awaiting_conference (sending side still accountable,
 *    the lead is interim lead) ──record conference, then confirm its written outcome──▶ accepted
 *  confirm (disagree): contact_recorded ──▶ awaiting_contact (the record kept, marked disputed)
 *  return (receiving, before acceptance) ──▶ returned ──re-initiate──▶ awaiting_contact
 *  cancel (sending) from draft / awaiting_contact / returned ──▶ cancelled
 *
 * `decide(state, actor, command, now)` answers one request: either the new state, the event (its
 * `type` is what is audited; its payload what the store records) and the effects to carry out (in
 * the same transaction), or a refusal with every reason.
 * It never throws for bad input and never mutates its arguments.
 *
 * Checks run in this order, and the first failing stage answers:
 *   1. FORBIDDEN / NOT_VISIBLE      — the actor may not see the transfer (the API answers 404);
 *   2. INVALID_STATE                — the command is not allowed from the current status;
 *   3. FORBIDDEN                    — the actor may not give this command;
 *   4. PRECONDITION_FAILED          — with ALL unmet preconditions, not just the first.
 *
 * Where things are: state.ts (the state and actors), commands.ts, events.ts, transitions.ts (one
 * rule per command: from, who, check, apply, event), preconditions.ts (the checks in words),
 * effects.ts (what each event sets in motion), sides.ts (who is who), visibility.ts (who may see),
 * ../refusals.ts (every refusal code and its wording).
 */
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from '../clocks.js';
import { REFUSALS, refuse, type Refusal } from '../refusals.js';
import type { Command, NewTransfer } from './commands.js';
import { effectsOf, type Effect } from './effects.js';
import type { TransferEventRecord } from './events.js';
import { protocolDateGaps } from './preconditions.js';
import { actsForTeams } from './sides.js';
import { SYSTEM_ACTOR, type Actor, type TransferState } from './state.js';
import { TRANSITIONS, type TransitionRule } from './transitions.js';
import { canSee } from './visibility.js';

export type Decision =
  | {
      readonly ok: true;
      readonly state: TransferState;
      readonly event: TransferEventRecord;
      readonly effects: Effect[];
    }
  | Refusal;

export interface DecideOptions {
  readonly clocks?: ClockPolicy;
}

/** Decide one command. See the file header for the order of checks. */
export function decide(
  state: TransferState,
  actor: Actor,
  command: Command,
  now: Date,
  options: DecideOptions = {},
): Decision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!canSee(actor, state)) return refuse('FORBIDDEN', REFUSALS.notVisible());
  const rule = TRANSITIONS[command.type] as TransitionRule<Command> | undefined;
  if (!rule) return refuse('INVALID_STATE', REFUSALS.unknownCommand((command as { type: unknown }).type));
  if (!rule.from.includes(state.status))
    return refuse(
      'INVALID_STATE',
      rule.notFrom?.(state) ?? REFUSALS.notAllowedFromStatus(command.type, state.status, rule.from),
    );
  const forbidden = rule.who(state, actor, command);
  if (forbidden) return refuse('FORBIDDEN', forbidden);
  const clocks = options.clocks ?? DEFAULT_CLOCK_POLICY;
  const unmet = rule.check(state, actor, command, now, clocks);
  if (unmet.length > 0) return refuse('PRECONDITION_FAILED', ...unmet);
  const after = rule.apply(state, actor, command, now, clocks);
  const event = rule.event({ before: state, after, actor, command, now, clocks });
  return { ok: true, state: after, event, effects: effectsOf(event, state, after, now, clocks) };
}

/** Close an accepted transfer once no chase item is open (the system's sweep calls this). */
export function closeIfDone(state: TransferState, openChaseItems: number, now: Date): Decision {
  // Accepted transfers and acknowledged host notifications close; anything else is left as it is.
  return decide(state, SYSTEM_ACTOR, { type: 'close', openChaseItems }, now);
}

/**
 * Create a draft from the actor's team. The creator becomes the accountable practitioner.
 * Refused when the actor is not a practitioner/manager in a team, or the receiving team is in
 * the same area (a transfer is between areas).
 */
export function createTransfer(actor: Actor, input: NewTransfer): Decision {
  if (actor.role === 'admin') return refuse('FORBIDDEN', REFUSALS.adminNoFamilyData());
  if (!actsForTeams(actor) || actor.teamId === null || actor.areaId === null)
    return refuse('FORBIDDEN', REFUSALS.cannotStartTransfer());
  if (input.receivingAreaId === actor.areaId) return refuse('PRECONDITION_FAILED', REFUSALS.receivingTeamInSameArea());
  const dateGaps = protocolDateGaps(input.facts);
  if (dateGaps.length > 0) return refuse('PRECONDITION_FAILED', ...dateGaps);
  const state: TransferState = {
    status: 'draft',
    sendingTeamId: actor.teamId,
    sendingAreaId: actor.areaId,
    receivingTeamId: input.receivingTeamId,
    receivingAreaId: input.receivingAreaId,
    accountablePractitionerId: actor.id,
    interimLeadId: null,
    conferenceDueAt: null,
    conference: null,
    initiatedAt: null,
    facts: input.facts,
    directContact: null,
    safeguardingAcknowledgements: [],
    hostContactPractitionerId: null,
  };
  return {
    ok: true,
    state,
    event: { type: 'transfer.created' },
    effects: effectsOf({ type: 'transfer.created' }, null, state, new Date(0)),
  };
}

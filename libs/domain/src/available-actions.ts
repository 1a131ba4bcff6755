/**
 * What the caller can do with a transfer now, and why not (issue 10, the console's buttons).
 *
 * Every entry is the answer of the SAME `decide()` the transitions run, as a dry run: the caller as
 * actor and a representative command whose inputs are valid (a conversation by phone just now with
 * every flag acknowledged; the caller as receiving lead; a reason; advice…). So the refusals shown
 * are the ones about the caller, the state and the flags; what the caller has yet to type (a reason,
 * a summary, who was spoken to) is the form's business, checked when the command is sent.
 *
 * Only commands the caller's side could ever give are listed, so a page never shows a button that
 * could never work for this person: the sending side sees update, initiate, confirmContact and
 * cancel (and, for child protection, confirmConference); the receiving side recordContact, accept
 * (acknowledgeNotification instead for a host notification) and return (and, for child protection,
 * recordConference); managers of either side also
 * reassign; a safeguarding lead of either area sees acknowledgeFlag, once per critical flag still
 * waiting for a lead's advice. Nobody sees the system's `close`. Anyone who cannot see the
 * transfer gets an empty list (the API answers 404 for them anyway).
 */
import { londonDate } from './calendar.js';
import type { ClockPolicy } from './clocks.js';
import {
  accountableTeamId,
  activeFlagCodes,
  canSee,
  decide,
  isHostNotification,
  needsTransferInConference,
  unacknowledgedCriticalFlags,
  type Actor,
  type Command,
  type CommandType,
  type TransferState,
} from './lifecycle/index.js';
import { isReceivingSide, isSafeguardingLeadFor, isSendingSide } from './lifecycle/sides.js';
import type { RefusalCode } from './refusals.js';
import type { RiskFlagCode } from './vocabulary.js';

/**
 * The commands the console may offer on a transfer's page: every command but the system's `close`,
 * an appointment's outcome (offered on the appointment, not as a transfer action) and
 * `recordChildSeen` (offered per child on the transfer page, issue 14 item 1).
 */
export type OfferedCommand = Exclude<CommandType, 'close' | 'recordOutcome' | 'recordChildSeen' | RouteCommand>;

/**
 * The family not reached's commands (issue 14 item 2): offered with the route on the transfer's
 * page (its own section), not as transfer actions — not yet listed here (docs/decisions.md).
 */
type RouteCommand = 'reportNotReached' | 'closeLocateCheck' | 'recordNationalAlert' | 'recordFamilyFound';

/** In the order a page lists them. */
export const OFFERED_COMMANDS: readonly OfferedCommand[] = [
  'update',
  'initiate',
  'recordContact',
  'confirmContact',
  'acknowledgeFlag',
  'accept',
  'acknowledgeNotification',
  'recordConference',
  'confirmConference',
  'return',
  'cancel',
  'reassign',
];

export interface ActionRefusal {
  readonly code: RefusalCode;
  /** The domain's sentence, which a practitioner can act on. */
  readonly message: string;
}

export type AvailableAction =
  | { readonly action: OfferedCommand; readonly allowed: true; readonly flagCode?: RiskFlagCode }
  | {
      readonly action: OfferedCommand;
      readonly allowed: false;
      readonly reasons: readonly ActionRefusal[];
      readonly flagCode?: RiskFlagCode;
    };

/**
 * Refusals about what the person has yet to enter in the command's form (not about them, the
 * transfer's state or its flags). The dry run's representative inputs are valid, so these should
 * not arise; if one does (e.g. a clock that has not moved since initiation), it is not a reason to
 * withhold the button.
 */
const INPUT_REASONS: ReadonlySet<RefusalCode> = new Set<RefusalCode>([
  'RECEIVING_TEAM_IN_SAME_AREA',
  'RECEIVING_TEAM_FIXED',
  'CONTACT_METHOD_NOT_CONVERSATION',
  'CONTACT_TIME_INVALID',
  'CONTACT_BEFORE_INITIATION',
  'CONTACT_IN_FUTURE',
  'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM',
  'SENDING_PRACTITIONER_INACTIVE',
  'FLAGS_NOT_ACKNOWLEDGED',
  'AGREED_ACTION_DUE_DATE_INVALID',
  'COMMENT_REQUIRED',
  'ADVICE_REQUIRED',
  'LEAD_NOT_IN_RECEIVING_TEAM',
  'LEAD_INACTIVE',
  'CONTACT_NOT_IN_HOST_TEAM',
  'CONTACT_INACTIVE',
  'REASON_REQUIRED',
  'ASSIGNEE_NOT_IN_TEAM',
  'ASSIGNEE_INACTIVE',
  'CONFERENCE_DATE_INVALID',
  'CONFERENCE_BEFORE_INITIATION',
  'CONFERENCE_IN_FUTURE',
  'CONFERENCE_OUTCOME_INVALID',
  'CHAIR_REQUIRED',
  'CONFIRMATION_DATE_INVALID',
  'CONFIRMATION_BEFORE_CONFERENCE',
  'CONFIRMATION_IN_FUTURE',
  // the bruising protocol: what the lead says was done about each missing item is the form's to ask
  'PROTOCOL_ITEMS_NOT_ADDRESSED',
  'PROTOCOL_ITEM_NOT_MISSING',
  'PROTOCOL_DATE_BEFORE_CONCERN',
]);

type Side = 'sending' | 'receiving' | 'lead';

/** Which side of the transfer the actor acts for (the lifecycle's own tests, lifecycle/sides.ts). */
function sideOf(state: TransferState, actor: Actor): Side | null {
  if (isSendingSide(state, actor)) return 'sending';
  if (isReceivingSide(state, actor)) return 'receiving';
  if (isSafeguardingLeadFor(state, actor)) return 'lead';
  return null;
}

/** A representative command with valid inputs, so only the caller, the state and the flags decide. */
function representative(
  type: Exclude<OfferedCommand, 'acknowledgeFlag'>,
  state: TransferState,
  actor: Actor,
  now: Date,
): Command {
  switch (type) {
    case 'update':
      return { type, facts: state.facts };
    case 'initiate':
      return { type };
    case 'recordContact':
      return {
        type,
        contactId: 'dry-run',
        occurredAt: now,
        method: 'phone',
        sendingPractitioner: { id: state.accountablePractitionerId, teamId: state.sendingTeamId, active: true },
        flagAcknowledgements: activeFlagCodes(state).map((code) => ({ code, understanding: 'understood' })),
        agreedActions: [],
      };
    case 'confirmContact':
      return { type, agree: true };
    case 'accept':
      return { type, leadPractitioner: { id: actor.id, teamId: actor.teamId ?? '', active: true } };
    case 'acknowledgeNotification':
      return { type, contactPractitioner: { id: actor.id, teamId: actor.teamId ?? '', active: true } };
    case 'recordConference':
      return { type, heldOn: londonDate(now), outcome: 'plan_continues', chair: 'chair' };
    case 'confirmConference':
      return { type, receivedOn: londonDate(now) };
    case 'return':
    case 'cancel':
      return { type, reason: 'reason' };
    case 'reassign':
      return { type, to: { id: state.accountablePractitionerId, teamId: accountableTeamId(state), active: true } };
  }
}

function dryRun(
  state: TransferState,
  actor: Actor,
  command: Command,
  now: Date,
  clocks?: ClockPolicy,
): AvailableAction {
  const action = command.type as OfferedCommand;
  const decision = decide(state, actor, command, now, { clocks });
  if (decision.ok) return { action, allowed: true };
  const reasons = decision.reasons
    .filter((r) => !INPUT_REASONS.has(r.code))
    .map((r) => ({ code: r.code, message: r.message }));
  return reasons.length === 0 ? { action, allowed: true } : { action, allowed: false, reasons };
}

/** What this actor may do with this transfer now; see the file header. */
export function availableActions(
  state: TransferState,
  actor: Actor,
  now: Date,
  options: { clocks?: ClockPolicy } = {},
): AvailableAction[] {
  if (!canSee(actor, state)) return [];
  const side = sideOf(state, actor);
  if (side === null) return [];
  const offered: OfferedCommand[] =
    side === 'sending'
      ? ['update', 'initiate', 'confirmContact', 'cancel']
      : side === 'receiving'
        ? ['recordContact', isHostNotification(state.facts) ? 'acknowledgeNotification' : 'accept', 'return']
        : ['acknowledgeFlag'];
  // Child protection only: the receiving side records the conference, the sending side its written outcome.
  if (needsTransferInConference(state.facts, options.clocks) && side !== 'lead')
    offered.push(side === 'sending' ? 'confirmConference' : 'recordConference');
  if (side !== 'lead' && actor.role === 'manager') offered.push('reassign');

  const result: AvailableAction[] = [];
  for (const type of OFFERED_COMMANDS.filter((c) => offered.includes(c))) {
    if (type === 'acknowledgeFlag') {
      for (const flagCode of unacknowledgedCriticalFlags(state)) {
        const entry = dryRun(state, actor, { type, code: flagCode, advice: 'advice' }, now, options.clocks);
        result.push({ ...entry, flagCode });
      }
    } else {
      result.push(dryRun(state, actor, representative(type, state, actor, now), now, options.clocks));
    }
  }
  return result;
}

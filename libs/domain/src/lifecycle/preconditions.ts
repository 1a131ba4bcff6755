/**
 * Preconditions in words: every unmet one at once, as the transitions report them (PRECONDITION_FAILED).
 */
import { isLocalDate } from '../calendar.js';
import { DEFAULT_CLOCK_POLICY, isShortStay, type ClockPolicy } from '../clocks.js';
import { isChild, type TransferFacts } from '../facts.js';
import { REFUSALS, type Reason } from '../refusals.js';
import {
  bruisingProtocolGaps,
  computeRiskFlags,
  criticalFlagCodes,
  isBruiseOrInjury,
  type RiskFlag,
} from '../risk-flags.js';
import {
  BRUISING_PROTOCOL_ITEMS,
  isBruisingProtocolItem,
  isContactMethod,
  isMaleCarerRole,
  type BruisingProtocolItem,
  type RiskFlagCode,
} from '../vocabulary.js';
import type { Command } from './commands.js';
import type { TransferState } from './state.js';

/** Everything that stops a draft being initiated (DESIGN §3), all at once. */
export function initiationGaps(f: TransferFacts, clocks: ClockPolicy = DEFAULT_CLOCK_POLICY): Reason[] {
  const reasons: Reason[] = [];
  const children = f.household.filter(isChild);
  if (children.length === 0) reasons.push(REFUSALS.noChild());
  const noRole = f.household.filter((m) => m.role === null).map((m) => m.id);
  if (noRole.length > 0) reasons.push(REFUSALS.memberRoleMissing(noRole));
  if (!f.householdConfirmed) reasons.push(REFUSALS.householdNotConfirmed());
  if (!f.household.some((m) => isMaleCarerRole(m.role, m.sex)) && !nonBlank(f.noMaleCarerReason))
    reasons.push(REFUSALS.maleCarerNotRecorded());
  const noGp = children.filter((m) => m.gp.status === null).map((m) => m.id);
  if (noGp.length > 0) reasons.push(REFUSALS.gpStatusNotRecorded(noGp));
  if (!isLocalDate(f.moveDate)) reasons.push(REFUSALS.moveDateInvalid());
  const badAppointments = f.appointments.filter((a) => !isLocalDate(a.dueOn));
  if (badAppointments.length > 0)
    reasons.push(REFUSALS.appointmentDateInvalid([...new Set(badAppointments.map((a) => a.memberId))]));
  reasons.push(...temporaryMoveGaps(f, clocks));
  return reasons;
}

/**
 * The lawful basis and the family informed (issue 13 item 4), both required to send a transfer:
 * consent names who gave it and a date not after today (London); sharing without consent gives the
 * rationale and is approved by an active manager of the sending team; the family was told on a date
 * not after today, or the reason they were not is given. Each gap is named, all at once.
 */
export function lawfulBasisGaps(f: TransferFacts, sendingTeamId: string, today: string): Reason[] {
  const reasons: Reason[] = [];
  const b = f.sharingBasis ?? null;
  if (b === null) reasons.push(REFUSALS.sharingBasisMissing());
  else if (b.basis === 'consent') {
    if (!nonBlank(b.givenBy)) reasons.push(REFUSALS.sharingBasisIncomplete('who gave consent (givenBy)'));
    if (!isLocalDate(b.givenOn) || b.givenOn > today)
      reasons.push(REFUSALS.sharingBasisIncomplete('the date consent was given, not in the future (givenOn)'));
  } else {
    if (!nonBlank(b.rationale))
      reasons.push(REFUSALS.sharingBasisIncomplete('the reason for sharing without consent (rationale)'));
    const approver = b.approvedBy ?? null;
    if (!approver || approver.role !== 'manager' || approver.teamId !== sendingTeamId || !approver.active)
      reasons.push(REFUSALS.sharingApproverNotSendingManager());
  }
  const informed = f.familyInformed ?? null;
  if (informed === null) reasons.push(REFUSALS.familyInformedMissing());
  else if ('on' in informed) {
    if (!isLocalDate(informed.on) || informed.on > today)
      reasons.push(REFUSALS.familyInformedIncomplete('the date they were told, not in the future (on)'));
  } else if (!nonBlank(informed.notInformedReason))
    reasons.push(REFUSALS.familyInformedIncomplete('why they were not told (notInformedReason)'));
  return reasons;
}

/**
 * The bruising protocol's dates (issue 14 item 4): a health assessment, referral or multi-agency
 * discussion cannot come before the bruise or injury was observed.
 */
export function protocolDateGaps(f: Pick<TransferFacts, 'concerns'>): Reason[] {
  const early = f.concerns.filter((c) => {
    if (!isBruiseOrInjury(c.type) || !c.protocol || !isLocalDate(c.observedOn)) return false;
    const p = c.protocol;
    return [p.healthAssessmentOn, p.referralOn, p.multiAgencyDiscussionOn].some(
      (on) => isLocalDate(on) && on < c.observedOn,
    );
  });
  return early.length > 0 ? [REFUSALS.protocolDateBeforeConcern([...new Set(early.map((c) => c.memberId))])] : [];
}

/**
 * A safeguarding lead's acknowledgement of NON_MOBILE_INFANT_BRUISING says what was done about
 * each item the bruising protocol is missing (issue 14 item 4): one `actions` entry per missing
 * item, with words. An entry for an item that is not missing (or a second one for the same item),
 * or any entry on another flag, is refused too, so the record says exactly what was addressed.
 */
export function protocolActionGaps(
  s: Pick<TransferState, 'facts'>,
  c: Extract<Command, { type: 'acknowledgeFlag' }>,
): Reason[] {
  const actions = c.actions ?? [];
  const missing: BruisingProtocolItem[] = c.code === 'NON_MOBILE_INFANT_BRUISING' ? bruisingProtocolGaps(s.facts) : [];
  const reasons: Reason[] = [];
  const addressed = new Set(actions.filter((a) => nonBlank(a.action)).map((a) => a.item));
  const notAddressed = missing.filter((item) => !addressed.has(item));
  if (notAddressed.length > 0) reasons.push(REFUSALS.protocolItemsNotAddressed(notAddressed));
  const seen = new Set<string>();
  const extra = new Set<BruisingProtocolItem>();
  for (const a of actions) {
    if (!isBruisingProtocolItem(a.item) || !missing.includes(a.item) || seen.has(a.item))
      extra.add(a.item as BruisingProtocolItem);
    seen.add(a.item);
  }
  if (extra.size > 0)
    reasons.push(
      REFUSALS.protocolItemNotMissing(
        [...extra].sort((a, b) => BRUISING_PROTOCOL_ITEMS.indexOf(a) - BRUISING_PROTOCOL_ITEMS.indexOf(b)),
      ),
    );
  return reasons;
}

/**
 * A temporary move (issue 13 item 3) needs `expectedUntil` or `reviewOn`; a stay expected to last
 * under the short-stay threshold needs the sending side's recorded choice (host notification or
 * transfer) with its reason; only such a stay may be recorded as a host notification.
 */
export function temporaryMoveGaps(f: TransferFacts, clocks: ClockPolicy = DEFAULT_CLOCK_POLICY): Reason[] {
  const reasons: Reason[] = [];
  const choice = f.shortStayChoice ?? null;
  const temporary = f.moveType === 'temporary';
  if (temporary && !isLocalDate(f.expectedUntil) && !isLocalDate(f.reviewOn))
    reasons.push(REFUSALS.temporaryMoveDatesMissing());
  if (temporary && isLocalDate(f.expectedUntil) && isLocalDate(f.moveDate) && f.expectedUntil < f.moveDate)
    reasons.push(REFUSALS.expectedUntilBeforeMove());
  const short = temporary && isShortStay(f.moveDate, f.expectedUntil, clocks);
  if (short && choice === null) reasons.push(REFUSALS.shortStayChoiceMissing(clocks.shortStayDays));
  if (choice !== null && !nonBlank(choice.reason)) reasons.push(REFUSALS.shortStayReasonMissing());
  if (choice?.recordAs === 'host_notification' && !short)
    reasons.push(REFUSALS.shortStayNotShort(clocks.shortStayDays));
  return reasons;
}

/** Everything wrong with a record of direct contact (the `recordContact` command), all at once. */
export function contactGaps(s: TransferState, c: Extract<Command, { type: 'recordContact' }>, now: Date): Reason[] {
  const reasons: Reason[] = [];
  if (!isContactMethod(c.method)) reasons.push(REFUSALS.contactMethodNotConversation());
  const when = c.occurredAt instanceof Date ? c.occurredAt.getTime() : NaN;
  if (Number.isNaN(when)) {
    reasons.push(REFUSALS.contactTimeInvalid());
  } else {
    if (s.initiatedAt && when <= s.initiatedAt.getTime()) reasons.push(REFUSALS.contactBeforeInitiation());
    if (when > now.getTime()) reasons.push(REFUSALS.contactInFuture());
  }
  if (c.sendingPractitioner.teamId !== s.sendingTeamId) reasons.push(REFUSALS.sendingPractitionerNotInSendingTeam());
  if (!c.sendingPractitioner.active) reasons.push(REFUSALS.sendingPractitionerInactive());
  const understood = new Set(c.flagAcknowledgements.filter((f) => nonBlank(f.understanding)).map((f) => f.code));
  const missing = activeFlagCodes(s).filter((code) => !understood.has(code));
  if (missing.length > 0) reasons.push(REFUSALS.flagsNotAcknowledged(missing));
  if ((c.agreedActions ?? []).some((a) => !isLocalDate(a.dueOn))) reasons.push(REFUSALS.agreedActionDueDateInvalid());
  return reasons;
}

// =============================================================================================
// What the preconditions read

/** The risk flags raised by the transfer's current facts. */
export function activeRiskFlags(state: Pick<TransferState, 'facts'>): readonly RiskFlag[] {
  return computeRiskFlags(state.facts);
}

export function activeFlagCodes(state: Pick<TransferState, 'facts'>): RiskFlagCode[] {
  return activeRiskFlags(state).map((f) => f.code);
}

/** Critical flags still waiting for a safeguarding lead's acknowledgement (these block `accept`). */
export function unacknowledgedCriticalFlags(
  state: Pick<TransferState, 'facts' | 'safeguardingAcknowledgements'>,
): RiskFlagCode[] {
  return criticalFlagCodes(activeRiskFlags(state)).filter((code) => !state.safeguardingAcknowledgements.includes(code));
}

export function nonBlank(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

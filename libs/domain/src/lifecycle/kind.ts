/**
 * What a transfer is (issue 13 items 2 and 3): a transfer of responsibility, or a host
 * notification — the host area is told, has the same direct conversation, names a contact, and
 * the sending area stays accountable for good (Sussex 1.7.5: looked-after children and children
 * subject to a statutory order; Tees: a stay under the short-stay threshold may remain with the
 * originating area, when the sending side chooses so and says why).
 *
 * The kind follows from the facts alone (no clock policy), so it is the same everywhere it is read;
 * whether a short-stay choice is allowed is an initiation check (preconditions.ts).
 */
import { DEFAULT_CLOCK_POLICY, requiresTransferInConference, type ClockPolicy } from '../clocks.js';
import type { TransferFacts } from '../facts.js';
import { isChild } from '../facts.js';
import type { ConferenceClockStart } from '../vocabulary.js';
import type { HostNotificationGround, TransferKind } from '../vocabulary.js';

/** Why the transfer is a host notification; empty for a transfer of responsibility. */
export function hostNotificationGrounds(facts: TransferFacts): HostNotificationGround[] {
  const grounds: HostNotificationGround[] = [];
  if (facts.involvement === 'looked_after') grounds.push('looked_after');
  if (facts.household.some((m) => isChild(m) && m.statutoryOrder)) grounds.push('statutory_order');
  if (facts.moveType === 'temporary' && facts.shortStayChoice?.recordAs === 'host_notification')
    grounds.push('short_temporary_stay');
  return grounds;
}

export function transferKind(facts: TransferFacts): TransferKind {
  return hostNotificationGrounds(facts).length > 0 ? 'host_notification' : 'transfer';
}

export const isHostNotification = (facts: TransferFacts): boolean => transferKind(facts) === 'host_notification';

/** A temporary transfer of responsibility (not a host notification) is reviewed at the move-review date. */
export const needsMoveReview = (facts: TransferFacts): boolean =>
  facts.moveType === 'temporary' && !isHostNotification(facts);

/**
 * Does this transfer need a transfer-in conference? A child-protection family (the configured
 * involvements) that is not a host notification: when the family is also looked after, under a
 * statutory order or a short stay recorded as a notification, the host notification wins —
 * accountability never passes, so there is no transfer-in conference to pass it at.
 */
export const needsTransferInConference = (facts: TransferFacts, clocks: ClockPolicy = DEFAULT_CLOCK_POLICY): boolean =>
  requiresTransferInConference(facts.involvement, clocks) && !isHostNotification(facts);

/** Does this moment (initiation or acceptance) start the transfer's conference clock? (CONFERENCE_CLOCK_START) */
export const conferenceClockStartsAt = (
  moment: ConferenceClockStart,
  facts: TransferFacts,
  clocks: ClockPolicy = DEFAULT_CLOCK_POLICY,
): boolean => needsTransferInConference(facts, clocks) && clocks.conferenceClockStart === moment;

/**
 * Confidential addresses (issue 13 item 5). A family fleeing domestic abuse may be in a refuge whose
 * address must not travel: when the sending side marks the new address confidential, only the
 * practitioners named on the transfer and both areas' safeguarding leads may read it. Everyone else
 * who can see the transfer is told who to ask instead.
 */
import type { Actor, TransferState } from './lifecycle/index.js';
import { canSee } from './lifecycle/index.js';

/** The people named on the transfer, by id: accountable, the two in the direct conversation, the interim lead. */
export function namedOnTransfer(s: TransferState): ReadonlySet<string> {
  const named = new Set<string>([s.accountablePractitionerId]);
  if (s.directContact) {
    named.add(s.directContact.sendingPractitionerId);
    named.add(s.directContact.recordedById);
  }
  // The receiving area's interim lead of a child-protection transfer awaiting its conference (issue 13 item 1).
  if (s.interimLeadId) named.add(s.interimLeadId);
  return named;
}

/**
 * May this actor read a confidential address? Only someone who can see the transfer at all, and
 * then only a practitioner named on it (accountable — the receiving lead once accepted — the two people
 * in the direct conversation, the interim lead) or a safeguarding lead of either area. The system
 * is not a reader: what it produces for everyone (the packet) carries the address withheld.
 */
export function mayReadConfidentialAddress(s: TransferState, actor: Actor): boolean {
  if (actor.role === 'system' || actor.role === 'admin' || !canSee(actor, s)) return false;
  if (actor.role === 'safeguarding_lead')
    return actor.areaId !== null && (actor.areaId === s.sendingAreaId || actor.areaId === s.receivingAreaId);
  return namedOnTransfer(s).has(actor.id);
}

/** What is shown in place of the address lines and postcode to anyone else. */
export function confidentialAddressText(askName: string): string {
  return `held confidentially — ask ${askName}`;
}

/**
 * Who is who on a transfer. The "sending side" is a practitioner or manager in the sending team,
 * the "receiving side" one in the receiving team (managers act for their team). Safeguarding leads
 * of either area see the transfer and acknowledge flags but do not act for a team. Admins never
 * touch family data. Only the system closes a transfer.
 */
import type { ChaseKind } from '../vocabulary.js';
import { isHostNotification } from './kind.js';
import type { Actor, TransferState } from './state.js';

export function sameId(a: string | null, b: string): boolean {
  return a !== null && a === b;
}

export const actsForTeams = (a: Actor) => a.role === 'practitioner' || a.role === 'manager';
export const isSendingSide = (s: TransferState, a: Actor) => actsForTeams(a) && sameId(a.teamId, s.sendingTeamId);
export const isReceivingSide = (s: TransferState, a: Actor) => actsForTeams(a) && sameId(a.teamId, s.receivingTeamId);
export const isSendingManager = (s: TransferState, a: Actor) => isSendingSide(s, a) && a.role === 'manager';
export const isAccountable = (s: TransferState, a: Actor) => actsForTeams(a) && a.id === s.accountablePractitionerId;
export const isSafeguardingLeadFor = (s: TransferState, a: Actor) =>
  a.role === 'safeguarding_lead' && (sameId(a.areaId, s.sendingAreaId) || sameId(a.areaId, s.receivingAreaId));
/**
 * Before acceptance the sending team holds accountability; from acceptance the receiving team.
 * A host notification is never accepted: the sending team holds it for good, closed or not.
 */
export const accountableTeamId = (s: TransferState) =>
  (s.status === 'accepted' || s.status === 'closed') && !isHostNotification(s.facts)
    ? s.receivingTeamId
    : s.sendingTeamId;
/**
 * Who owns (is chased about) the transfer's loose ends: the interim lead while a child-protection
 * transfer awaits its conference (they run the plan), otherwise the accountable practitioner.
 */
export const chaseOwnerId = (s: Pick<TransferState, 'interimLeadId' | 'accountablePractitionerId'>) =>
  s.interimLeadId ?? s.accountablePractitionerId;

/** Chase kinds the receiving side owns from initiation, whoever is accountable (issue 14 item 1). */
export const RECEIVING_SIDE_CHASE_KINDS: readonly ChaseKind[] = ['child_seen'];

/**
 * Who on the receiving side owns its loose ends (a child to be seen): the interim lead while a
 * child-protection transfer awaits its conference, the receiving lead once accountability has
 * passed, a host notification's host-team contact once named — and before any of them, nobody by
 * name: null, the receiving team (its mailbox and managers are chased).
 */
export function receivingChaseOwnerId(
  s: Pick<
    TransferState,
    | 'interimLeadId'
    | 'accountablePractitionerId'
    | 'hostContactPractitionerId'
    | 'status'
    | 'facts'
    | 'receivingTeamId'
    | 'sendingTeamId'
  >,
): string | null {
  if (s.interimLeadId) return s.interimLeadId;
  if (isHostNotification(s.facts)) return s.hostContactPractitionerId ?? null;
  return s.status === 'accepted' || s.status === 'closed' ? s.accountablePractitionerId : null;
}

/** The owner of a new chase item of this kind: the receiving side's for its kinds, else chaseOwnerId. */
export function chaseOwnerFor(kind: ChaseKind, s: TransferState): string | null {
  return RECEIVING_SIDE_CHASE_KINDS.includes(kind) ? receivingChaseOwnerId(s) : chaseOwnerId(s);
}

/**
 * Who is who on a transfer. The "sending side" is a practitioner or manager in the sending team,
 * the "receiving side" one in the receiving team (managers act for their team). Safeguarding leads
 * of either area see the transfer and acknowledge flags but do not act for a team. Admins never
 * touch family data. Only the system closes a transfer.
 */
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

/** Who may see a transfer (and its family data). */
import type { TransferStatus } from '../vocabulary.js';
import { sameId } from './sides.js';
import type { Actor } from './state.js';

/** What visibility depends on (a TransferState, or a summary row). */
export interface VisibilityFacts {
  readonly sendingTeamId: string;
  readonly sendingAreaId: string;
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  readonly initiatedAt: Date | null;
  readonly status?: TransferStatus;
}

/**
 * May this actor see the transfer (and its family data)?
 * - the sending team: always; the sending area's safeguarding leads: always;
 * - the receiving team and the receiving area's safeguarding leads: once it has been initiated
 *   (so a draft, or a transfer cancelled as a draft, never was visible to them);
 * - admins: never; anyone else: never. The system: always.
 */
export function canSee(actor: Actor, t: VisibilityFacts): boolean {
  if (actor.role === 'system') return true;
  if (actor.role === 'admin') return false;
  const isLead = actor.role === 'safeguarding_lead';
  if (sameId(actor.teamId, t.sendingTeamId) || (isLead && sameId(actor.areaId, t.sendingAreaId))) return true;
  if (t.initiatedAt == null) return false;
  return sameId(actor.teamId, t.receivingTeamId) || (isLead && sameId(actor.areaId, t.receivingAreaId));
}

import { canSee } from '@fh/domain';
import type { Actor, VisibilityFacts } from '@fh/domain';
import { EntityManager } from 'typeorm';
import type { SignedInPractitioner } from '../auth/actor.js';

/** The domain's view of a signed-in practitioner. */
export function actorOf(practitioner: SignedInPractitioner): Actor {
  return { id: practitioner.id, teamId: practitioner.teamId, areaId: practitioner.areaId, role: practitioner.role };
}

/** May this person see this transfer now? The domain's rule, read from one small query. */
export async function canSeeTransfer(manager: EntityManager, practitioner: SignedInPractitioner, transferId: unknown): Promise<boolean> {
  if (typeof transferId !== 'string') return false;
  const rows: VisibilityFacts[] = await manager.query(
    `SELECT sending_team_id AS "sendingTeamId", sending_area_id AS "sendingAreaId", receiving_team_id AS "receivingTeamId",
            receiving_area_id AS "receivingAreaId", initiated_at AS "initiatedAt"
     FROM transfers WHERE id = $1`,
    [transferId],
  );
  return rows.length > 0 && canSee(actorOf(practitioner), rows[0]);
}

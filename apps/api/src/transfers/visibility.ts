import { canSee } from '@fh/domain';
import type { Actor } from '@fh/domain';
import { loadVisibilityFacts } from '@fh/persistence';
import { EntityManager } from 'typeorm';
import type { SignedInPractitioner } from '../auth/actor.js';

/** The domain's view of a signed-in practitioner. */
export function actorOf(practitioner: SignedInPractitioner): Actor {
  return { id: practitioner.id, teamId: practitioner.teamId, areaId: practitioner.areaId, role: practitioner.role };
}

/** May this person see this transfer now? The domain's rule, from the facts it needs (one small query). */
export async function canSeeTransfer(
  manager: EntityManager,
  practitioner: SignedInPractitioner,
  transferId: unknown,
): Promise<boolean> {
  if (typeof transferId !== 'string') return false;
  const facts = await loadVisibilityFacts(manager, transferId);
  return facts !== null && canSee(actorOf(practitioner), facts);
}

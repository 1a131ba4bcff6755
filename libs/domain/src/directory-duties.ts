import type { PractitionerRole } from './vocabulary.js';

/**
 * Separation of duties in the directory (issue 12 item 1, docs/decisions.md "Four eyes on the
 * directory"). Pure rules; the directory service applies them and the repository stores pending changes.
 */

/** A practitioner's directory record as far as the rules care. */
export interface DirectoryStanding {
  role: PractitionerRole;
  teamId: string | null;
  active: boolean;
}

/** The fields a directory change may set. */
export interface DirectoryPatch {
  role?: PractitionerRole;
  teamId?: string | null;
  active?: boolean;
  name?: string;
}

/** Roles that see families: granting one needs a second admin. */
export const FAMILY_ACCESS_ROLES: readonly PractitionerRole[] = ['manager', 'safeguarding_lead'];

/** Nobody changes their own role, team or active state (their own name they may). */
export function isOwnStandingChange(actorId: string, targetId: string, patch: DirectoryPatch): boolean {
  return actorId === targetId && (patch.role !== undefined || patch.teamId !== undefined || patch.active !== undefined);
}

/**
 * Why a change needs a second admin's approval before it takes effect, or null when one admin may
 * make it alone. `before` is null for a new practitioner. `otherAdmins` counts the active admins other
 * than the proposer: while there are none, making the first further admin is the bootstrap step and
 * takes effect at once (nobody could approve it); after that, granting admin needs approval too, so
 * an admin cannot make a second admin account for themselves and approve their own proposals with it.
 */
export function approvalReason(
  before: DirectoryStanding | null,
  after: DirectoryStanding,
  otherAdmins: number,
): string | null {
  if (FAMILY_ACCESS_ROLES.includes(after.role) && (before === null || before.role !== after.role))
    return `grants the ${after.role} role`;
  if (after.teamId !== null && (before === null || before.teamId !== after.teamId))
    return before === null ? 'creates a practitioner in a team' : 'moves a practitioner into a team';
  if (after.role === 'admin' && (before === null || before.role !== 'admin') && otherAdmins > 0)
    return 'grants the admin role';
  return null;
}

/** Who may approve a pending change: another admin than the one who proposed it, and not its subject. */
export function approvalRefusal(approverId: string, proposerId: string, subjectId: string | null): string | null {
  if (approverId === proposerId) return 'a change needs a second admin: the admin who proposed it cannot approve it';
  if (subjectId !== null && approverId === subjectId) return 'nobody approves a change to their own directory record';
  return null;
}

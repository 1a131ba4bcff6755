import type { PractitionerRole } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { appendAudit } from './audit.js';

/** A practitioner as sign-in needs them: who, their role and team now, and whether they are active. */
export interface SignInPractitionerRow {
  id: string;
  email: string;
  name: string;
  role: PractitionerRole;
  teamId: string | null;
  areaId: string | null;
  active: boolean;
}

/** How a token from an OIDC issuer was matched to the directory. */
export type IdentityMatch =
  | { readonly kind: 'matched'; readonly practitioner: SignInPractitionerRow }
  /** First sign-in of this (issuer, subject), and the token carries no email to match by. */
  | { readonly kind: 'email_required' }
  /** First sign-in, and nobody in the directory has this email. */
  | { readonly kind: 'unknown' }
  /** First sign-in, and the practitioner with this email is inactive (nothing recorded). */
  | { readonly kind: 'inactive'; readonly practitioner: SignInPractitionerRow }
  /** First sign-in, and the practitioner with this email is already linked to another subject of this issuer. */
  | { readonly kind: 'linked_elsewhere' };

const SELECT = `SELECT p.id, p.email, p.name, p.role, p.team_id AS "teamId", t.area_id AS "areaId", p.active
  FROM practitioners p LEFT JOIN teams t ON t.id = p.team_id`;

/** The practitioner with this email (case-insensitive), active or not. */
export async function practitionerByEmail(
  manager: EntityManager,
  email: string,
): Promise<SignInPractitionerRow | null> {
  const rows: SignInPractitionerRow[] = await manager.query(`${SELECT} WHERE lower(p.email) = $1`, [
    email.toLowerCase(),
  ]);
  return rows[0] ?? null;
}

/** The practitioner with this id, active or not. */
export async function practitionerById(manager: EntityManager, id: string): Promise<SignInPractitionerRow | null> {
  const rows: SignInPractitionerRow[] = await manager.query(`${SELECT} WHERE p.id = $1`, [id]);
  return rows[0] ?? null;
}

async function byIdentity(
  manager: EntityManager,
  issuer: string,
  subject: string,
): Promise<SignInPractitionerRow | null> {
  const rows: SignInPractitionerRow[] = await manager.query(
    `${SELECT} JOIN practitioner_identities i ON i.practitioner_id = p.id WHERE i.issuer = $1 AND i.subject = $2`,
    [issuer, subject],
  );
  return rows[0] ?? null;
}

/**
 * Matches an issuer's (issuer, subject) to a practitioner: by the recorded identity when there is
 * one (active or not: the caller refuses the inactive); otherwise, the first time, by email to an
 * active practitioner, recording the identity so later sign-ins match by it even if the email
 * changes. Two first sign-ins at once record one row; both then match it. Linking is audited
 * (`practitioner.identity_link`, the issuer in details) in the same transaction, and so is a
 * refused second account at the same issuer.
 */
export async function matchIssuerIdentity(
  manager: EntityManager,
  identity: { issuer: string; subject: string },
  email: string | null,
  requestId: string | null = null,
  clientRequestId: string | null = null,
): Promise<IdentityMatch> {
  const known = await byIdentity(manager, identity.issuer, identity.subject);
  if (known) return { kind: 'matched', practitioner: known };
  if (!email) return { kind: 'email_required' };
  const candidate = await practitionerByEmail(manager, email);
  if (!candidate) return { kind: 'unknown' };
  if (!candidate.active) return { kind: 'inactive', practitioner: candidate };
  const audit = (tx: EntityManager, outcome: 'succeeded' | 'refused') =>
    appendAudit(tx, {
      actorId: candidate.id,
      action: 'practitioner.identity_link',
      entityType: 'practitioner',
      entityId: candidate.id,
      outcome,
      reasonCode: outcome === 'refused' ? 'LINKED_ELSEWHERE' : null,
      requestId,
      clientRequestId,
      details: { issuer: identity.issuer },
    });
  const linked = await manager.transaction(async (tx) => {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO practitioner_identities (issuer, subject, practitioner_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING practitioner_id`,
      [identity.issuer, identity.subject, candidate.id],
    );
    if (inserted.length > 0) await audit(tx, 'succeeded');
    return inserted.length > 0;
  });
  if (linked) return { kind: 'matched', practitioner: candidate };
  // Either someone recorded this (issuer, subject) meanwhile, or the practitioner has another subject here.
  const raced = await byIdentity(manager, identity.issuer, identity.subject);
  if (raced) return { kind: 'matched', practitioner: raced };
  await audit(manager, 'refused');
  return { kind: 'linked_elsewhere' };
}

import type { VisibilityFacts } from '@fh/domain';
import type { EntityManager } from 'typeorm';
import { unconfirmedPredicate } from './sql.js';
import { visibilityColumns } from './visibility.js';

/** A transfer awaiting contact as the daily digest lists it, with the facts the visibility rule needs. */
export interface DigestTransferRow extends VisibilityFacts {
  reference: string;
  contactDueAt: Date;
  overdue: boolean;
  receivingTeamName: string;
}

/** Someone who receives the daily digest: an active manager or safeguarding lead, with their team's area. */
export interface DigestRecipientRow {
  id: string;
  email: string;
  role: 'manager' | 'safeguarding_lead';
  teamId: string;
  areaId: string;
  areaName: string;
}

/** Every transfer not yet confirmed, overdue as of `now`; the caller filters each recipient's share by the rule. */
export function unconfirmedForDigest(manager: EntityManager, now: Date): Promise<DigestTransferRow[]> {
  return manager.query(
    `SELECT t.reference, t.contact_due_at AS "contactDueAt", (t.contact_due_at < $1) AS overdue, rt.name AS "receivingTeamName",
            ${visibilityColumns('t')}
     FROM transfers t JOIN teams rt ON rt.id = t.receiving_team_id
     WHERE ${unconfirmedPredicate('t')}`,
    [now],
  );
}

export function digestRecipients(manager: EntityManager): Promise<DigestRecipientRow[]> {
  return manager.query(
    `SELECT p.id, p.email, p.role, p.team_id AS "teamId", t.area_id AS "areaId", a.name AS "areaName"
     FROM practitioners p JOIN teams t ON t.id = p.team_id JOIN areas a ON a.id = t.area_id
     WHERE p.active AND p.role IN ('manager', 'safeguarding_lead')`,
  );
}

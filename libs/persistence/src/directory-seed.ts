/**
 * Seeding the directory (the demo's areas, teams and people): each insert leaves an existing row as
 * it is, so seeding again changes nothing. Run in the caller's transaction.
 */
import type { PractitionerRole, TeamService } from '@fh/domain';
import type { EntityManager } from 'typeorm';

/** The area with this code, created if absent; returns its id. */
export function seedArea(manager: EntityManager, area: { code: string; name: string }): Promise<string> {
  return insertOrFind(
    manager,
    `INSERT INTO areas (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id`,
    [area.code, area.name],
    `SELECT id FROM areas WHERE code = $1`,
    [area.code],
  );
}

/** The team of this name (case-insensitive) in the area, created if absent; returns its id. */
export function seedTeam(
  manager: EntityManager,
  areaId: string,
  team: { name: string; service: TeamService; mailbox: string },
): Promise<string> {
  return insertOrFind(
    manager,
    `INSERT INTO teams (area_id, name, service, mailbox) VALUES ($1, $2, $3, $4) ON CONFLICT (area_id, lower(name)) DO NOTHING RETURNING id`,
    [areaId, team.name, team.service, team.mailbox],
    `SELECT id FROM teams WHERE area_id = $1 AND lower(name) = lower($2)`,
    [areaId, team.name],
  );
}

/** An active practitioner in the team, unless someone already has this email (case-insensitive). */
export async function seedPractitioner(
  manager: EntityManager,
  teamId: string,
  person: { name: string; email: string; role: PractitionerRole },
): Promise<void> {
  await manager.query(
    `INSERT INTO practitioners (team_id, name, email, role, active) VALUES ($1, $2, $3, $4, true) ON CONFLICT (lower(email)) DO NOTHING`,
    [teamId, person.name, person.email, person.role],
  );
}

async function insertOrFind(
  manager: EntityManager,
  insert: string,
  insertArgs: unknown[],
  select: string,
  selectArgs: unknown[],
): Promise<string> {
  const inserted: { id: string }[] = await manager.query(insert, insertArgs);
  if (inserted.length) return inserted[0].id;
  return (await manager.query(select, selectArgs))[0].id;
}

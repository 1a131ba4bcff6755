import type { PractitionerRole } from '@fh/domain';
import type { EntityManager } from 'typeorm';

/** The directory's SQL: areas, teams, practitioners and pending (four-eyes) practitioner changes. */

export interface AreaRow {
  id: string;
  code: string;
  name: string;
  createdAt: Date;
}
export interface TeamRow {
  id: string;
  areaId: string;
  areaCode: string;
  areaName: string;
  name: string;
  service: string;
  mailbox: string;
  createdAt: Date;
}
export interface PractitionerRow {
  id: string;
  teamId: string | null;
  name: string;
  email: string;
  role: PractitionerRole;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
export type PractitionerFields = Pick<PractitionerRow, 'teamId' | 'name' | 'email' | 'role' | 'active'>;

export type PractitionerChangeKind = 'create' | 'update';
export type PractitionerChangeStatus = 'pending' | 'approved' | 'rejected';
export interface PractitionerChangeRow {
  id: string;
  kind: PractitionerChangeKind;
  /** Null for a create until it is approved. */
  practitionerId: string | null;
  /** A create: teamId, name, email, role. An update: the fields it sets. */
  changes: Record<string, unknown>;
  /** What the update changes from (null for a create). */
  previous: Record<string, unknown> | null;
  reason: string;
  status: PractitionerChangeStatus;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

const isUniqueViolation = (error: unknown) =>
  (error as { driverError?: { code?: string } })?.driverError?.code === '23505';

/** Runs an insert or update; a unique violation becomes `null` (the caller says what is duplicated). */
async function unlessDuplicate<T>(write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

const AREA = `SELECT id, code, name, created_at AS "createdAt" FROM areas`;
const TEAM = `SELECT t.id, t.area_id AS "areaId", a.code AS "areaCode", a.name AS "areaName", t.name, t.service, t.mailbox,
  t.created_at AS "createdAt" FROM teams t JOIN areas a ON a.id = t.area_id`;
const PRACTITIONER = `SELECT id, team_id AS "teamId", name, email, role, active, created_at AS "createdAt",
  updated_at AS "updatedAt" FROM practitioners`;
const CHANGE = `SELECT id, kind, practitioner_id AS "practitionerId", changes, previous, reason, status,
  proposed_by AS "proposedBy", proposed_at AS "proposedAt", decided_by AS "decidedBy", decided_at AS "decidedAt"
  FROM practitioner_changes`;

export function listAreas(manager: EntityManager): Promise<AreaRow[]> {
  return manager.query(`${AREA} ORDER BY code`);
}

export async function areaByCode(manager: EntityManager, code: string): Promise<AreaRow | null> {
  const rows: AreaRow[] = await manager.query(`${AREA} WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

/** The new area, or null when its code is taken. */
export async function insertArea(
  manager: EntityManager,
  area: { code: string; name: string },
): Promise<AreaRow | null> {
  const rows = await unlessDuplicate<AreaRow[]>(() =>
    manager.query(
      `INSERT INTO areas (code, name) VALUES ($1, $2) RETURNING id, code, name, created_at AS "createdAt"`,
      [area.code, area.name],
    ),
  );
  return rows?.[0] ?? null;
}

export function listTeams(manager: EntityManager, areaCode?: string): Promise<TeamRow[]> {
  return areaCode
    ? manager.query(`${TEAM} WHERE a.code = $1 ORDER BY t.name`, [areaCode])
    : manager.query(`${TEAM} ORDER BY t.name`);
}

export async function teamById(manager: EntityManager, id: string): Promise<TeamRow | null> {
  const rows: TeamRow[] = await manager.query(`${TEAM} WHERE t.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The new team, or null when its area already has a team of that name (case-insensitive). */
export async function insertTeam(
  manager: EntityManager,
  team: { areaId: string; name: string; service: string; mailbox: string },
): Promise<TeamRow | null> {
  const rows = await unlessDuplicate<{ id: string }[]>(() =>
    manager.query(`INSERT INTO teams (area_id, name, service, mailbox) VALUES ($1, $2, $3, $4) RETURNING id`, [
      team.areaId,
      team.name,
      team.service,
      team.mailbox,
    ]),
  );
  return rows ? teamById(manager, rows[0].id) : null;
}

export function listPractitioners(manager: EntityManager, teamId?: string): Promise<PractitionerRow[]> {
  return teamId
    ? manager.query(`${PRACTITIONER} WHERE team_id = $1 ORDER BY name`, [teamId])
    : manager.query(`${PRACTITIONER} ORDER BY name`);
}

/** One practitioner, locked for update in the caller's transaction. */
export async function lockPractitioner(manager: EntityManager, id: string): Promise<PractitionerRow | null> {
  const rows: PractitionerRow[] = await manager.query(`${PRACTITIONER} WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

/** Whether the email (case-insensitive) belongs to a practitioner or to a pending create. */
export async function practitionerEmailTaken(manager: EntityManager, email: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM practitioners WHERE lower(email) = lower($1)
     UNION ALL SELECT 1 FROM practitioner_changes WHERE kind = 'create' AND status = 'pending'
       AND lower(changes->>'email') = lower($1)`,
    [email],
  );
  return rows.length > 0;
}

/** The new practitioner, or null when the email is taken. */
export async function insertPractitioner(
  manager: EntityManager,
  fields: PractitionerFields,
): Promise<PractitionerRow | null> {
  const rows = await unlessDuplicate<PractitionerRow[]>(() =>
    manager.query(
      `INSERT INTO practitioners (team_id, name, email, role, active) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, team_id AS "teamId", name, email, role, active, created_at AS "createdAt", updated_at AS "updatedAt"`,
      [fields.teamId, fields.name, fields.email, fields.role, fields.active],
    ),
  );
  return rows?.[0] ?? null;
}

export async function updatePractitioner(
  manager: EntityManager,
  id: string,
  fields: Omit<PractitionerFields, 'email'>,
): Promise<PractitionerRow> {
  const [rows] = (await manager.query(
    `UPDATE practitioners SET team_id = $2, name = $3, role = $4, active = $5, updated_at = now() WHERE id = $1
     RETURNING id, team_id AS "teamId", name, email, role, active, created_at AS "createdAt", updated_at AS "updatedAt"`,
    [id, fields.teamId, fields.name, fields.role, fields.active],
  )) as [PractitionerRow[], number];
  return rows[0];
}

/** The active admins other than `exceptId`, locked, so two concurrent demotions cannot both count the other. */
export async function lockOtherActiveAdmins(manager: EntityManager, exceptId: string): Promise<string[]> {
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM practitioners WHERE role = 'admin' AND active AND id <> $1 ORDER BY id FOR UPDATE`,
    [exceptId],
  );
  return rows.map((r) => r.id);
}

/** The addresses of the active safeguarding leads of an area (not `exceptId`). */
export async function activeLeadEmailsInArea(
  manager: EntityManager,
  areaId: string,
  exceptId: string | null,
): Promise<string[]> {
  const rows: { email: string }[] = await manager.query(
    `SELECT DISTINCT lower(p.email) AS email FROM practitioners p JOIN teams t ON t.id = p.team_id
     WHERE t.area_id = $1 AND p.role = 'safeguarding_lead' AND p.active AND p.id IS DISTINCT FROM $2 ORDER BY 1`,
    [areaId, exceptId],
  );
  return rows.map((r) => r.email);
}

export async function insertPractitionerChange(
  manager: EntityManager,
  change: {
    kind: PractitionerChangeKind;
    practitionerId: string | null;
    changes: Record<string, unknown>;
    previous: Record<string, unknown> | null;
    reason: string;
    proposedBy: string;
  },
): Promise<PractitionerChangeRow> {
  const rows: { id: string }[] = await manager.query(
    `INSERT INTO practitioner_changes (kind, practitioner_id, changes, previous, reason, proposed_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      change.kind,
      change.practitionerId,
      JSON.stringify(change.changes),
      change.previous === null ? null : JSON.stringify(change.previous),
      change.reason,
      change.proposedBy,
    ],
  );
  return (await practitionerChangeById(manager, rows[0].id))!;
}

export async function practitionerChangeById(
  manager: EntityManager,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PractitionerChangeRow | null> {
  const rows: PractitionerChangeRow[] = await manager.query(
    `${CHANGE} WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export function listPractitionerChanges(
  manager: EntityManager,
  status?: PractitionerChangeStatus,
): Promise<PractitionerChangeRow[]> {
  return status
    ? manager.query(`${CHANGE} WHERE status = $1 ORDER BY proposed_at, id`, [status])
    : manager.query(`${CHANGE} ORDER BY proposed_at, id`);
}

/** Records the decision on a pending change (and, for an approved create, the practitioner it made). */
export async function decidePractitionerChange(
  manager: EntityManager,
  id: string,
  decision: { status: 'approved' | 'rejected'; decidedBy: string; practitionerId?: string },
): Promise<PractitionerChangeRow> {
  await manager.query(
    `UPDATE practitioner_changes SET status = $2, decided_by = $3, decided_at = now(),
       practitioner_id = COALESCE($4, practitioner_id) WHERE id = $1`,
    [id, decision.status, decision.decidedBy, decision.practitionerId ?? null],
  );
  return (await practitionerChangeById(manager, id))!;
}

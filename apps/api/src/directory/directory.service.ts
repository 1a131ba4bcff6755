import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { approvalReason, approvalRefusal, isOwnStandingChange } from '@fh/domain';
import type { DirectoryPatch, DirectoryStanding } from '@fh/domain';
import { composeLeadGranted, queueEmail } from '@fh/notifications';
import type { MailSettings } from '@fh/notifications';
import {
  activeLeadEmailsInArea,
  appendAudit,
  areaByCode,
  decidePractitionerChange,
  insertArea,
  insertPractitioner,
  insertPractitionerChange,
  insertTeam,
  listAreas,
  listPractitionerChanges,
  listPractitioners,
  listTeams,
  lockOtherActiveAdmins,
  lockPractitioner,
  practitionerChangeById,
  practitionerEmailTaken,
  teamById,
  updatePractitioner,
} from '@fh/persistence';
import type {
  AreaRow,
  PractitionerChangeRow,
  PractitionerChangeStatus,
  PractitionerFields,
  PractitionerRow,
  TeamRow,
} from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext, SignedInPractitioner } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { CreateAreaDto, CreatePractitionerDto, CreateTeamDto, UpdatePractitionerDto } from './directory.dto.js';

export type AreaView = AreaRow;
export interface TeamView {
  id: string;
  areaCode: string;
  areaId: string;
  name: string;
  service: string;
  mailbox: string;
  createdAt: Date;
}
export interface PractitionerView {
  id: string;
  teamId: string | null;
  name: string;
  email: string;
  role: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
/** What a non-admin sees of a colleague: enough to name them and pick a receiving lead; no addresses. */
export type ColleagueView = Pick<PractitionerView, 'id' | 'teamId' | 'name' | 'role' | 'active'> & { email?: string };

/** A change waiting for (or decided by) a second admin. */
export interface PractitionerChangeView {
  id: string;
  kind: 'create' | 'update';
  status: PractitionerChangeStatus;
  practitionerId: string | null;
  /** Why it needs a second admin, e.g. "grants the safeguarding_lead role". */
  reason: string;
  from: Record<string, unknown> | null;
  to: Record<string, unknown>;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** The outcome of a directory write: done at once, or waiting for a second admin (202). */
export type DirectoryWrite<T> = { done: T } | { pending: PractitionerChangeView };

const standing = (p: Pick<PractitionerRow, 'role' | 'teamId' | 'active'>): DirectoryStanding => ({
  role: p.role,
  teamId: p.teamId,
  active: p.active,
});

const UPDATABLE = ['active', 'role', 'name', 'teamId'] as const;

/**
 * Areas, teams and practitioners. Every write is audited in its own transaction with what it
 * changed from and to. Separation of duties (libs/domain directory-duties): nobody changes their own
 * role, team or active state, and a change that grants family access (manager, safeguarding lead, a
 * team) or admin waits for a second admin's approval before it takes effect.
 */
@Injectable()
export class DirectoryService {
  private readonly mail: MailSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
  }

  listAreas(): Promise<AreaView[]> {
    return listAreas(this.dataSource.manager);
  }

  createArea(ctx: RequestContext, dto: CreateAreaDto): Promise<AreaView> {
    return this.audited.write(ctx, { action: 'area.create', entityType: 'area' }, async (manager) => {
      const area = await insertArea(manager, { code: dto.code, name: dto.name });
      if (!area) throw ApiError.duplicate(`area ${dto.code} already exists`);
      return { result: area, entityId: area.id, details: { from: null, to: { code: area.code, name: area.name } } };
    });
  }

  async listTeams(areaCode?: string): Promise<TeamView[]> {
    return (await listTeams(this.dataSource.manager, areaCode)).map((team) => this.teamView(team));
  }

  createTeam(ctx: RequestContext, dto: CreateTeamDto): Promise<TeamView> {
    return this.audited.write(ctx, { action: 'team.create', entityType: 'team' }, async (manager) => {
      const area = await areaByCode(manager, dto.areaCode);
      if (!area) throw ApiError.invalid([`areaCode: no area ${dto.areaCode}`]);
      const team = await insertTeam(manager, {
        areaId: area.id,
        name: dto.name,
        service: dto.service,
        mailbox: dto.mailbox.toLowerCase(),
      });
      if (!team) throw ApiError.duplicate(`area ${dto.areaCode} already has a team called ${dto.name}`);
      const to = { areaCode: area.code, name: team.name, service: team.service, mailbox: team.mailbox };
      return { result: this.teamView(team), entityId: team.id, details: { from: null, to } };
    });
  }

  /**
   * Admins see the whole directory. Everyone else sees what they need to name a colleague and pick a
   * receiving lead — id, name, role, team, active — for non-admins only, and no one's address but their own.
   */
  async listPractitioners(actor: SignedInPractitioner, teamId?: string): Promise<PractitionerView[] | ColleagueView[]> {
    const rows = await listPractitioners(this.dataSource.manager, teamId);
    if (actor.role === 'admin') return rows.map((p) => this.practitionerView(p));
    return rows
      .filter((p) => p.role !== 'admin' || p.id === actor.id)
      .map((p) => ({
        id: p.id,
        teamId: p.teamId,
        name: p.name,
        role: p.role,
        active: p.active,
        ...(p.id === actor.id ? { email: p.email } : {}),
      }));
  }

  createPractitioner(ctx: RequestContext, dto: CreatePractitionerDto): Promise<DirectoryWrite<PractitionerView>> {
    return this.audited.write<DirectoryWrite<PractitionerView>>(
      ctx,
      { action: 'practitioner.create', entityType: 'practitioner' },
      async (manager) => {
        if (dto.role !== 'admin' && !dto.teamId)
          throw ApiError.invalid(['teamId is required for every role except admin']);
        if (dto.teamId) await this.requireTeam(manager, dto.teamId);
        const fields: PractitionerFields = {
          teamId: dto.teamId ?? null,
          name: dto.name,
          email: dto.email.toLowerCase(),
          role: dto.role,
          active: true,
        };
        const duplicate = () => ApiError.duplicate(`a practitioner with email ${fields.email} already exists`);
        if (await practitionerEmailTaken(manager, fields.email)) throw duplicate();
        const otherAdmins = await lockOtherActiveAdmins(manager, ctx.actor.id);
        const reason = approvalReason(null, standing(fields), otherAdmins.length);
        const to = { ...fields };
        if (reason) {
          const change = await insertPractitionerChange(manager, {
            kind: 'create',
            practitionerId: null,
            changes: to,
            previous: null,
            reason,
            proposedBy: ctx.actor.id,
          });
          return {
            result: { pending: this.changeView(change) },
            action: 'practitioner.create.proposed',
            entityId: null,
            details: { pendingChangeId: change.id, reason, from: null, to },
          };
        }
        const practitioner = await insertPractitioner(manager, fields);
        if (!practitioner) throw duplicate();
        return {
          result: { done: this.practitionerView(practitioner) },
          entityId: practitioner.id,
          details: { role: dto.role, from: null, to },
        };
      },
    );
  }

  updatePractitioner(
    ctx: RequestContext,
    id: string,
    dto: UpdatePractitionerDto,
  ): Promise<DirectoryWrite<PractitionerView>> {
    return this.audited.write<DirectoryWrite<PractitionerView>>(
      ctx,
      { action: 'practitioner.update', entityType: 'practitioner', entityId: id },
      async (manager) => {
        const patch: DirectoryPatch = Object.fromEntries(
          UPDATABLE.filter((k) => dto[k] !== undefined).map((k) => [k, dto[k]]),
        );
        if (Object.keys(patch).length === 0)
          throw ApiError.invalid(['give at least one of active, role, name, teamId']);
        const practitioner = await lockPractitioner(manager, id);
        if (!practitioner) throw ApiError.notFound('practitioner');
        const next = this.applied(practitioner, patch);
        await this.checkNext(manager, practitioner, next);
        if (isOwnStandingChange(ctx.actor.id, id, patch))
          throw ApiError.forbidden('nobody changes their own role, team or active state: ask another admin');
        const { from, to } = this.difference(practitioner, next);
        const otherAdmins = await lockOtherActiveAdmins(manager, ctx.actor.id);
        const reason = approvalReason(standing(practitioner), standing(next), otherAdmins.length);
        if (reason) {
          const change = await insertPractitionerChange(manager, {
            kind: 'update',
            practitionerId: id,
            changes: to,
            previous: from,
            reason,
            proposedBy: ctx.actor.id,
          });
          return {
            result: { pending: this.changeView(change) },
            action: 'practitioner.update.proposed',
            details: { pendingChangeId: change.id, reason, from, to },
          };
        }
        const saved = await updatePractitioner(manager, id, next);
        return {
          result: { done: this.practitionerView(saved) },
          entityId: id,
          details: { changed: Object.keys(to), from, to },
        };
      },
    );
  }

  async listChanges(status?: PractitionerChangeStatus): Promise<PractitionerChangeView[]> {
    return (await listPractitionerChanges(this.dataSource.manager, status)).map((c) => this.changeView(c));
  }

  async getChange(id: string): Promise<PractitionerChangeView> {
    const change = await practitionerChangeById(this.dataSource.manager, id);
    if (!change) throw ApiError.notFound('practitioner change');
    return this.changeView(change);
  }

  /**
   * A second admin approves a pending change: it takes effect now, against the record as it is now
   * (re-checked: the team still exists, the email is still free, an admin is left). Granting the
   * safeguarding lead role tells the area's leads, in the same transaction.
   */
  approveChange(
    ctx: RequestContext,
    id: string,
  ): Promise<{ change: PractitionerChangeView; practitioner: PractitionerView }> {
    return this.audited.write(
      ctx,
      { action: 'practitioner_change.approve', entityType: 'practitioner_change', entityId: id },
      async (manager) => {
        const change = await this.pendingChange(manager, id);
        const refusal = approvalRefusal(ctx.actor.id, change.proposedBy, change.practitionerId);
        if (refusal) throw ApiError.forbidden(refusal);
        let practitioner: PractitionerRow;
        let from: Record<string, unknown> | null = null;
        let to: Record<string, unknown>;
        if (change.kind === 'create') {
          const fields = change.changes as unknown as PractitionerFields;
          if (fields.teamId) await this.requireTeam(manager, fields.teamId);
          const created = await insertPractitioner(manager, fields);
          if (!created) throw ApiError.duplicate(`a practitioner with email ${fields.email} already exists`);
          practitioner = created;
          to = { ...fields };
        } else {
          const current = await lockPractitioner(manager, change.practitionerId!);
          if (!current) throw ApiError.notFound('practitioner');
          const next = this.applied(current, change.changes as DirectoryPatch);
          await this.checkNext(manager, current, next);
          ({ from, to } = this.difference(current, next));
          practitioner = await updatePractitioner(manager, current.id, next);
        }
        const decided = await decidePractitionerChange(manager, id, {
          status: 'approved',
          decidedBy: ctx.actor.id,
          practitionerId: practitioner.id,
        });
        // The change taking effect, in the practitioner's own trail, as the direct writes are.
        await appendAudit(manager, {
          actorId: ctx.actor.id,
          action: change.kind === 'create' ? 'practitioner.create' : 'practitioner.update',
          entityType: 'practitioner',
          entityId: practitioner.id,
          transferId: null,
          outcome: 'succeeded',
          requestId: ctx.requestId,
          details: { changeId: id, proposedBy: change.proposedBy, from, to },
        });
        // A lead role granted, or a lead moved into another team (perhaps another area's).
        const grantedLead =
          practitioner.role === 'safeguarding_lead' &&
          practitioner.active &&
          (from === null || 'role' in from || 'teamId' in from);
        if (grantedLead && practitioner.teamId) await this.tellAreaLeads(manager, practitioner, id);
        return {
          result: { change: this.changeView(decided), practitioner: this.practitionerView(practitioner) },
          details: { kind: change.kind, practitionerId: practitioner.id, from, to },
        };
      },
    );
  }

  /** Any admin (the proposer too, to withdraw it) may reject a pending change; nothing changes. */
  rejectChange(ctx: RequestContext, id: string): Promise<PractitionerChangeView> {
    return this.audited.write(
      ctx,
      { action: 'practitioner_change.reject', entityType: 'practitioner_change', entityId: id },
      async (manager) => {
        const change = await this.pendingChange(manager, id);
        const decided = await decidePractitionerChange(manager, id, { status: 'rejected', decidedBy: ctx.actor.id });
        return {
          result: this.changeView(decided),
          details: { kind: change.kind, practitionerId: change.practitionerId, to: change.changes },
        };
      },
    );
  }

  private async pendingChange(manager: EntityManager, id: string): Promise<PractitionerChangeRow> {
    const change = await practitionerChangeById(manager, id, { lock: true });
    if (!change) throw ApiError.notFound('practitioner change');
    if (change.status !== 'pending')
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'PRECONDITION_FAILED', [
        `this change is already ${change.status}`,
      ]);
    return change;
  }

  /** "A practitioner in <team> (<area>) was granted the safeguarding lead role": no names. */
  private async tellAreaLeads(manager: EntityManager, practitioner: PractitionerRow, changeId: string): Promise<void> {
    const team = (await teamById(manager, practitioner.teamId!))!;
    const email = composeLeadGranted({ team: team.name, area: team.areaName });
    for (const recipient of await activeLeadEmailsInArea(manager, team.areaId, practitioner.id)) {
      await queueEmail(manager, this.mail, {
        transferId: null,
        kind: 'directory.lead_granted',
        recipient,
        dedupeKey: `directory:lead-granted:${changeId}:${recipient}`,
        email,
      });
    }
  }

  private applied(current: PractitionerRow, patch: DirectoryPatch): PractitionerRow {
    return { ...current, ...patch } as PractitionerRow;
  }

  /** What a change may leave behind: a team for every non-admin, that team existing, an admin left. */
  private async checkNext(manager: EntityManager, current: PractitionerRow, next: PractitionerRow): Promise<void> {
    if (next.teamId && next.teamId !== current.teamId) await this.requireTeam(manager, next.teamId);
    if (next.role !== 'admin' && !next.teamId)
      throw ApiError.invalid(['teamId is required for every role except admin']);
    const stopsBeingAdmin = current.role === 'admin' && current.active && (next.role !== 'admin' || !next.active);
    if (stopsBeingAdmin && (await lockOtherActiveAdmins(manager, current.id)).length === 0)
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'PRECONDITION_FAILED', [
        'the last active admin cannot be deactivated or given another role',
      ]);
  }

  /** The fields that differ, as they were and as they will be. */
  private difference(
    current: PractitionerRow,
    next: PractitionerRow,
  ): { from: Record<string, unknown>; to: Record<string, unknown> } {
    const changed = UPDATABLE.filter((k) => current[k] !== next[k]);
    return {
      from: Object.fromEntries(changed.map((k) => [k, current[k]])),
      to: Object.fromEntries(changed.map((k) => [k, next[k]])),
    };
  }

  private async requireTeam(manager: EntityManager, teamId: string): Promise<void> {
    if (!(await teamById(manager, teamId))) throw ApiError.invalid([`teamId: no team ${teamId}`]);
  }

  private teamView(team: TeamRow): TeamView {
    return {
      id: team.id,
      areaId: team.areaId,
      areaCode: team.areaCode,
      name: team.name,
      service: team.service,
      mailbox: team.mailbox,
      createdAt: team.createdAt,
    };
  }

  private practitionerView(p: PractitionerRow): PractitionerView {
    return {
      id: p.id,
      teamId: p.teamId,
      name: p.name,
      email: p.email,
      role: p.role,
      active: p.active,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  }

  private changeView(c: PractitionerChangeRow): PractitionerChangeView {
    return {
      id: c.id,
      kind: c.kind,
      status: c.status,
      practitionerId: c.practitionerId,
      reason: c.reason,
      from: c.previous,
      to: c.changes,
      proposedBy: c.proposedBy,
      proposedAt: c.proposedAt,
      decidedBy: c.decidedBy,
      decidedAt: c.decidedAt,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { AreaEntity, PractitionerEntity, TeamEntity } from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { CreateAreaDto, CreatePractitionerDto, CreateTeamDto, UpdatePractitionerDto } from './directory.dto.js';

export interface AreaView {
  id: string;
  code: string;
  name: string;
  createdAt: Date;
}
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

const isUniqueViolation = (error: unknown) =>
  (error as { driverError?: { code?: string } })?.driverError?.code === '23505';

/** Areas, teams and practitioners. Every write is audited in its own transaction. */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
  ) {}

  listAreas(): Promise<AreaView[]> {
    return this.dataSource.getRepository(AreaEntity).find({ order: { code: 'ASC' } });
  }

  createArea(ctx: RequestContext, dto: CreateAreaDto): Promise<AreaView> {
    return this.audited.write(ctx, { action: 'area.create', entityType: 'area' }, async (manager) => {
      const area = await this.unique(`area ${dto.code} already exists`, () =>
        manager.getRepository(AreaEntity).save(manager.getRepository(AreaEntity).create(dto)),
      );
      return { result: area, entityId: area.id };
    });
  }

  async listTeams(areaCode?: string): Promise<TeamView[]> {
    const rows = await this.dataSource.getRepository(TeamEntity).find({
      relations: { area: true },
      where: areaCode ? { area: { code: areaCode } } : {},
      order: { name: 'ASC' },
    });
    return rows.map((team) => this.teamView(team, team.area!));
  }

  createTeam(ctx: RequestContext, dto: CreateTeamDto): Promise<TeamView> {
    return this.audited.write(ctx, { action: 'team.create', entityType: 'team' }, async (manager) => {
      const area = await manager.getRepository(AreaEntity).findOneBy({ code: dto.areaCode });
      if (!area) throw ApiError.invalid([`areaCode: no area ${dto.areaCode}`]);
      const repo = manager.getRepository(TeamEntity);
      const team = await this.unique(`area ${dto.areaCode} already has a team called ${dto.name}`, () =>
        repo.save(
          repo.create({ areaId: area.id, name: dto.name, service: dto.service, mailbox: dto.mailbox.toLowerCase() }),
        ),
      );
      return { result: this.teamView(team, area), entityId: team.id };
    });
  }

  listPractitioners(teamId?: string): Promise<PractitionerView[]> {
    return this.dataSource
      .getRepository(PractitionerEntity)
      .find({
        where: teamId ? { teamId } : {},
        order: { name: 'ASC' },
      })
      .then((rows) => rows.map((p) => this.practitionerView(p)));
  }

  createPractitioner(ctx: RequestContext, dto: CreatePractitionerDto): Promise<PractitionerView> {
    return this.audited.write(ctx, { action: 'practitioner.create', entityType: 'practitioner' }, async (manager) => {
      if (dto.role !== 'admin' && !dto.teamId)
        throw ApiError.invalid(['teamId is required for every role except admin']);
      if (dto.teamId) await this.requireTeam(manager, dto.teamId);
      const repo = manager.getRepository(PractitionerEntity);
      const practitioner = await this.unique(
        `a practitioner with email ${dto.email.toLowerCase()} already exists`,
        () =>
          repo.save(
            repo.create({
              teamId: dto.teamId ?? null,
              name: dto.name,
              email: dto.email.toLowerCase(),
              role: dto.role,
              active: true,
            }),
          ),
      );
      return { result: this.practitionerView(practitioner), entityId: practitioner.id, details: { role: dto.role } };
    });
  }

  updatePractitioner(ctx: RequestContext, id: string, dto: UpdatePractitionerDto): Promise<PractitionerView> {
    return this.audited.write(
      ctx,
      { action: 'practitioner.update', entityType: 'practitioner', entityId: id },
      async (manager) => {
        if (Object.values(dto).every((v) => v === undefined))
          throw ApiError.invalid(['give at least one of active, role, name, teamId']);
        const repo = manager.getRepository(PractitionerEntity);
        const practitioner = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!practitioner) throw ApiError.notFound('practitioner');
        if (dto.teamId) await this.requireTeam(manager, dto.teamId);
        const next = {
          ...practitioner,
          ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)),
        } as PractitionerEntity;
        if (next.role !== 'admin' && !next.teamId)
          throw ApiError.invalid(['teamId is required for every role except admin']);
        const stopsBeingAdmin =
          practitioner.role === 'admin' && practitioner.active && (next.role !== 'admin' || !next.active);
        if (stopsBeingAdmin) await this.requireAnotherAdmin(manager, id);
        const saved = await repo.save(next);
        return {
          result: this.practitionerView(saved),
          entityId: id,
          details: { changed: Object.keys(dto).filter((k) => dto[k as keyof UpdatePractitionerDto] !== undefined) },
        };
      },
    );
  }

  /** The service must never be left without an active admin. */
  private async requireAnotherAdmin(manager: EntityManager, exceptId: string): Promise<void> {
    // Lock every active admin so two concurrent demotions cannot both pass this check.
    const admins: { id: string }[] = await manager.query(
      `SELECT id FROM practitioners WHERE role = 'admin' AND active AND id <> $1 FOR UPDATE`,
      [exceptId],
    );
    if (admins.length === 0) {
      throw new ApiError(422, 'PRECONDITION_FAILED', [
        'the last active admin cannot be deactivated or given another role',
      ]);
    }
  }

  private async requireTeam(manager: EntityManager, teamId: string): Promise<void> {
    if (!(await manager.getRepository(TeamEntity).existsBy({ id: teamId })))
      throw ApiError.invalid([`teamId: no team ${teamId}`]);
  }

  private async unique<T>(message: string, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (isUniqueViolation(error)) throw ApiError.duplicate(message);
      throw error;
    }
  }

  private teamView(team: TeamEntity, area: AreaEntity): TeamView {
    return {
      id: team.id,
      areaId: area.id,
      areaCode: area.code,
      name: team.name,
      service: team.service,
      mailbox: team.mailbox,
      createdAt: team.createdAt,
    };
  }

  private practitionerView(p: PractitionerEntity): PractitionerView {
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
}

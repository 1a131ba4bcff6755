import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import {
  CreateAreaDto,
  CreatePractitionerDto,
  CreateTeamDto,
  ListPractitionerChangesQuery,
  ListPractitionersQuery,
  ListTeamsQuery,
  UpdatePractitionerDto,
} from './directory.dto.js';
import { DirectoryService } from './directory.service.js';
import type { DirectoryWrite, PractitionerView } from './directory.service.js';

/** Done at once: the record (201/200). Waiting for a second admin: the pending change, 202 Accepted. */
function answer(reply: FastifyReply, write: DirectoryWrite<PractitionerView>) {
  if ('done' in write) return write.done;
  void reply.status(HttpStatus.ACCEPTED);
  return write.pending;
}

@ApiTags('directory')
@ApiBearerAuth()
@Controller('v1')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('areas')
  @Roles('admin')
  createArea(@Ctx() ctx: RequestContext, @Body() dto: CreateAreaDto) {
    return this.directory.createArea(ctx, dto);
  }

  /** Any signed-in practitioner. */
  @Get('areas')
  listAreas() {
    return this.directory.listAreas();
  }

  @Post('teams')
  @Roles('admin')
  createTeam(@Ctx() ctx: RequestContext, @Body() dto: CreateTeamDto) {
    return this.directory.createTeam(ctx, dto);
  }

  /** Any signed-in practitioner: needed to pick a receiving team. */
  @Get('teams')
  listTeams(@Query() query: ListTeamsQuery) {
    return this.directory.listTeams(query.area);
  }

  @Post('practitioners')
  @Roles('admin')
  async createPractitioner(
    @Ctx() ctx: RequestContext,
    @Body() dto: CreatePractitionerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.directory.createPractitioner(ctx, dto));
  }

  /**
   * Any signed-in practitioner: needed to name the other party of a direct contact and a receiving lead.
   * Admins get the whole directory; others id, name, role, team and active of non-admins, and their own email only.
   */
  @Get('practitioners')
  listPractitioners(@Ctx() ctx: RequestContext, @Query() query: ListPractitionersQuery) {
    return this.directory.listPractitioners(ctx.actor, query.teamId);
  }

  @Patch('practitioners/:id')
  @Roles('admin')
  @HttpCode(200)
  async updatePractitioner(
    @Ctx() ctx: RequestContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdatePractitionerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.directory.updatePractitioner(ctx, id, dto));
  }

  /** Directory changes waiting for (or decided by) a second admin. */
  @Get('practitioner-changes')
  @Roles('admin')
  listChanges(@Query() query: ListPractitionerChangesQuery) {
    return this.directory.listChanges(query.status);
  }

  @Get('practitioner-changes/:id')
  @Roles('admin')
  getChange(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.directory.getChange(id);
  }

  /** A second admin (not the proposer, not the change's subject) makes the change take effect. */
  @Post('practitioner-changes/:id/approve')
  @Roles('admin')
  @HttpCode(200)
  approveChange(@Ctx() ctx: RequestContext, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.directory.approveChange(ctx, id);
  }

  /** Any admin, the proposer included, turns a pending change down; nothing changes. */
  @Post('practitioner-changes/:id/reject')
  @Roles('admin')
  @HttpCode(200)
  rejectChange(@Ctx() ctx: RequestContext, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.directory.rejectChange(ctx, id);
  }
}

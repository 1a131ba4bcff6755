import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import {
  CreateAreaDto,
  CreatePractitionerDto,
  CreateTeamDto,
  ListPractitionersQuery,
  ListTeamsQuery,
  UpdatePractitionerDto,
} from './directory.dto.js';
import { DirectoryService } from './directory.service.js';

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
  createPractitioner(@Ctx() ctx: RequestContext, @Body() dto: CreatePractitionerDto) {
    return this.directory.createPractitioner(ctx, dto);
  }

  /** Any signed-in practitioner: needed to name the other party of a direct contact and a receiving lead. */
  @Get('practitioners')
  listPractitioners(@Query() query: ListPractitionersQuery) {
    return this.directory.listPractitioners(query.teamId);
  }

  @Patch('practitioners/:id')
  @Roles('admin')
  @HttpCode(200)
  updatePractitioner(
    @Ctx() ctx: RequestContext,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: UpdatePractitionerDto,
  ) {
    return this.directory.updatePractitioner(ctx, id, dto);
  }
}

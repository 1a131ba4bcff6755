import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import { UuidOr404 } from '../common/uuid-param.js';
import { Write } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { AppointmentOutcomeDto, CloseChaseItemDto } from './chasing.dto.js';
import { ChasingService } from './chasing.service.js';

@ApiTags('chasing')
@ApiBearerAuth()
@Controller('v1')
export class ChasingController {
  constructor(private readonly chasing: ChasingService) {}

  @Get('transfers/:id/chase-items')
  list(@Ctx() ctx: RequestContext, @Param('id', new UuidOr404('transfer')) id: string) {
    return this.chasing.list(ctx, id);
  }

  /** Close with evidence (or, for managers, as no longer required with a reason). */
  @Post('chase-items/:id/close')
  @HttpCode(200)
  close(
    @Ctx() ctx: RequestContext,
    @Param('id', new UuidOr404('chase item')) id: string,
    @Body() dto: CloseChaseItemDto,
    @Write() write: WriteOptions,
  ) {
    return this.chasing.close(ctx, id, dto, write);
  }

  @Post('appointments/:id/outcome')
  @HttpCode(200)
  outcome(
    @Ctx() ctx: RequestContext,
    @Param('id', new UuidOr404('appointment')) id: string,
    @Body() dto: AppointmentOutcomeDto,
    @Write() write: WriteOptions,
  ) {
    return this.chasing.outcome(ctx, id, dto, write);
  }
}

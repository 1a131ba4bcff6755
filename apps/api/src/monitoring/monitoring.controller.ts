import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ctx, Roles } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import { ChildrenNotSeenQuery, SummaryQuery, UnconfirmedQuery } from './monitoring.dto.js';
import { MonitoringService } from './monitoring.service.js';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('v1/monitoring')
@Roles('manager', 'safeguarding_lead', 'admin')
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  /** Transfers not yet confirmed, most overdue first. */
  @Get('unconfirmed')
  unconfirmed(@Ctx() ctx: RequestContext, @Query() query: UnconfirmedQuery) {
    return this.monitoring.unconfirmed(ctx, query);
  }

  /** Open host notifications (issue 13 item 2), oldest first, apart from the transfers of responsibility. */
  @Get('host-notifications')
  hostNotifications(@Ctx() ctx: RequestContext, @Query() query: SummaryQuery) {
    return this.monitoring.hostNotifications(ctx, query);
  }

  /** Children not yet seen in the receiving area (issue 14 item 1), most overdue first. */
  @Get('children-not-seen')
  childrenNotSeen(@Ctx() ctx: RequestContext, @Query() query: ChildrenNotSeenQuery) {
    return this.monitoring.childrenNotSeen(ctx, query);
  }

  @Get('summary')
  summary(@Ctx() ctx: RequestContext, @Query() query: SummaryQuery) {
    return this.monitoring.summary(ctx, query);
  }
}

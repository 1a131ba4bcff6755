import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import { UuidOr404 } from '../common/uuid-param.js';
import { Write } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { CreateTransferRequestDto, ListTransferRequestsQuery, RespondToRequestDto } from './transfer-requests.dto.js';
import { TransferRequestsService } from './transfer-requests.service.js';

const RequestId = () => Param('id', new UuidOr404('transfer request'));

const IdempotencyHeader = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'the same key with the same body (within 24 hours) returns the first response’s status again, with the request as it is now (Idempotent-Replayed: true)',
  });

/**
 * Transfer requests (issue 14 item 3): a family found by the receiving side. The requester's team,
 * the originating team and both areas' safeguarding leads see a request; anyone else gets 404.
 */
@ApiTags('transfer-requests')
@ApiBearerAuth()
@Controller('v1/transfer-requests')
export class TransferRequestsController {
  constructor(private readonly requests: TransferRequestsService) {}

  @Post()
  @IdempotencyHeader()
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateTransferRequestDto, @Write() write: WriteOptions) {
    return this.requests.create(ctx, dto, write);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTransferRequestsQuery) {
    return this.requests.list(ctx, query);
  }

  @Get(':id')
  get(@Ctx() ctx: RequestContext, @RequestId() id: string) {
    return this.requests.get(ctx, id);
  }

  @Post(':id/respond')
  @HttpCode(200)
  @IdempotencyHeader()
  respond(
    @Ctx() ctx: RequestContext,
    @RequestId() id: string,
    @Body() dto: RespondToRequestDto,
    @Write() write: WriteOptions,
  ) {
    return this.requests.respond(ctx, id, dto, write);
  }
}

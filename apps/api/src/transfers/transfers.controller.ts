import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import { LOCATE_CHECKS } from '@fh/domain';
import { OneOfOr404, UuidOr404 } from '../common/uuid-param.js';
import { Write } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import {
  AcceptTransferDto,
  AcknowledgeFlagDto,
  AcknowledgeNotificationDto,
  CloseLocateCheckDto,
  ConfirmConferenceDto,
  ConfirmContactDto,
  CreateTransferDto,
  DirectContactDto,
  FamilyFoundDto,
  FamilyNotReachedDto,
  ListTransfersQuery,
  NationalAlertDto,
  ReasonDto,
  ReassignDto,
  RecordChildSeenDto,
  RecordConferenceDto,
  UpdateTransferDto,
} from './transfers.dto.js';
import { ErasedResponse, TransferResponse } from './transfer.openapi.js';
import { TransferCommandsService } from './transfer-commands.service.js';
import { TransferQueriesService } from './transfer-queries.service.js';

const TransferId = () => Param('id', new UuidOr404('transfer'));

const WRITE_HEADERS = [
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the transfer version you read; a stale one gets 409 VERSION_CONFLICT',
  }),
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'the same key with the same body (within 24 hours) returns the first response’s status again, with the same resource as it is now (marked Idempotent-Replayed: true); only the status and the resource’s id are stored',
  }),
];
const WriteHeaders = (): MethodDecorator => (target, key, descriptor) => {
  for (const decorator of WRITE_HEADERS) decorator(target, key, descriptor);
};

@ApiTags('transfers')
@ApiBearerAuth()
@Controller('v1/transfers')
export class TransfersController {
  constructor(
    private readonly queries: TransferQueriesService,
    private readonly transfers: TransferCommandsService,
  ) {}

  @Post()
  @WriteHeaders()
  @TransferResponse(201)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateTransferDto, @Write() write: WriteOptions) {
    return this.transfers.create(ctx, dto, write);
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: ListTransfersQuery) {
    return this.queries.list(ctx, query);
  }

  @Get(':id')
  @TransferResponse()
  @ErasedResponse()
  get(@Ctx() ctx: RequestContext, @TransferId() id: string) {
    return this.queries.get(ctx, id);
  }

  @Patch(':id')
  @WriteHeaders()
  @TransferResponse()
  update(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: UpdateTransferDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.update(ctx, id, dto, write);
  }

  @Post(':id/initiate')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  initiate(@Ctx() ctx: RequestContext, @TransferId() id: string, @Write() write: WriteOptions) {
    return this.transfers.initiate(ctx, id, write);
  }

  @Post(':id/direct-contact')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  recordContact(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: DirectContactDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.recordContact(ctx, id, dto, write);
  }

  @Post(':id/direct-contact/confirm')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  confirmContact(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: ConfirmContactDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.confirmContact(ctx, id, dto, write);
  }

  @Post(':id/flags/:code/acknowledge')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  acknowledgeFlag(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Param('code') code: string,
    @Body() dto: AcknowledgeFlagDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.acknowledgeFlag(ctx, id, code, dto, write);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  accept(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: AcceptTransferDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.accept(ctx, id, dto, write);
  }

  /** A host notification (issue 13 item 2): the host team names its contact; there is no accept. */
  @Post(':id/acknowledge-notification')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  acknowledgeNotification(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: AcknowledgeNotificationDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.acknowledgeNotification(ctx, id, dto, write);
  }

  /** Child protection: the receiving side records its transfer-in conference (status stays awaiting_conference). */
  @Post(':id/conference')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  recordConference(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: RecordConferenceDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.recordConference(ctx, id, dto, write);
  }

  /** Child protection: the sending side has the written outcome; accountability passes, status accepted. */
  @Post(':id/conference/confirm')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  confirmConference(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: ConfirmConferenceDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.confirmConference(ctx, id, dto, write);
  }

  /** The child seen (issue 14 item 1): a receiving practitioner records a child of the transfer seen; closes its child_seen item. */
  @Post(':id/children/:memberId/seen')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  recordChildSeen(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Param('memberId', new UuidOr404('child')) memberId: string,
    @Body() dto: RecordChildSeenDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.recordChildSeen(ctx, id, memberId, dto, write);
  }

  @Post(':id/return')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  returnTransfer(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: ReasonDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.returnTransfer(ctx, id, dto, write);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  cancel(@Ctx() ctx: RequestContext, @TransferId() id: string, @Body() dto: ReasonDto, @Write() write: WriteOptions) {
    return this.transfers.cancel(ctx, id, dto, write);
  }

  /** A manager of the team holding accountability hands it to another of its practitioners. */
  @Post(':id/reassign')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  reassign(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: ReassignDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.reassign(ctx, id, dto, write);
  }

  /** The family not reached (issue 14 item 2): either side reports its failed attempts. */
  @Post(':id/family-not-reached')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  reportNotReached(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: FamilyNotReachedDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.reportNotReached(ctx, id, dto, write);
  }

  /** One locate check of the open route, closed with what was found. */
  @Post(':id/locate-checks/:check/close')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  closeLocateCheck(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Param('check', new OneOfOr404('locate check', LOCATE_CHECKS)) check: string,
    @Body() dto: CloseLocateCheckDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.closeLocateCheck(ctx, id, check, dto, write);
  }

  /** A safeguarding lead records the national alert decision (a path the issue does not name: docs/decisions.md). */
  @Post(':id/national-alert')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  recordNationalAlert(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: NationalAlertDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.recordNationalAlert(ctx, id, dto, write);
  }

  /** The family found: ends the not-reached route. */
  @Post(':id/family-found')
  @HttpCode(200)
  @WriteHeaders()
  @TransferResponse()
  recordFamilyFound(
    @Ctx() ctx: RequestContext,
    @TransferId() id: string,
    @Body() dto: FamilyFoundDto,
    @Write() write: WriteOptions,
  ) {
    return this.transfers.recordFamilyFound(ctx, id, dto, write);
  }

  @Get(':id/audit')
  audit(@Ctx() ctx: RequestContext, @TransferId() id: string) {
    return this.queries.auditTrail(ctx, id);
  }
}

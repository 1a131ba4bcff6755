import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/actor.js';
import type { RequestContext } from '../auth/actor.js';
import { UuidOr404 } from '../common/uuid-param.js';
import { ErasedResponse } from '../transfers/transfer.openapi.js';
import { PacketsService } from './packets.service.js';

const TransferId = () => Param('id', new UuidOr404('transfer'));

/** The handover packet of a transfer: JSON (latest or a given version) and the latest as PDF. */
@ApiTags('packets')
@ApiBearerAuth()
@Controller('v1/transfers')
export class PacketsController {
  constructor(private readonly packets: PacketsService) {}

  @Get(':id/packet')
  @ApiOkResponse({
    description:
      'the latest packet version: { version, sha256, generatedAt, format, asOf, transfer, riskFlags, sections }',
  })
  @ApiNotFoundResponse({
    description: 'no such transfer, not visible to you, not initiated, or no packet generated yet',
  })
  @ErasedResponse()
  latest(@Ctx() ctx: RequestContext, @TransferId() id: string) {
    return this.packets.latest(ctx, id);
  }

  @Get(':id/packet.pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'the latest packet version as PDF' })
  @ApiNotFoundResponse({ description: 'as for the JSON packet' })
  @ErasedResponse()
  async pdf(@Ctx() ctx: RequestContext, @TransferId() id: string): Promise<StreamableFile> {
    const { reference, version, pdf } = await this.packets.latestPdf(ctx, id);
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${reference}-v${version}.pdf"`,
      length: pdf.length,
    });
  }

  @Get(':id/packets/:version')
  @ApiOkResponse({ description: 'that packet version, JSON; versions are 1, 2, 3… and never change' })
  @ApiNotFoundResponse({ description: 'as for the latest packet, or no such version' })
  @ErasedResponse()
  version(@Ctx() ctx: RequestContext, @TransferId() id: string, @Param('version') version: string) {
    return this.packets.version(ctx, id, version);
  }
}

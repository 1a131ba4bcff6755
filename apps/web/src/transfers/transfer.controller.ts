import { Controller, Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiClient, ApiFailure } from '../api/api-client.service.js';
import { Views } from '../common/views.service.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import type { ChaseItem } from '../pages/your-work.js';
import { transferPage } from './transfer.page.js';
import type { Transfer } from './transfer.types.js';

/** The API answers 404 alike for "does not exist" and "not yours"; a malformed id is a 404 too. */
export const TransferId = () => Param('id', new ParseUUIDPipe({ version: undefined, errorHttpStatusCode: 404 }));

/** `/transfers/:id` — the transfer, its flags first, and what this practitioner may do with it. */
@Controller('transfers')
export class TransferController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  @Get(':id')
  async show(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const me = request.web.practitioner!;
    const transfer = await this.api.get<Transfer>(request, `/v1/transfers/${id}`);
    const [chaseItems, audit, people] = await Promise.all([
      this.api.get<ChaseItem[]>(request, `/v1/transfers/${id}/chase-items`),
      me.role === 'manager' || me.role === 'safeguarding_lead'
        ? this.api
            .get<unknown[]>(request, `/v1/transfers/${id}/audit`)
            .catch((e) => (e instanceof ApiFailure && e.status === 403 ? null : Promise.reject(e)))
        : Promise.resolve(null),
      this.api.practitioners(request),
    ]);
    const done =
      typeof (request.query as Record<string, unknown>).done === 'string'
        ? String((request.query as Record<string, unknown>).done)
        : null;
    return this.views.page(request, reply, 'transfer', {
      title: `Transfer ${transfer.reference}`,
      ...transferPage(transfer, chaseItems, audit, people, done, me),
    });
  }

  /** The packet PDF, through the console (the API audits the download as this practitioner's). */
  @Get(':id/packet.pdf')
  async packet(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const response = await this.api.raw(request, `/v1/transfers/${id}/packet.pdf`);
    const body = Buffer.from(await response.arrayBuffer());
    return reply
      .status(200)
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="handover-packet-${id}.pdf"`)
      .header('Cache-Control', 'no-store')
      .send(body);
  }
}

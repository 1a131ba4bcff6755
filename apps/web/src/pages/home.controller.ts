import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiClient } from '../api/api-client.service.js';
import { Views } from '../common/views.service.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { TransferSummary, yourWork } from './your-work.js';

/** `/` — Your work: what needs this practitioner (or their team or area) now. */
@Controller()
export class HomeController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  @Get()
  async home(@Req() request: WebRequest, @Res() reply: WebReply) {
    const me = request.web.practitioner!;
    if (me.role === 'admin') return this.views.page(request, reply, 'admin-home', { title: 'Family Handover' });
    const [incoming, outgoing] = await Promise.all([
      this.api.get<{ items: TransferSummary[] }>(request, '/v1/transfers?direction=incoming&limit=50'),
      this.api.get<{ items: TransferSummary[] }>(request, '/v1/transfers?direction=outgoing&limit=50'),
    ]);
    const work = await yourWork(me, incoming.items, outgoing.items, {
      transfer: (id) => this.api.get(request, `/v1/transfers/${id}`),
      chaseItems: (id) => this.api.get(request, `/v1/transfers/${id}/chase-items`),
    });
    return this.views.page(request, reply, 'home', { title: 'Your work', ...work });
  }
}

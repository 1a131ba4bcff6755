import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiClient } from '../api/api-client.service.js';
import { Views } from '../common/views.service.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { monitoringPage, queryString, readFilters } from './monitoring.page.js';
import type { MonitoringSummary, UnconfirmedItem } from './monitoring.page.js';

const ROLES = ['manager', 'safeguarding_lead', 'admin'];

/**
 * `/monitoring` — for managers, safeguarding leads and admins: who is between two areas now (most
 * overdue first, filtered, paged by the API's cursor) and the summary as charts with tables. The
 * API decides the scope (a manager's team, a lead's area, everything for admins) and audits it.
 */
@Controller('monitoring')
export class MonitoringController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  @Get()
  async show(@Req() request: WebRequest, @Res() reply: WebReply) {
    const me = request.web.practitioner!;
    if (!ROLES.includes(me.role)) {
      return this.views.page(
        request,
        reply,
        'error',
        {
          title: 'Monitoring is for managers, safeguarding leads and administrators',
          body: 'Your account cannot see monitoring. Your own transfers and what they need are on Your work. If you think you should have access, ask your team manager.',
        },
        403,
      );
    }
    const filters = readFilters(request.query as Record<string, unknown>);
    const [summary, list, teams, areas] = await Promise.all([
      this.api.get<MonitoringSummary>(request, `/v1/monitoring/summary${queryString({ area: filters.area })}`),
      this.api.get<{ items: UnconfirmedItem[]; nextCursor: string | null }>(
        request,
        `/v1/monitoring/unconfirmed${queryString({ ...filters })}${filters.area || filters.team || filters.overdue || filters.cursor ? '&' : '?'}limit=25`,
      ),
      this.api.get<{ id: string; name: string; areaCode: string }[]>(request, '/v1/teams'),
      this.api.get<{ code: string; name: string }[]>(request, '/v1/areas'),
    ]);
    const page = monitoringPage(summary, list.items);
    const scope =
      me.role === 'admin'
        ? 'All areas'
        : me.role === 'safeguarding_lead'
          ? `${areas.find((a) => a.code === teams.find((t) => t.id === me.teamId)?.areaCode)?.name ?? 'Your area'}: transfers in and out`
          : `${teams.find((t) => t.id === me.teamId)?.name ?? 'Your team'}: transfers in and out`;
    return this.views.page(request, reply, 'monitoring/index', {
      title: 'Monitoring',
      scope,
      summary,
      ...page,
      filters,
      filtered: Boolean(filters.area || filters.team || filters.overdue),
      areas,
      teams: teams.filter((t) => !filters.area || t.areaCode === filters.area),
      nextHref: list.nextCursor ? `/monitoring${queryString({ ...filters, cursor: list.nextCursor })}` : null,
      firstHref: filters.cursor ? `/monitoring${queryString({ ...filters, cursor: '' })}` : null,
    });
  }
}

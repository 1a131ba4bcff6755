import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiClient, ApiFailure } from '../api/api-client.service.js';
import { apiFormErrors, fieldErrors, mergeErrors, NO_ERRORS } from '../common/form-errors.js';
import type { FormErrors } from '../common/form-errors.js';
import { Views } from '../common/views.service.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { localDate } from '../transfers/london-time.js';
import {
  childRowsOf,
  emptyChild,
  REQUEST_STATUS_TEXT,
  requestFieldOf,
  requestFormChecks,
  text,
} from './transfer-request.form.js';
import type { Area, ChildRow, Form, Team, TransferRequest, TransferRequestSummary } from './transfer-request.form.js';

const RequestId = () => Param('id', new ParseUUIDPipe({ version: undefined, errorHttpStatusCode: 404 }));

/**
 * `/transfer-requests` (issue 14 item 3): a practitioner who finds that a family known to another
 * area has moved in asks that area's team to transfer it; the originating team answers. Pages:
 * the list (incoming and outgoing), open a request (children added with "Add another child", no
 * JavaScript needed), one request, and its answer (will transfer → the new draft; declined with
 * the reason). Everything comes from the API with the practitioner's own token.
 */
@Controller('transfer-requests')
export class TransferRequestsController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  @Get()
  async list(@Req() request: WebRequest, @Res() reply: WebReply) {
    const [incoming, outgoing] = await Promise.all([
      this.api.get<{ items: TransferRequestSummary[] }>(request, '/v1/transfer-requests?direction=incoming&limit=50'),
      this.api.get<{ items: TransferRequestSummary[] }>(request, '/v1/transfer-requests?direction=outgoing&limit=50'),
    ]);
    const me = request.web.practitioner!;
    return this.views.page(request, reply, 'transfer-requests/list', {
      title: 'Transfer requests',
      incoming: incoming.items,
      outgoing: outgoing.items,
      statusText: REQUEST_STATUS_TEXT,
      mayOpen: me.role === 'practitioner' || me.role === 'manager',
    });
  }

  @Get('new')
  async newForm(@Req() request: WebRequest, @Res() reply: WebReply) {
    return this.newPage(request, reply, {}, [emptyChild()], NO_ERRORS);
  }

  @Post('new')
  async open(@Req() request: WebRequest, @Res() reply: WebReply) {
    const form = (request.body ?? {}) as Form;
    const rows = childRowsOf(form);
    if (text(form, 'add') === 'child') {
      rows.push(emptyChild());
      return this.newPage(request, reply, form, rows, NO_ERRORS, 200, `child-${rows.length - 1}-givenName`);
    }
    const removeAt = text(form, 'remove');
    if (/^\d+$/.test(removeAt) && rows.length > 1) {
      rows.splice(Number(removeAt), 1);
      return this.newPage(request, reply, form, rows, NO_ERRORS);
    }
    const errors = fieldErrors(requestFormChecks(form, rows));
    if (errors.errorList.length) return this.newPage(request, reply, form, rows, errors, 400);
    const key = text(form, 'idempotencyKey');
    try {
      const created = await this.api.post<TransferRequest>(
        request,
        '/v1/transfer-requests',
        {
          originatingTeamId: text(form, 'originatingTeamId'),
          children: rows.map((c) => ({
            givenName: c.givenName,
            familyName: c.familyName,
            dateOfBirth: localDate(c.dob.day, c.dob.month, c.dob.year),
            nhsNumber: c.nhsNumber || null,
          })),
          howKnown: text(form, 'howKnown'),
          concern: text(form, 'concern'),
        },
        /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {},
      );
      return reply.status(303).redirect(`/transfer-requests/${created.id}?done=opened`);
    } catch (error) {
      if (!(error instanceof ApiFailure) || (error.status !== 400 && error.status !== 422)) throw error;
      return this.newPage(request, reply, form, rows, apiFormErrors(error, requestFieldOf, 'originatingTeamId'), 400);
    }
  }

  private async newPage(
    request: WebRequest,
    reply: WebReply,
    form: Form,
    rows: ChildRow[],
    errors: FormErrors,
    status = 200,
    focus: string | null = null,
  ) {
    const me = request.web.practitioner!;
    const [teams, areas] = await Promise.all([
      this.api.get<Team[]>(request, '/v1/teams'),
      this.api.get<Area[]>(request, '/v1/areas'),
    ]);
    const myArea = teams.find((t) => t.id === me.teamId)?.areaCode;
    const areaName = new Map(areas.map((a) => [a.code, a.name]));
    const chosen = text(form, 'originatingTeamId');
    const teamItems = [
      { value: '', text: 'Choose a team' },
      ...teams
        .filter((t) => t.areaCode !== myArea)
        .sort((a, b) => `${a.areaCode}${a.name}`.localeCompare(`${b.areaCode}${b.name}`))
        .map((t) => ({
          value: t.id,
          text: `${t.name} (${areaName.get(t.areaCode) ?? t.areaCode})`,
          selected: t.id === chosen,
        })),
    ];
    return this.views.page(
      request,
      reply,
      'transfer-requests/new',
      {
        title: 'Ask another area to transfer a family',
        teamItems,
        rows,
        howKnown: text(form, 'howKnown'),
        concern: text(form, 'concern'),
        idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
        errors,
        focus,
      },
      status,
    );
  }

  @Get(':id')
  async show(@Req() request: WebRequest, @Res() reply: WebReply, @RequestId() id: string) {
    const r = await this.api.get<TransferRequest>(request, `/v1/transfer-requests/${id}`);
    const done = (request.query as Record<string, unknown>).done;
    return this.requestPage(request, reply, r, {}, NO_ERRORS, 200, typeof done === 'string' ? done : null);
  }

  @Post(':id/respond')
  async respond(@Req() request: WebRequest, @Res() reply: WebReply, @RequestId() id: string) {
    const form = (request.body ?? {}) as Form;
    const r = await this.api.get<TransferRequest>(request, `/v1/transfer-requests/${id}`);
    if (!r.availableActions.find((a) => a.action === 'respond')?.allowed)
      return reply.status(303).redirect(`/transfer-requests/${id}`);
    const decision = text(form, 'decision');
    const reason = text(form, 'reason');
    const errors = fieldErrors([
      ['decision', decision === 'will_transfer' || decision === 'declined' ? null : 'Select your answer'],
      ['reason', decision === 'declined' && !reason ? 'Enter why your team will not transfer the family' : null],
    ]);
    if (errors.errorList.length) return this.requestPage(request, reply, r, form, errors, 400);
    const key = text(form, 'idempotencyKey');
    try {
      const answered = await this.api.post<TransferRequest>(
        request,
        `/v1/transfer-requests/${id}/respond`,
        decision === 'declined' ? { decision, reason } : { decision },
        /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {},
      );
      // Will transfer: straight to the new draft, to complete and send it.
      if (answered.transferId) return reply.status(303).redirect(`/transfers/new/${answered.transferId}`);
      return reply.status(303).redirect(`/transfer-requests/${id}?done=declined`);
    } catch (error) {
      if (!(error instanceof ApiFailure) || (error.status !== 400 && error.status !== 422)) throw error;
      const fieldOf = (k: string) => (k === 'REASON_REQUIRED' || k === 'reason' ? 'reason' : 'decision');
      return this.requestPage(request, reply, r, form, mergeErrors(apiFormErrors(error, fieldOf, 'decision')), 400);
    }
  }

  private requestPage(
    request: WebRequest,
    reply: WebReply,
    r: TransferRequest,
    form: Form,
    errors: FormErrors,
    status = 200,
    done: string | null = null,
  ) {
    const me = request.web.practitioner!;
    const respond = r.availableActions.find((a) => a.action === 'respond');
    return this.views.page(
      request,
      reply,
      'transfer-requests/request',
      {
        title: `Transfer request ${r.reference}`,
        r,
        statusText: REQUEST_STATUS_TEXT[r.status],
        mayRespond: Boolean(respond?.allowed),
        originatingSide: me.teamId === r.originatingTeam.id,
        decision: text(form, 'decision'),
        reason: text(form, 'reason'),
        idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
        errors,
        done,
      },
      status,
    );
  }
}

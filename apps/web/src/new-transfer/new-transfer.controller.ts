import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiClient, ApiFailure } from '../api/api-client.service.js';
import { apiFormErrors, fieldErrors, NO_ERRORS } from '../common/form-errors.js';
import type { FormErrors } from '../common/form-errors.js';
import { Views } from '../common/views.service.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { TransferId } from '../transfers/transfer.controller.js';
import { sortedFlags } from '../transfers/transfer.types.js';
import {
  appointmentInputs,
  CHOICES,
  concernInputs,
  isChild,
  linkDatesToDay,
  memberFieldOf,
  memberInputs,
  memberName,
  moveFieldOf,
  nextRef,
  plainMessages,
  readAppointments,
  readChildrenGp,
  readConcerns,
  readConfirmHousehold,
  readMember,
  readMoveDetails,
  readSharing,
  readSupportNetwork,
  REASON_SECTION,
  rowFieldOf,
  SECTIONS,
  sharingFieldOf,
  taskStatuses,
} from './draft.js';
import { dateParts } from './draft.js';
import type { Draft, FormBody, MemberInput } from './draft.js';
import { appointmentRows, checkAnswers, concernRows, memberValues, moveValues } from './draft-views.js';

interface Team {
  id: string;
  areaCode: string;
  name: string;
  service: string;
}
interface Area {
  code: string;
  name: string;
}
interface DraftSummary {
  id: string;
  reference: string;
  status: string;
  receiving: { teamName: string };
  createdAt: string;
}

const EDITABLE = ['draft', 'returned'];
const DATE_FIELDS = /(^|-)(moveDate|dateOfBirth|observedOn|dueOn|healthAssessmentOn|referralOn|discussionOn)$/;
const single = (value: unknown) =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';

/** The API said no to a form: its 400 messages or 422 reasons on the form's fields, in plain words. */
function refusal(error: unknown, fieldOf: (key: string) => string | null, fallback: string): FormErrors {
  if (!(error instanceof ApiFailure) || (error.status !== 400 && error.status !== 422)) throw error;
  return linkDatesToDay(plainMessages(apiFormErrors(error, fieldOf, fallback)), (field) => DATE_FIELDS.test(field));
}
const checked = (checks: [string, string | null][]) =>
  linkDatesToDay(fieldErrors(checks), (field) => DATE_FIELDS.test(field));

/**
 * `/transfers/new` — start a transfer as a GOV.UK task list. Every section is its own form that
 * saves to the draft in the API (the first one creates it); the console keeps nothing of what was
 * entered. Then check your answers with the risk flags they raise, and send (`initiate`).
 */
@Controller('transfers/new')
export class NewTransferController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Start: the drafts to resume, or a new one

  @Get()
  async start(@Req() request: WebRequest, @Res() reply: WebReply) {
    const [drafts, returned] = await Promise.all([
      this.api.get<{ items: DraftSummary[] }>(request, '/v1/transfers?direction=outgoing&status=draft&limit=50'),
      this.api.get<{ items: DraftSummary[] }>(request, '/v1/transfers?direction=outgoing&status=returned&limit=50'),
    ]);
    return this.page(request, reply, 'new-transfer/start', {
      title: 'Start a transfer',
      drafts: [...returned.items, ...drafts.items],
    });
  }

  // ---------------------------------------------------------------------------------------
  // Receiving team: area, then team (GET forms until there is a draft to change)

  @Get('receiving-team')
  async newReceivingTeam(@Req() request: WebRequest, @Res() reply: WebReply, @Query('area') area?: string) {
    return this.receivingTeamPage(request, reply, null, single(area), NO_ERRORS);
  }

  @Get(':id/receiving-team')
  async receivingTeam(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Query('area') area?: string,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.receivingTeamPage(request, reply, draft, single(area) || draft.receiving.area, NO_ERRORS);
  }

  @Post(':id/receiving-team')
  async saveReceivingTeam(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const team = single(body.team);
    const area = single(body.area);
    if (!team)
      return this.receivingTeamPage(
        request,
        reply,
        draft,
        area,
        checked([['team', 'Select the team taking over']]),
        400,
      );
    try {
      await this.api.patch(
        request,
        `/v1/transfers/${id}`,
        { receivingTeamId: team },
        { 'if-match': String(draft.version) },
      );
    } catch (error) {
      return this.receivingTeamPage(request, reply, draft, area, refusal(error, moveFieldOf, 'team'), 400);
    }
    return reply.redirect(`/transfers/new/${id}`, 303);
  }

  private async receivingTeamPage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft | null,
    area: string,
    errors: FormErrors,
    status = 200,
  ) {
    const me = request.web.practitioner!;
    const [teams, areas] = await Promise.all([
      this.api.get<Team[]>(request, '/v1/teams'),
      this.api.get<Area[]>(request, '/v1/areas'),
    ]);
    const myArea = teams.find((t) => t.id === me.teamId)?.areaCode;
    const otherAreas = areas.filter((a) => a.code !== myArea);
    const chosen = otherAreas.find((a) => a.code === area) ?? null;
    return this.page(
      request,
      reply,
      'new-transfer/receiving-team',
      {
        title: chosen ? `Which team in ${chosen.name} is taking over?` : 'Which area is the family moving to?',
        draft,
        areas: otherAreas,
        area: chosen,
        teams: chosen ? teams.filter((t) => t.areaCode === chosen.code) : [],
        currentTeam: draft?.receiving.teamId ?? null,
        errors,
      },
      status,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Move details (creates the draft the first time)

  @Get('move-details')
  async newMoveDetails(@Req() request: WebRequest, @Res() reply: WebReply, @Query('team') team?: string) {
    const teamId = single(team);
    if (!/^[0-9a-f-]{36}$/i.test(teamId)) return reply.redirect('/transfers/new/receiving-team', 303);
    return this.page(request, reply, 'new-transfer/move-details', {
      title: 'Move details',
      draft: null,
      team: teamId,
      values: moveValues(null, null),
      errors: NO_ERRORS,
    });
  }

  @Post('move-details')
  async createDraft(@Req() request: WebRequest, @Res() reply: WebReply, @Body() body: FormBody) {
    const team = single(body.team);
    const { fields, checks } = readMoveDetails(body);
    const again = (errors: FormErrors) =>
      this.page(
        request,
        reply,
        'new-transfer/move-details',
        { title: 'Move details', draft: null, team, values: moveValues(null, body), errors },
        400,
      );
    const local = checked(checks);
    if (local.errorList.length) return again(local);
    try {
      const created = await this.api.post<Draft>(request, '/v1/transfers', { receivingTeamId: team, ...fields });
      return reply.redirect(`/transfers/new/${created.id}`, 303);
    } catch (error) {
      return again(refusal(error, moveFieldOf, 'moveDate'));
    }
  }

  @Get(':id/move-details')
  async moveDetails(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.page(request, reply, 'new-transfer/move-details', {
      title: 'Move details',
      draft,
      values: moveValues(draft, null),
      errors: NO_ERRORS,
    });
  }

  @Post(':id/move-details')
  async saveMoveDetails(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const { fields, checks } = readMoveDetails(body);
    return this.save(request, reply, draft, fields, checks, moveFieldOf, 'moveDate', (errors) =>
      this.page(
        request,
        reply,
        'new-transfer/move-details',
        { title: 'Move details', draft, values: moveValues(draft, body), errors },
        400,
      ),
    );
  }

  // ---------------------------------------------------------------------------------------
  // The task list

  @Get(':id')
  async taskList(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const statuses = taskStatuses(draft);
    const done = SECTIONS.filter((s) => statuses[s.slug] === 'completed' || statuses[s.slug] === 'optional').length;
    return this.page(request, reply, 'new-transfer/task-list', {
      title: draft.status === 'returned' ? `Correct and send transfer ${draft.reference}` : 'Start a transfer',
      draft,
      sections: SECTIONS.map((s) => ({ ...s, status: statuses[s.slug], href: `/transfers/new/${id}/${s.slug}` })),
      done,
      total: SECTIONS.length,
    });
  }

  // ---------------------------------------------------------------------------------------
  // Household: one page per person, "add another member"

  @Get(':id/household')
  async household(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.page(request, reply, 'new-transfer/household', {
      title: 'Who is in the household?',
      draft,
      members: draft.household,
    });
  }

  @Get(':id/household/add')
  async addMember(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.memberPage(request, reply, draft, null, null, NO_ERRORS);
  }

  @Post(':id/household/add')
  async saveNewMember(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.saveMember(request, reply, draft, null, body);
  }

  @Get(':id/household/:ref')
  async member(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('ref') ref: string,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const member = memberInputs(draft).find((m) => m.ref === ref);
    if (!member) return this.views.page(request, reply, 'not-found', {}, 404);
    return this.memberPage(request, reply, draft, member, null, NO_ERRORS);
  }

  @Post(':id/household/:ref')
  async saveExistingMember(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('ref') ref: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const member = memberInputs(draft).find((m) => m.ref === ref);
    if (!member) return this.views.page(request, reply, 'not-found', {}, 404);
    return this.saveMember(request, reply, draft, member, body);
  }

  @Get(':id/household/:ref/remove')
  async removeMemberPage(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('ref') ref: string,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const member = draft.household.find((m) => m.ref === ref);
    if (!member) return this.views.page(request, reply, 'not-found', {}, 404);
    const concerns = draft.concerns.filter((c) => c.memberRef === ref).length;
    const appointments = draft.appointments.filter((a) => a.memberRef === ref).length;
    return this.page(request, reply, 'new-transfer/remove-member', {
      title: `Remove ${memberName(member)}?`,
      draft,
      member,
      concerns,
      appointments,
    });
  }

  @Post(':id/household/:ref/remove')
  async removeMember(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('ref') ref: string,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    if (!draft.household.some((m) => m.ref === ref)) return this.views.page(request, reply, 'not-found', {}, 404);
    await this.api.patch(
      request,
      `/v1/transfers/${id}`,
      {
        household: memberInputs(draft).filter((m) => m.ref !== ref),
        concerns: concernInputs(draft).filter((c) => c.memberRef !== ref),
        appointments: appointmentInputs(draft).filter((a) => a.memberRef !== ref),
      },
      { 'if-match': String(draft.version) },
    );
    return reply.redirect(`/transfers/new/${id}/household`, 303);
  }

  private memberPage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    member: MemberInput | null,
    body: FormBody | null,
    errors: FormErrors,
    status = 200,
  ) {
    const values = memberValues(member, body);
    const title = member ? `${memberName(member)}` : 'Add a person to the household';
    return this.page(
      request,
      reply,
      'new-transfer/member',
      {
        title,
        draft,
        member,
        values,
        agencyRows: values.agencyRows,
        choices: CHOICES,
        errors,
        action: `/transfers/new/${draft.id}/household/${member ? member.ref : 'add'}`,
      },
      status,
    );
  }

  private async saveMember(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    existing: MemberInput | null,
    body: FormBody,
  ) {
    const household = memberInputs(draft);
    const ref = existing?.ref ?? nextRef(household);
    const { member, checks } = readMember(body, ref, existing);
    const index = existing ? household.findIndex((m) => m.ref === ref) : household.length;
    const next = existing ? household.map((m) => (m.ref === ref ? member : m)) : [...household, member];
    if (single(body.addAgency))
      return this.memberPage(
        request,
        reply,
        draft,
        existing,
        { ...body, agencyRows: String(Number(single(body.agencyRows) || 1) + 1) },
        NO_ERRORS,
      );
    const local = checked(checks);
    if (local.errorList.length) return this.memberPage(request, reply, draft, existing, body, local, 400);
    try {
      await this.api.patch(
        request,
        `/v1/transfers/${draft.id}`,
        { household: next },
        { 'if-match': String(draft.version) },
      );
    } catch (error) {
      return this.memberPage(
        request,
        reply,
        draft,
        existing,
        body,
        refusal(error, memberFieldOf(index), 'givenName'),
        400,
      );
    }
    const another = single(body.next) === 'another';
    return reply.redirect(
      another ? `/transfers/new/${draft.id}/household/add` : `/transfers/new/${draft.id}/household`,
      303,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Children and GP

  @Get(':id/children-gp')
  async childrenGp(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.childrenGpPage(request, reply, draft, null, NO_ERRORS);
  }

  @Post(':id/children-gp')
  async saveChildrenGp(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const { members, checks } = readChildrenGp(body, memberInputs(draft));
    const gpField = (path: string) => {
      const m = /^household\.(\d+)\.gp\.([A-Za-z]+)/.exec(path);
      return m ? `m${m[1]}-${m[2] === 'status' ? 'gpStatus' : m[2]}` : null;
    };
    const firstChild = draft.household.findIndex(isChild);
    return this.save(
      request,
      reply,
      draft,
      { household: members },
      checks,
      gpField,
      `m${firstChild}-gpStatus`,
      (errors) => this.childrenGpPage(request, reply, draft, body, errors, 400),
    );
  }

  private childrenGpPage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    body: FormBody | null,
    errors: FormErrors,
    status = 200,
  ) {
    const children = draft.household.map((m, index) => ({ ...m, index })).filter(isChild);
    const values = (i: number, field: string, stored: string | null | undefined) =>
      body ? single(body[`m${i}-${field}`]) : (stored ?? '');
    return this.page(
      request,
      reply,
      'new-transfer/children-gp',
      {
        title: 'Children and GP',
        draft,
        children: children.map((c) => ({
          ...c,
          name: memberName(c),
          gpStatus: values(c.index, 'gpStatus', c.gp?.status),
          practiceOds: values(c.index, 'practiceOds', c.gp?.practiceOds),
          practiceName: values(c.index, 'practiceName', c.gp?.practiceName),
        })),
        choices: CHOICES,
        errors,
      },
      status,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Concerns and appointments: rows, "add another", remove

  @Get(':id/concerns')
  async concerns(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.listPage(
      request,
      reply,
      draft,
      'concerns',
      concernRows(draft, null, draft.concerns.length ? 0 : 1),
      NO_ERRORS,
    );
  }

  @Post(':id/concerns')
  async saveConcerns(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const working = body;
    const { concerns, rowsOf, checks } = readConcerns(working);
    const adding = single(body.add) !== '';
    return this.save(
      request,
      reply,
      draft,
      { concerns },
      checks,
      rowFieldOf('concerns', rowsOf),
      'c0-memberRef',
      (errors, saved) =>
        this.listPage(
          request,
          reply,
          saved ?? draft,
          'concerns',
          concernRows(saved ?? draft, saved ? null : working, adding ? 1 : 0),
          errors,
          saved ? 200 : 400,
        ),
      adding,
    );
  }

  @Get(':id/appointments')
  async appointments(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.listPage(
      request,
      reply,
      draft,
      'appointments',
      appointmentRows(draft, null, draft.appointments.length ? 0 : 1),
      NO_ERRORS,
    );
  }

  @Post(':id/appointments')
  async saveAppointments(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const working = body;
    const { appointments, rowsOf, checks } = readAppointments(working);
    const adding = single(body.add) !== '';
    return this.save(
      request,
      reply,
      draft,
      { appointments },
      checks,
      rowFieldOf('appointments', rowsOf),
      'a0-memberRef',
      (errors, saved) =>
        this.listPage(
          request,
          reply,
          saved ?? draft,
          'appointments',
          appointmentRows(saved ?? draft, saved ? null : working, adding ? 1 : 0),
          errors,
          saved ? 200 : 400,
        ),
      adding,
    );
  }

  private listPage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    list: 'concerns' | 'appointments',
    rows: unknown[],
    errors: FormErrors,
    status = 200,
  ) {
    return this.page(
      request,
      reply,
      `new-transfer/${list}`,
      {
        title: list === 'concerns' ? 'Concerns' : 'Appointments',
        draft,
        rows,
        members: draft.household.map((m) => ({ value: m.ref, text: memberName(m) })),
        choices: CHOICES,
        errors,
      },
      status,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Support network; confirm the household

  @Get(':id/support-network')
  async supportNetwork(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.simplePage(request, reply, draft, 'support-network', null, NO_ERRORS);
  }

  @Post(':id/support-network')
  async saveSupportNetwork(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const { fields, checks } = readSupportNetwork(body);
    return this.save(
      request,
      reply,
      draft,
      fields,
      checks,
      (p) => (p === 'supportNetworkNote' ? p : null),
      'leftSupportNetwork',
      (errors) => this.simplePage(request, reply, draft, 'support-network', body, errors, 400),
    );
  }

  @Get(':id/confirm-household')
  async confirmHousehold(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.simplePage(request, reply, draft, 'confirm-household', null, NO_ERRORS);
  }

  @Post(':id/confirm-household')
  async saveConfirmHousehold(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const { fields, checks } = readConfirmHousehold(body);
    return this.save(
      request,
      reply,
      draft,
      fields,
      checks,
      (p) => (p === 'noMaleCarerReason' ? p : null),
      'householdConfirmed',
      (errors) => this.simplePage(request, reply, draft, 'confirm-household', body, errors, 400),
    );
  }

  // ---------------------------------------------------------------------------------------
  // Sharing and the family (issue 13 item 4): the lawful basis for sharing, and whether the family was told

  @Get(':id/sharing')
  async sharing(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.sharingPage(request, reply, draft, await this.sendingManagers(request, draft), null, NO_ERRORS);
  }

  @Post(':id/sharing')
  async saveSharing(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Body() body: FormBody,
  ) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    const { fields, checks } = readSharing(body);
    const managers = await this.sendingManagers(request, draft);
    return this.save(request, reply, draft, fields, checks, sharingFieldOf, 'sharingBasis', (errors) =>
      this.sharingPage(request, reply, draft, managers, body, errors, 400),
    );
  }

  /** The sending team's active managers: one of them approves sharing without consent. */
  private async sendingManagers(request: WebRequest, draft: Draft) {
    return (
      await this.api.get<{ id: string; name: string; role: string; active?: boolean }[]>(
        request,
        `/v1/practitioners?teamId=${draft.sending.teamId}`,
      )
    ).filter((p) => p.role === 'manager' && p.active !== false);
  }

  private sharingPage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    managers: { id: string; name: string }[],
    body: FormBody | null,
    errors: FormErrors,
    status = 200,
  ) {
    const b = draft.sharingBasis ?? null;
    const f = draft.familyInformed ?? null;
    const values = body
      ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, single(v)]))
      : {
          sharingBasis: b?.basis ?? '',
          givenBy: b?.basis === 'consent' ? b.givenBy : '',
          rationale: b?.basis === 'safeguarding_without_consent' ? b.rationale : '',
          approvedById: b?.basis === 'safeguarding_without_consent' ? b.approvedById : '',
          familyInformed: !f ? '' : 'on' in f ? 'yes' : 'no',
          notInformedReason: f && 'notInformedReason' in f ? f.notInformedReason : '',
        };
    return this.views.page(
      request,
      reply,
      'new-transfer/sharing',
      {
        title: 'Sharing and the family',
        draft,
        values,
        givenOn: dateParts(body, 'givenOn', b?.basis === 'consent' ? b.givenOn : null),
        informedOn: dateParts(body, 'informedOn', f && 'on' in f ? f.on : null),
        managers: managers.map((m) => ({ value: m.id, text: m.name, checked: values.approvedById === m.id })),
        errors,
      },
      status,
    );
  }

  private simplePage(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    page: 'support-network' | 'confirm-household',
    body: FormBody | null,
    errors: FormErrors,
    status = 200,
  ) {
    const yesNo = (value: boolean | null | undefined) => (value === true ? 'yes' : value === false ? 'no' : '');
    const values = body
      ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, single(v)]))
      : {
          leftSupportNetwork: draft.leftSupportNetwork === null ? '' : yesNo(draft.leftSupportNetwork),
          supportNetworkNote: draft.supportNetworkNote ?? '',
          householdConfirmed: draft.householdConfirmed ? 'yes' : '',
          noMaleCarerReason: draft.noMaleCarerReason ?? '',
        };
    const titles = { 'support-network': 'Support network', 'confirm-household': 'Confirm the household' };
    return this.views.page(
      request,
      reply,
      `new-transfer/${page}`,
      { title: titles[page], draft, values, members: draft.household, errors },
      status,
    );
  }

  // ---------------------------------------------------------------------------------------
  // Check your answers, and send

  @Get(':id/check-answers')
  async checkYourAnswers(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    return this.checkAnswersPage(request, reply, draft, NO_ERRORS);
  }

  @Post(':id/send')
  async send(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const draft = await this.draft(request, reply, id);
    if (!draft) return reply;
    try {
      await this.api.post(request, `/v1/transfers/${id}/initiate`, {}, { 'if-match': String(draft.version) });
    } catch (error) {
      if (!(error instanceof ApiFailure) || (error.status !== 422 && error.status !== 400)) throw error;
      const reasons = error.body?.reasons ?? error.messages.map((message) => ({ code: '', message }));
      const errors: FormErrors = {
        errorList: reasons.map((r) => ({
          text: r.message.charAt(0).toUpperCase() + r.message.slice(1),
          href: REASON_SECTION[r.code] ? `/transfers/new/${id}/${REASON_SECTION[r.code]}` : `/transfers/new/${id}`,
        })),
        fields: {},
      };
      return this.checkAnswersPage(request, reply, draft, errors, 422);
    }
    return reply.redirect(`/transfers/new/${id}/sent`, 303);
  }

  @Get(':id/sent')
  async sent(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const transfer = await this.api.get<Draft>(request, `/v1/transfers/${id}`);
    if (EDITABLE.includes(transfer.status)) return reply.redirect(`/transfers/new/${id}`, 303);
    return this.page(request, reply, 'new-transfer/sent', { title: 'Transfer sent', t: transfer });
  }

  private checkAnswersPage(request: WebRequest, reply: WebReply, draft: Draft, errors: FormErrors, status = 200) {
    return this.page(
      request,
      reply,
      'new-transfer/check-answers',
      {
        title: 'Check your answers before sending the transfer',
        draft,
        ...checkAnswers(draft),
        flags: sortedFlags(draft.riskFlags),
        errors,
      },
      status,
    );
  }

  // ---------------------------------------------------------------------------------------

  private page(
    request: WebRequest,
    reply: WebReply,
    template: string,
    context: Record<string, unknown>,
    status = 200,
  ): WebReply {
    return this.views.page(request, reply, template, { choices: CHOICES, errors: NO_ERRORS, ...context }, status);
  }

  /** The draft, if it can still be changed; otherwise the browser goes to the transfer itself. */
  private async draft(request: WebRequest, reply: WebReply, id: string): Promise<Draft | null> {
    const draft = await this.api.get<Draft>(request, `/v1/transfers/${id}`);
    if (EDITABLE.includes(draft.status) && draft.availableActions?.some((a) => a.action === 'update')) return draft;
    void reply.redirect(`/transfers/${id}`, 303);
    return null;
  }

  /**
   * Saves one section: the console's own checks first, then PATCH with the draft's version (a
   * change made elsewhere meanwhile is a 409, not overwritten). Back to the task list, or the same
   * page again (`stay`, after "add another" or "remove") showing what was saved.
   */
  private async save(
    request: WebRequest,
    reply: WebReply,
    draft: Draft,
    fields: Record<string, unknown>,
    checks: [string, string | null][],
    fieldOf: (key: string) => string | null,
    fallback: string,
    again: (errors: FormErrors, saved: Draft | null) => WebReply,
    stay = false,
  ) {
    const local = checked(checks);
    if (local.errorList.length) return again(local, null);
    let saved: Draft;
    try {
      saved = await this.api.patch<Draft>(request, `/v1/transfers/${draft.id}`, fields, {
        'if-match': String(draft.version),
      });
    } catch (error) {
      return again(refusal(error, fieldOf, fallback), null);
    }
    if (stay) return again(NO_ERRORS, saved);
    return reply.redirect(`/transfers/new/${draft.id}`, 303);
  }
}

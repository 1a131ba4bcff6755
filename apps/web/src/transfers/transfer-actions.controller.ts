import { randomUUID } from 'node:crypto';
import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiClient, ApiFailure } from '../api/api-client.service.js';
import { apiFormErrors, fieldErrors, mergeErrors, NO_ERRORS } from '../common/form-errors.js';
import type { FormErrors } from '../common/form-errors.js';
import { Views } from '../common/views.service.js';
import type { Practitioner, WebReply, WebRequest } from '../common/web-request.js';
import { formatDate, humanise } from '../view.service.js';
import { localDate, londonInstant } from './london-time.js';
import { TransferId } from './transfer.controller.js';
import {
  adviceOf,
  conferenceOf,
  LOCATE_CHECK_TEXT,
  OUTCOME_TEXT,
  PROTOCOL_ITEM_WORDS,
  protocolActionField,
  protocolActionsOf,
} from './transfer.page.js';
import { actionOf, sortedFlags } from './transfer.types.js';
import type { Transfer } from './transfer.types.js';

type Form = Record<string, string | string[] | undefined>;
const text = (form: Form, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? value[0] : (value ?? '')).trim();
};

const METHODS = [
  { value: 'phone', text: 'Phone call' },
  { value: 'video', text: 'Video call' },
  { value: 'in_person', text: 'In person' },
  { value: 'meeting', text: 'Meeting' },
];

/** The reason codes and API fields of each form, mapped to the form's field ids. */
const CONTACT_FIELDS: Record<string, string> = {
  CONTACT_METHOD_NOT_CONVERSATION: 'method',
  CONTACT_IN_FUTURE: 'occurred-day',
  CONTACT_BEFORE_INITIATION: 'occurred-day',
  CONTACT_TIME_INVALID: 'occurred-day',
  occurredAt: 'occurred-day',
  method: 'method',
  SENDING_PRACTITIONER_INACTIVE: 'sendingPractitionerId',
  SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM: 'sendingPractitionerId',
  sendingPractitionerId: 'sendingPractitionerId',
  summary: 'summary',
  AGREED_ACTION_DUE_DATE_INVALID: 'action-0-description',
};

const CONFERENCE_OUTCOMES = Object.entries(OUTCOME_TEXT).map(([value, text]) => ({ value, text }));

/** The conference form's reason codes and API fields, mapped to its field ids. */
const CONFERENCE_FIELDS: Record<string, string> = {
  CONFERENCE_DATE_INVALID: 'held-day',
  CONFERENCE_IN_FUTURE: 'held-day',
  CONFERENCE_BEFORE_INITIATION: 'held-day',
  heldOn: 'held-day',
  CONFERENCE_OUTCOME_INVALID: 'outcome',
  outcome: 'outcome',
  chair: 'chair',
  notes: 'notes',
};

/** The child-seen form's reason codes and API fields, mapped to its field ids. */
const SEEN_FIELDS: Record<string, string> = {
  SEEN_DATE_INVALID: 'seen-day',
  SEEN_IN_FUTURE: 'seen-day',
  SEEN_BEFORE_MOVE: 'seen-day',
  seenOn: 'seen-day',
  SEEN_BY_NOT_IN_RECEIVING_TEAM: 'seenById',
  SEEN_BY_INACTIVE: 'seenById',
  seenById: 'seenById',
  SEEN_WHERE_INVALID: 'where',
  where: 'where',
  SEEN_ALONE_MISSING: 'seenAlone',
  seenAlone: 'seenAlone',
  note: 'note',
};
const seenField = (key: string) => SEEN_FIELDS[key] ?? null;

/** The family-not-reached pages (issue 14 item 2). */
type RoutePage = 'report' | 'check' | 'alert' | 'found';
/** Their API fields and reason codes → the forms' field ids. */
const ROUTE_FIELDS: Record<string, string> = {
  ATTEMPT_INVALID: 'on-day',
  on: 'on-day',
  method: 'method',
  note: 'note',
  found: 'found',
  pupilFileMoved: 'pupilFileMoved',
  raised: 'raised',
  reference: 'reference',
  reason: 'reason',
  how: 'how',
};
const routeField = (key: string) => ROUTE_FIELDS[key.replace(/^attempts\.\d+\./, '')] ?? null;

interface ActionRow {
  description: string;
  owner: string;
  due: { day: string; month: string; year: string };
  review: { day: string; month: string; year: string };
}

/**
 * The transfer's action pages: record the conversation (an interruption page for critical flags,
 * then the form), check back, safeguarding advice, accept, return and cancel. Each page is shown
 * only when the API lists its command as allowed for this practitioner; otherwise the transfer
 * page says why not. Every write carries the transfer's version (If-Match) and an idempotency key,
 * so a double submission or a stale page changes nothing twice.
 */
/** The outcomes the appointment page offers (API: APPOINTMENT_OUTCOMES). */
const OUTCOME_STATUSES = ['attended', 'was_not_brought', 'no_access', 'cancelled_by_carer', 'rescheduled'];
/** Which date fields hold the (optional) rebooked date for each outcome that has one. */
const OUTCOME_REBOOKED: Record<string, string> = {
  was_not_brought: 'rebooked-wnb',
  no_access: 'rebooked-na',
  cancelled_by_carer: 'rebooked-cc',
};

@Controller('transfers')
export class TransferActionsController {
  constructor(
    private readonly api: ApiClient,
    private readonly views: Views,
  ) {}

  private async transfer(request: WebRequest, id: string): Promise<Transfer> {
    return this.api.get<Transfer>(request, `/v1/transfers/${id}`);
  }

  /** The page for a command that is not allowed now goes back to the transfer, which says why. */
  private notAllowed(reply: WebReply, t: Transfer): WebReply {
    return reply.status(303).redirect(`/transfers/${t.id}#actions`);
  }

  private write(request: WebRequest, t: Transfer, form: Form, path: string, body: unknown) {
    const key = text(form, 'idempotencyKey');
    return this.api.post<Transfer>(request, `/v1/transfers/${t.id}${path}`, body, {
      'if-match': String(text(form, 'version') || t.version),
      ...(/^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {}),
    });
  }

  private common(t: Transfer) {
    return { t, version: t.version, idempotencyKey: randomUUID(), back: `/transfers/${t.id}` };
  }

  // ---------------------------------------------------------------------------------------------
  // Record the conversation (receiving side)

  @Get(':id/conversation')
  async interruption(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'recordContact').allowed) return this.notAllowed(reply, t);
    const critical = sortedFlags(t.riskFlags).filter((f) => f.severity === 'critical');
    if (!critical.length) return reply.status(303).redirect(`/transfers/${id}/conversation/record`);
    return this.views.page(request, reply, 'conversation-interruption', {
      title: 'Before you record the conversation',
      t,
      critical,
    });
  }

  @Get(':id/conversation/record')
  async conversationForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'recordContact').allowed) return this.notAllowed(reply, t);
    return this.conversationPage(request, reply, t, {}, [], NO_ERRORS);
  }

  @Post(':id/conversation/record')
  async recordConversation(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'recordContact').allowed) return this.notAllowed(reply, t);
    const count = Math.min(20, Math.max(0, Number(text(form, 'actionCount')) || 0));
    const rows: ActionRow[] = [];
    for (let i = 0; i < count; i++) {
      const part = (field: string) => text(form, `action-${i}-${field}`);
      rows.push({
        description: part('description'),
        owner: part('owner'),
        due: { day: part('due-day'), month: part('due-month'), year: part('due-year') },
        review: { day: part('review-day'), month: part('review-month'), year: part('review-year') },
      });
    }
    if (text(form, 'add') === 'action') {
      rows.push({
        description: '',
        owner: '',
        due: { day: '', month: '', year: '' },
        review: { day: '', month: '', year: '' },
      });
      return this.conversationPage(request, reply, t, form, rows, NO_ERRORS, `action-${rows.length - 1}-description`);
    }
    const removeAt = text(form, 'remove');
    if (/^\d+$/.test(removeAt)) {
      rows.splice(Number(removeAt), 1);
      return this.conversationPage(request, reply, t, form, rows, NO_ERRORS);
    }

    const occurred = londonInstant(
      Number(text(form, 'occurred-year')),
      Number(text(form, 'occurred-month')),
      Number(text(form, 'occurred-day')),
      Number(text(form, 'occurred-time').split(/[:.]/)[0]),
      Number(text(form, 'occurred-time').split(/[:.]/)[1] ?? NaN),
    );
    const flags = t.riskFlags;
    const [day, month, year, time] = ['occurred-day', 'occurred-month', 'occurred-year', 'occurred-time'].map((f) =>
      text(form, f),
    );
    const timeOk = /^\d{1,2}[:.]\d{2}$/.test(time);
    const checks: [string, string | null][] = [
      [
        'occurred-day',
        !(day || month || year)
          ? 'Enter the date of the conversation'
          : !localDate(day, month, year)
            ? 'The date of the conversation must be a real date, like 27 11 2026'
            : null,
      ],
      [
        'occurred-time',
        timeOk && (occurred || !localDate(day, month, year)) ? null : 'Enter the time of the conversation, like 10:30',
      ],
      [
        'method',
        METHODS.some((m) => m.value === text(form, 'method'))
          ? null
          : 'Select how you spoke to the sending practitioner',
      ],
      [
        'sendingPractitionerId',
        text(form, 'sendingPractitionerId') ? null : 'Select who you spoke to on the sending side',
      ],
      ['summary', text(form, 'summary') ? null : 'Enter a summary of the conversation'],
      ...flags.map((f): [string, string | null] => [
        `flag-${f.code}`,
        text(form, `flag-${f.code}`) ? null : `Enter what you understood about: ${f.summary}`,
      ]),
    ];
    const agreedActions = rows.map((row, i) => {
      const dueOn = localDate(row.due.day, row.due.month, row.due.year);
      const anyReview = row.review.day || row.review.month || row.review.year;
      const reviewOn = anyReview ? localDate(row.review.day, row.review.month, row.review.year) : null;
      checks.push([`action-${i}-description`, row.description ? null : `Enter what was agreed for action ${i + 1}`]);
      checks.push([
        `action-${i}-owner`,
        ['sending', 'receiving'].includes(row.owner) ? null : `Select whose action ${i + 1} is`,
      ]);
      checks.push([`action-${i}-due-day`, dueOn ? null : `Enter a real due date for action ${i + 1}, like 27 11 2026`]);
      checks.push([
        `action-${i}-review-day`,
        !anyReview || reviewOn ? null : `Enter a real review date for action ${i + 1}, or leave it blank`,
      ]);
      return { description: row.description, owner: row.owner, dueOn, reviewOn };
    });
    const errors = fieldErrors(checks);
    if (errors.errorList.length) return this.conversationPage(request, reply, t, form, rows, errors);
    try {
      await this.write(request, t, form, '/direct-contact', {
        occurredAt: occurred!.toISOString(),
        method: text(form, 'method'),
        sendingPractitionerId: text(form, 'sendingPractitionerId'),
        summary: text(form, 'summary'),
        flagAcknowledgements: flags.map((f) => ({ code: f.code, understanding: text(form, `flag-${f.code}`) })),
        agreedActions,
      });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      const mapped = apiFormErrors(error, (key) => CONTACT_FIELDS[key] ?? null, 'summary');
      return this.conversationPage(request, reply, t, form, rows, mapped);
    }
    return reply.status(303).redirect(`/transfers/${id}?done=contact`);
  }

  private async conversationPage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    form: Form,
    rows: ActionRow[],
    errors: FormErrors,
    focus?: string,
  ) {
    const senders = (
      await this.api.get<Practitioner[]>(request, `/v1/practitioners?teamId=${t.sending.teamId}`)
    ).filter((p) => (p as { active?: boolean }).active !== false);
    return this.views.page(request, reply, 'conversation-form', {
      title: 'Record the conversation',
      ...this.common(t),
      version: text(form, 'version') || t.version,
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      methods: METHODS,
      senders: [
        { value: '', text: 'Choose a practitioner' },
        ...senders.map((p) => ({ value: p.id, text: p.name, selected: p.id === text(form, 'sendingPractitionerId') })),
      ],
      flags: sortedFlags(t.riskFlags).map((f) => ({ ...f, title: humanise(f.code) })),
      rows,
      errors,
      focus,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Check back (sending side)

  @Get(':id/check-back')
  async checkBackForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'confirmContact').allowed || !t.directContact) return this.notAllowed(reply, t);
    return this.checkBackPage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/check-back')
  async checkBack(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'confirmContact').allowed || !t.directContact) return this.notAllowed(reply, t);
    const agree = text(form, 'agree');
    const errors = fieldErrors([
      ['agree', ['yes', 'no'].includes(agree) ? null : 'Select yes if this is what you discussed'],
      ['comment', agree === 'no' && !text(form, 'comment') ? 'Enter what was not right' : null],
    ]);
    if (errors.errorList.length) return this.checkBackPage(request, reply, t, form, errors);
    try {
      await this.write(
        request,
        t,
        form,
        '/direct-contact/confirm',
        agree === 'yes' ? { agree: true } : { agree: false, comment: text(form, 'comment') },
      );
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.checkBackPage(
        request,
        reply,
        t,
        form,
        apiFormErrors(error, (k) => (k === 'COMMENT_REQUIRED' || k === 'comment' ? 'comment' : null), 'agree'),
      );
    }
    return reply
      .status(303)
      .redirect(`/transfers/${id}?done=${agree === 'yes' ? 'check-back-agreed' : 'check-back-disputed'}`);
  }

  private checkBackPage(request: WebRequest, reply: WebReply, t: Transfer, form: Form, errors: FormErrors) {
    const contact = t.directContact!;
    return this.views.page(request, reply, 'check-back', {
      title: 'Check back the conversation',
      ...this.common(t),
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      contact: {
        ...contact,
        methodText: METHODS.find((m) => m.value === contact.method)?.text ?? humanise(contact.method),
        flags: contact.flagAcknowledgements.map((a) => ({ ...a, title: humanise(a.code) })),
      },
      form: { agree: text(form, 'agree'), comment: text(form, 'comment') },
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Safeguarding advice (leads)

  @Get(':id/advice')
  async adviceForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!this.adviceFlags(t).length) return this.notAllowed(reply, t);
    return this.advicePage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/advice')
  async advice(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    let t = await this.transfer(request, id);
    const flags = this.adviceFlags(t);
    if (!flags.length) return this.notAllowed(reply, t);
    const given = flags.filter((f) => text(form, `advice-${f.code}`));
    const errors = fieldErrors([
      [`advice-${flags[0].code}`, given.length ? null : 'Enter your advice for at least one flag'],
      // the bruising protocol (issue 14 item 4): what was done about each missing item
      ...given.flatMap((f) => protocolActionsOf(form, f).checks),
    ]);
    if (errors.errorList.length) return this.advicePage(request, reply, t, form, errors);
    const failures: FormErrors[] = [];
    for (const flag of given) {
      try {
        t = await this.api.post<Transfer>(
          request,
          `/v1/transfers/${id}/flags/${flag.code}/acknowledge`,
          { advice: text(form, `advice-${flag.code}`), actions: protocolActionsOf(form, flag).actions },
          { 'if-match': String(t.version) },
        );
      } catch (error) {
        if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
        failures.push(apiFormErrors(error, () => `advice-${flag.code}`, `advice-${flag.code}`));
      }
    }
    if (failures.length)
      return this.advicePage(request, reply, await this.transfer(request, id), form, mergeErrors(...failures));
    return reply.status(303).redirect(`/transfers/${id}?done=advice`);
  }

  private adviceFlags(t: Transfer) {
    const allowed = (t.availableActions ?? [])
      .filter((a) => a.action === 'acknowledgeFlag' && a.allowed)
      .map((a) => a.flagCode);
    return sortedFlags(t.riskFlags).filter((f) => allowed.includes(f.code));
  }

  private advicePage(request: WebRequest, reply: WebReply, t: Transfer, form: Form, errors: FormErrors) {
    return this.views.page(request, reply, 'advice', {
      title: 'Give safeguarding advice',
      ...this.common(t),
      flags: this.adviceFlags(t).map((f) => ({
        ...f,
        title: humanise(f.code),
        value: text(form, `advice-${f.code}`),
        protocol: (f.missing ?? []).map((item) => ({
          id: protocolActionField(f.code, item),
          text: PROTOCOL_ITEM_WORDS[item] ?? humanise(item),
          value: text(form, protocolActionField(f.code, item)),
        })),
      })),
      // What leads have already advised on this transfer's flags: every advice, none replaced.
      advised: sortedFlags(t.riskFlags)
        .map((f) => ({ ...f, advice: adviceOf(f, () => 'a safeguarding lead') }))
        .filter((f) => f.advice.length),
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Accept (choose the receiving lead), return, cancel

  @Get(':id/accept')
  async acceptForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'accept').allowed) return this.notAllowed(reply, t);
    return this.acceptPage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/accept')
  async accept(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'accept').allowed) return this.notAllowed(reply, t);
    const lead = text(form, 'leadPractitionerId');
    const errors = fieldErrors([['leadPractitionerId', lead ? null : 'Select who will lead for the receiving team']]);
    if (errors.errorList.length) return this.acceptPage(request, reply, t, form, errors);
    let accepted: Transfer;
    try {
      accepted = await this.write(request, t, form, '/accept', { leadPractitionerId: lead });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.acceptPage(
        request,
        reply,
        t,
        form,
        apiFormErrors(error, () => 'leadPractitionerId', 'leadPractitionerId'),
      );
    }
    // Child protection: accepted in, awaiting the conference (the sender stays accountable).
    const done = accepted.status === 'awaiting_conference' ? 'accepted-in' : 'accepted';
    return reply.status(303).redirect(`/transfers/${id}?done=${done}`);
  }

  private async acceptPage(request: WebRequest, reply: WebReply, t: Transfer, form: Form, errors: FormErrors) {
    return this.views.page(request, reply, 'accept', {
      title: 'Accept the transfer',
      ...this.common(t),
      leads: await this.receivingTeamChoices(request, t, text(form, 'leadPractitionerId')),
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Child protection (issue 13 item 1): the receiving side records the transfer-in conference; the
  // sending side confirms it has the written outcome, and only then does accountability pass

  @Get(':id/conference')
  async conferenceForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'recordConference').allowed) return this.notAllowed(reply, t);
    return this.conferencePage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/conference')
  async recordConference(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'recordConference').allowed) return this.notAllowed(reply, t);
    const [day, month, year] = ['held-day', 'held-month', 'held-year'].map((f) => text(form, f));
    const heldOn = localDate(day, month, year);
    const outcome = text(form, 'outcome');
    const errors = fieldErrors([
      [
        'held-day',
        !(day || month || year)
          ? 'Enter the date the conference was held'
          : !heldOn
            ? 'The date the conference was held must be a real date, like 27 11 2026'
            : null,
      ],
      [
        'outcome',
        CONFERENCE_OUTCOMES.some((o) => o.value === outcome)
          ? null
          : 'Select whether the child protection plan continues',
      ],
      ['chair', text(form, 'chair') ? null : 'Enter who chaired the conference'],
    ]);
    if (errors.errorList.length) return this.conferencePage(request, reply, t, form, errors);
    try {
      await this.write(request, t, form, '/conference', {
        heldOn,
        outcome,
        chair: text(form, 'chair'),
        notes: text(form, 'notes') || null,
      });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      const mapped = apiFormErrors(error, (key) => CONFERENCE_FIELDS[key] ?? null, 'held-day');
      return this.conferencePage(request, reply, t, form, mapped);
    }
    return reply.status(303).redirect(`/transfers/${id}?done=conference-recorded`);
  }

  private conferencePage(request: WebRequest, reply: WebReply, t: Transfer, form: Form, errors: FormErrors) {
    return this.views.page(request, reply, 'conference', {
      title: 'Record the transfer-in conference',
      ...this.common(t),
      version: text(form, 'version') || t.version,
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      outcomes: CONFERENCE_OUTCOMES.map((o) => ({ ...o, checked: o.value === text(form, 'outcome') })),
      errors,
    });
  }

  @Get(':id/conference/confirm')
  async confirmConferenceForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'confirmConference').allowed) return this.notAllowed(reply, t);
    return this.confirmConferencePage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/conference/confirm')
  async confirmConference(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'confirmConference').allowed) return this.notAllowed(reply, t);
    const [day, month, year] = ['received-day', 'received-month', 'received-year'].map((f) => text(form, f));
    const receivedOn = localDate(day, month, year);
    const errors = fieldErrors([
      [
        'received-day',
        !(day || month || year)
          ? 'Enter the date you received the written outcome'
          : !receivedOn
            ? 'The date you received the written outcome must be a real date, like 27 11 2026'
            : null,
      ],
    ]);
    if (errors.errorList.length) return this.confirmConferencePage(request, reply, t, form, errors);
    try {
      await this.write(request, t, form, '/conference/confirm', { receivedOn });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.confirmConferencePage(
        request,
        reply,
        t,
        form,
        apiFormErrors(error, () => 'received-day', 'received-day'),
      );
    }
    return reply.status(303).redirect(`/transfers/${id}?done=conference-confirmed`);
  }

  private confirmConferencePage(request: WebRequest, reply: WebReply, t: Transfer, form: Form, errors: FormErrors) {
    return this.views.page(request, reply, 'conference-confirm', {
      title: 'Confirm the written outcome',
      ...this.common(t),
      version: text(form, 'version') || t.version,
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      form: Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      conference: conferenceOf(t),
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // A host notification (issue 13 item 2): the host team names its contact; there is no accept

  @Get(':id/acknowledge-notification')
  async acknowledgeNotificationForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'acknowledgeNotification').allowed) return this.notAllowed(reply, t);
    return this.acknowledgeNotificationPage(request, reply, t, {}, NO_ERRORS);
  }

  @Post(':id/acknowledge-notification')
  async acknowledgeNotification(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, 'acknowledgeNotification').allowed) return this.notAllowed(reply, t);
    const contact = text(form, 'contactPractitionerId');
    const errors = fieldErrors([['contactPractitionerId', contact ? null : 'Select who will be your team’s contact']]);
    if (errors.errorList.length) return this.acknowledgeNotificationPage(request, reply, t, form, errors);
    try {
      await this.write(request, t, form, '/acknowledge-notification', { contactPractitionerId: contact });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.acknowledgeNotificationPage(
        request,
        reply,
        t,
        form,
        apiFormErrors(error, () => 'contactPractitionerId', 'contactPractitionerId'),
      );
    }
    return reply.status(303).redirect(`/transfers/${id}?done=notification-acknowledged`);
  }

  private async acknowledgeNotificationPage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    form: Form,
    errors: FormErrors,
  ) {
    return this.views.page(request, reply, 'acknowledge-notification', {
      title: 'Acknowledge the host notification',
      ...this.common(t),
      contacts: await this.receivingTeamChoices(request, t, text(form, 'contactPractitionerId')),
      errors,
    });
  }

  /**
   * The receiving team's active practitioners as radio items (the lead at acceptance, the contact
   * of a host notification): the one chosen, else the person answering when they are in the team.
   */
  private async receivingTeamChoices(request: WebRequest, t: Transfer, chosenId: string) {
    const me = request.web.practitioner!;
    const team = (
      await this.api.get<(Practitioner & { active?: boolean })[]>(
        request,
        `/v1/practitioners?teamId=${t.receiving.teamId}`,
      )
    ).filter((p) => p.active !== false);
    const chosen = chosenId || (team.some((p) => p.id === me.id) ? me.id : '');
    return team.map((p) => ({
      value: p.id,
      text: p.id === me.id ? `${p.name} (you)` : p.name,
      hint: { text: humanise(p.role) },
      checked: p.id === chosen,
    }));
  }

  // ---------------------------------------------------------------------------------------------
  // A move review (issue 13 item 3): is the move now permanent? Answered through the chase-item close

  @Get(':id/move-review/:itemId')
  async moveReviewForm(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('itemId') itemId: string,
  ) {
    const t = await this.transfer(request, id);
    if (!(await this.openMoveReview(request, t, itemId))) return this.notAllowed(reply, t);
    return this.moveReviewPage(request, reply, t, itemId, {}, NO_ERRORS);
  }

  @Post(':id/move-review/:itemId')
  async moveReview(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('itemId') itemId: string,
  ) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!(await this.openMoveReview(request, t, itemId))) return this.notAllowed(reply, t);
    const answer = text(form, 'answer');
    const note = text(form, 'note');
    const next = localDate(text(form, 'next-day'), text(form, 'next-month'), text(form, 'next-year'));
    const errors = fieldErrors([
      [
        'answer',
        ['still_temporary', 'now_permanent'].includes(answer) ? null : 'Select whether the move is now permanent',
      ],
      ['note', note ? null : 'Say how you know'],
      ['next-day', answer !== 'still_temporary' || next ? null : 'Enter the date to review the move again'],
    ]);
    if (errors.errorList.length) return this.moveReviewPage(request, reply, t, itemId, form, errors);
    const key = text(form, 'idempotencyKey');
    try {
      await this.api.post(
        request,
        `/v1/chase-items/${encodeURIComponent(itemId)}/close`,
        { resolution: answer, evidence: { note, ...(answer === 'still_temporary' ? { nextReviewOn: next } : {}) } },
        /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {},
      );
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.moveReviewPage(
        request,
        reply,
        t,
        itemId,
        form,
        apiFormErrors(error, () => 'answer', 'answer'),
      );
    }
    return reply.status(303).redirect(`/transfers/${id}?done=move-review#chase-items`);
  }

  private async openMoveReview(request: WebRequest, t: Transfer, itemId: string): Promise<boolean> {
    const items = await this.api.get<{ id: string; kind: string; status: string }[]>(
      request,
      `/v1/transfers/${t.id}/chase-items`,
    );
    return items.some((i) => i.id === itemId && i.kind === 'move_review' && i.status === 'open');
  }

  private moveReviewPage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    itemId: string,
    form: Form,
    errors: FormErrors,
  ) {
    return this.views.page(request, reply, 'move-review', {
      title: 'Is the move now permanent?',
      ...this.common(t),
      itemId,
      form,
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // An appointment's outcome (issue 14 item 5): attended, not brought, no access, cancelled or
  // rescheduled by the carer (with the new date), through POST /v1/appointments/:id/outcome

  @Get(':id/appointments/:appointmentId/outcome')
  async outcomeForm(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('appointmentId') appointmentId: string,
  ) {
    const t = await this.transfer(request, id);
    const appointment = t.appointments.find((a) => a.id === appointmentId);
    if (!appointment || ['draft', 'cancelled', 'closed'].includes(t.status)) return this.notAllowed(reply, t);
    return this.outcomePage(request, reply, t, appointment, {}, NO_ERRORS);
  }

  @Post(':id/appointments/:appointmentId/outcome')
  async outcome(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('appointmentId') appointmentId: string,
  ) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    const appointment = t.appointments.find((a) => a.id === appointmentId);
    if (!appointment) return this.notAllowed(reply, t);
    const status = text(form, 'status');
    const dateOf = (prefix: string) =>
      localDate(text(form, `${prefix}-day`), text(form, `${prefix}-month`), text(form, `${prefix}-year`));
    const given = (prefix: string) => [`${prefix}-day`, `${prefix}-month`, `${prefix}-year`].some((k) => text(form, k));
    const rebookedPrefix = OUTCOME_REBOOKED[status];
    const errors = fieldErrors([
      ['status', OUTCOME_STATUSES.includes(status) ? null : 'Select what happened at the appointment'],
      ['attended-day', status !== 'attended' || dateOf('attended') ? null : 'Enter the date the child attended'],
      ['rescheduled-day', status !== 'rescheduled' || dateOf('rescheduled') ? null : 'Enter the new date'],
      ...(rebookedPrefix
        ? [
            [
              `${rebookedPrefix}-day`,
              !given(rebookedPrefix) || dateOf(rebookedPrefix) ? null : 'Enter the rebooked date as a real date',
            ] as [string, string | null],
          ]
        : []),
    ]);
    if (errors.errorList.length) return this.outcomePage(request, reply, t, appointment, form, errors);
    const body: Record<string, string> = { status };
    if (status === 'attended') body.attendedOn = dateOf('attended')!;
    if (status === 'rescheduled') body.rescheduledFor = dateOf('rescheduled')!;
    if (rebookedPrefix && dateOf(rebookedPrefix)) body.rebookedFor = dateOf(rebookedPrefix)!;
    const key = text(form, 'idempotencyKey');
    try {
      await this.api.post(
        request,
        `/v1/appointments/${encodeURIComponent(appointmentId)}/outcome`,
        body,
        /^[0-9a-f-]{36}$/.test(key) ? { 'idempotency-key': key } : {},
      );
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 409, 422].includes(error.status)) throw error;
      const field =
        status === 'attended'
          ? 'attended-day'
          : status === 'rescheduled'
            ? 'rescheduled-day'
            : rebookedPrefix
              ? `${rebookedPrefix}-day`
              : 'status';
      return this.outcomePage(
        request,
        reply,
        t,
        appointment,
        form,
        apiFormErrors(error, () => field, field),
      );
    }
    return reply.status(303).redirect(`/transfers/${id}?done=appointment-outcome`);
  }

  private outcomePage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    appointment: Transfer['appointments'][number],
    form: Form,
    errors: FormErrors,
  ) {
    const who = t.household.find((m) => m.id === appointment.memberId);
    return this.views.page(request, reply, 'appointment-outcome', {
      title: 'What happened at the appointment?',
      ...this.common(t),
      appointment: { ...appointment, who: who ? `${who.givenName} ${who.familyName}` : '' },
      form,
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // A child seen in the new area (issue 14 item 1), by the receiving team: when, by whom, where, alone

  @Get(':id/children/:memberId/seen')
  async childSeenForm(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('memberId') memberId: string,
  ) {
    const t = await this.transfer(request, id);
    if (!this.openChildSeen(t, memberId)) return this.notAllowed(reply, t);
    return this.childSeenPage(request, reply, t, memberId, {}, NO_ERRORS);
  }

  @Post(':id/children/:memberId/seen')
  async childSeen(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('memberId') memberId: string,
  ) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!this.openChildSeen(t, memberId)) return this.notAllowed(reply, t);
    const seenOn = localDate(text(form, 'seen-day'), text(form, 'seen-month'), text(form, 'seen-year'));
    const seenAlone = text(form, 'seenAlone');
    const errors = fieldErrors([
      ['seen-day', seenOn ? null : 'Enter the date the child was seen, like 27 11 2026'],
      ['seenById', text(form, 'seenById') ? null : 'Select who saw the child'],
      [
        'where',
        ['home', 'clinic', 'school', 'other'].includes(text(form, 'where')) ? null : 'Select where the child was seen',
      ],
      ['seenAlone', ['yes', 'no'].includes(seenAlone) ? null : 'Select whether the child was seen alone'],
    ]);
    if (errors.errorList.length) return this.childSeenPage(request, reply, t, memberId, form, errors);
    try {
      await this.write(request, t, form, `/children/${encodeURIComponent(memberId)}/seen`, {
        seenOn,
        seenById: text(form, 'seenById'),
        where: text(form, 'where'),
        seenAlone: seenAlone === 'yes',
        note: text(form, 'note') || null,
      });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 409, 422].includes(error.status)) throw error;
      return this.childSeenPage(request, reply, t, memberId, form, apiFormErrors(error, seenField, 'seen-day'));
    }
    return reply.status(303).redirect(`/transfers/${id}?done=child-seen#children-seen`);
  }

  /** The child's child_seen item is open (the API still decides who may record it). */
  private openChildSeen(t: Transfer, memberId: string): boolean {
    return (t.childrenSeen ?? []).some((c) => c.memberId === memberId && c.itemStatus === 'open');
  }

  private async childSeenPage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    memberId: string,
    form: Form,
    errors: FormErrors,
  ) {
    const child = t.household.find((m) => m.id === memberId)!;
    const status = t.childrenSeen!.find((c) => c.memberId === memberId)!;
    const days = status.workingDaysSinceMove;
    return this.views.page(request, reply, 'child-seen', {
      title: `Record ${child.givenName} ${child.familyName} as seen`,
      ...this.common(t),
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      child: {
        id: child.id,
        givenName: child.givenName,
        name: `${child.givenName} ${child.familyName}`,
        sinceMove: `It is ${days} working day${days === 1 ? '' : 's'} since the move${status.dueOn ? `; ${child.givenName} ${status.overdue ? 'was' : 'is'} due to be seen by ${formatDate(status.dueOn)}` : ''}.`,
      },
      seenBy: await this.receivingTeamChoices(request, t, text(form, 'seenById')),
      form,
      errors,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The family not reached (issue 14 item 2): report an attempt that failed, record what each locate
  // check found, a lead's national-alert decision, and the family found

  @Get(':id/not-reached')
  async notReachedForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routeForm(request, reply, id, 'report', null);
  }

  @Post(':id/not-reached')
  async notReached(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routePost(request, reply, id, 'report', null);
  }

  @Get(':id/locate-checks/:check')
  async locateCheckForm(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('check') check: string,
  ) {
    return this.routeForm(request, reply, id, 'check', check);
  }

  @Post(':id/locate-checks/:check')
  async locateCheck(
    @Req() request: WebRequest,
    @Res() reply: WebReply,
    @TransferId() id: string,
    @Param('check') check: string,
  ) {
    return this.routePost(request, reply, id, 'check', check);
  }

  @Get(':id/national-alert')
  async nationalAlertForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routeForm(request, reply, id, 'alert', null);
  }

  @Post(':id/national-alert')
  async nationalAlert(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routePost(request, reply, id, 'alert', null);
  }

  @Get(':id/family-found')
  async familyFoundForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routeForm(request, reply, id, 'found', null);
  }

  @Post(':id/family-found')
  async familyFound(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.routePost(request, reply, id, 'found', null);
  }

  /** Whether this route page applies now: a report needs no open route, the rest an open one (the API decides who). */
  private routeApplies(t: Transfer, page: RoutePage, check: string | null): boolean {
    const r = t.familyNotReached ?? null;
    if (['draft', 'cancelled', 'closed'].includes(t.status)) return false;
    if (page === 'report') return !r?.open;
    if (!r?.open) return false;
    if (page === 'check') return r.checklist.some((c) => c.check === check && !c.found);
    if (page === 'alert') return !r.nationalAlert.decision;
    return true;
  }

  private async routeForm(request: WebRequest, reply: WebReply, id: string, page: RoutePage, check: string | null) {
    const t = await this.transfer(request, id);
    if (!this.routeApplies(t, page, check)) return this.notAllowed(reply, t);
    return this.routePage(request, reply, t, page, check, {}, NO_ERRORS);
  }

  private async routePost(request: WebRequest, reply: WebReply, id: string, page: RoutePage, check: string | null) {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!this.routeApplies(t, page, check)) return this.notAllowed(reply, t);
    const on = localDate(text(form, 'on-day'), text(form, 'on-month'), text(form, 'on-year'));
    const yes = (name: string) => (text(form, name) === 'yes' ? true : text(form, name) === 'no' ? false : null);
    let path: string;
    let body: Record<string, unknown>;
    let checks: [string, string | null][];
    if (page === 'report') {
      path = '/family-not-reached';
      body = { attempts: [{ on, method: text(form, 'method'), note: text(form, 'note') || null }] };
      checks = [
        ['on-day', on ? null : 'Enter the date of the attempt, like 27 11 2026'],
        ['method', text(form, 'method') ? null : 'Select what happened'],
        ['note', text(form, 'method') !== 'other' || text(form, 'note') ? null : 'Say what happened in the note'],
      ];
    } else if (page === 'check') {
      path = `/locate-checks/${encodeURIComponent(check!)}/close`;
      body = {
        found: text(form, 'found'),
        ...(check === 'education_setting' ? { pupilFileMoved: yes('pupilFileMoved') } : {}),
      };
      checks = [
        ['found', text(form, 'found') ? null : 'Enter what the check found'],
        [
          'pupilFileMoved',
          check !== 'education_setting' || yes('pupilFileMoved') !== null
            ? null
            : 'Select whether the pupil file has moved',
        ],
      ];
    } else if (page === 'alert') {
      path = '/national-alert';
      const raised = yes('raised');
      body = raised ? { raised, reference: text(form, 'reference') } : { raised: false, reason: text(form, 'reason') };
      checks = [
        ['raised', raised === null ? 'Select whether a national alert has been raised' : null],
        ['reference', raised !== true || text(form, 'reference') ? null : 'Enter the national alert’s reference'],
        ['reason', raised !== false || text(form, 'reason') ? null : 'Enter why no national alert is raised'],
      ];
    } else {
      path = '/family-found';
      body = { on, how: text(form, 'how') };
      checks = [
        ['on-day', on ? null : 'Enter the date the family was found, like 27 11 2026'],
        ['how', text(form, 'how') ? null : 'Enter how the family was found, and where they are'],
      ];
    }
    const errors = fieldErrors(checks);
    if (errors.errorList.length) return this.routePage(request, reply, t, page, check, form, errors);
    try {
      await this.write(request, t, form, path, body);
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 403, 409, 422].includes(error.status)) throw error;
      const fallback = { report: 'on-day', check: 'found', alert: 'raised', found: 'on-day' }[page];
      return this.routePage(request, reply, t, page, check, form, apiFormErrors(error, routeField, fallback));
    }
    const done = { report: 'not-reached', check: 'locate-check', alert: 'national-alert', found: 'family-found' }[page];
    return reply.status(303).redirect(`/transfers/${id}?done=${done}#family-not-reached`);
  }

  private routePage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    page: RoutePage,
    check: string | null,
    form: Form,
    errors: FormErrors,
  ) {
    const titles = {
      report: 'Report the family not reached',
      check: LOCATE_CHECK_TEXT[check ?? ''] ?? 'Locate check',
      alert: 'The national alert decision',
      found: 'Record the family found',
    };
    const actions = {
      report: `/transfers/${t.id}/not-reached`,
      check: `/transfers/${t.id}/locate-checks/${check}`,
      alert: `/transfers/${t.id}/national-alert`,
      found: `/transfers/${t.id}/family-found`,
    };
    return this.views.page(request, reply, 'not-reached', {
      title: titles[page],
      ...this.common(t),
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      page,
      check,
      action: actions[page],
      form,
      errors,
    });
  }

  @Get(':id/return')
  async returnForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.reasonForm(request, reply, id, 'return');
  }

  @Post(':id/return')
  async returnTransfer(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.reasonPost(request, reply, id, 'return');
  }

  @Get(':id/cancel')
  async cancelForm(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.reasonForm(request, reply, id, 'cancel');
  }

  @Post(':id/cancel')
  async cancel(@Req() request: WebRequest, @Res() reply: WebReply, @TransferId() id: string) {
    return this.reasonPost(request, reply, id, 'cancel');
  }

  private async reasonForm(request: WebRequest, reply: WebReply, id: string, action: 'return' | 'cancel') {
    const t = await this.transfer(request, id);
    if (!actionOf(t, action).allowed) return this.notAllowed(reply, t);
    return this.reasonPage(request, reply, t, action, {}, NO_ERRORS);
  }

  private async reasonPost(request: WebRequest, reply: WebReply, id: string, action: 'return' | 'cancel') {
    const form = (request.body ?? {}) as Form;
    const t = await this.transfer(request, id);
    if (!actionOf(t, action).allowed) return this.notAllowed(reply, t);
    const errors = fieldErrors([
      [
        'reason',
        text(form, 'reason')
          ? null
          : `Enter why you are ${action === 'return' ? 'returning' : 'cancelling'} the transfer`,
      ],
    ]);
    if (errors.errorList.length) return this.reasonPage(request, reply, t, action, form, errors);
    try {
      await this.write(request, t, form, `/${action}`, { reason: text(form, 'reason') });
    } catch (error) {
      if (!(error instanceof ApiFailure) || ![400, 422].includes(error.status)) throw error;
      return this.reasonPage(
        request,
        reply,
        t,
        action,
        form,
        apiFormErrors(error, () => 'reason', 'reason'),
      );
    }
    return reply.status(303).redirect(`/transfers/${id}?done=${action === 'return' ? 'returned' : 'cancelled'}`);
  }

  private reasonPage(
    request: WebRequest,
    reply: WebReply,
    t: Transfer,
    action: 'return' | 'cancel',
    form: Form,
    errors: FormErrors,
  ) {
    return this.views.page(request, reply, 'reason', {
      title: action === 'return' ? 'Return the transfer' : 'Cancel the transfer',
      ...this.common(t),
      idempotencyKey: text(form, 'idempotencyKey') || randomUUID(),
      action,
      reason: text(form, 'reason'),
      errors,
    });
  }
}

import type { Practitioner } from '../common/web-request.js';
import { formatDate, formatDateTime, humanise } from '../view.service.js';
import type { ChaseItem } from '../pages/your-work.js';
import { actionOf, addressLine, sortedFlags } from './transfer.types.js';
import type { AvailableAction, RiskFlag, Transfer } from './transfer.types.js';

interface AuditEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  action: string;
  outcome: string;
}

/** What each of the API's commands is called on a button, and where its page is. */
export const ACTIONS: Record<
  string,
  { text: string; path: (t: Transfer, flagCode?: string) => string; secondary?: boolean; warning?: boolean }
> = {
  recordContact: { text: 'Record the conversation', path: (t) => `/transfers/${t.id}/conversation` },
  confirmContact: { text: 'Check back the conversation', path: (t) => `/transfers/${t.id}/check-back` },
  acknowledgeFlag: { text: 'Give safeguarding advice', path: (t) => `/transfers/${t.id}/advice` },
  accept: { text: 'Accept the transfer', path: (t) => `/transfers/${t.id}/accept` },
  recordConference: { text: 'Record the conference', path: (t) => `/transfers/${t.id}/conference` },
  confirmConference: {
    text: 'Confirm the written outcome',
    path: (t) => `/transfers/${t.id}/conference/confirm`,
  },
  acknowledgeNotification: {
    text: 'Acknowledge the notification',
    path: (t) => `/transfers/${t.id}/acknowledge-notification`,
  },
  return: { text: 'Return the transfer', path: (t) => `/transfers/${t.id}/return`, secondary: true },
  cancel: { text: 'Cancel the transfer', path: (t) => `/transfers/${t.id}/cancel`, warning: true },
};

const DONE: Record<string, string> = {
  contact: 'The conversation has been recorded. The sending practitioner has been asked to check it back.',
  'check-back-agreed': 'You agreed the record of the conversation.',
  'check-back-disputed': 'You said the record was not right. The receiving team has been asked to speak to you again.',
  advice: 'Your safeguarding advice has been recorded.',
  accepted: 'The transfer has been accepted.',
  'accepted-in':
    'The transfer-in has been accepted. The sending practitioner stays accountable until the conference’s written outcome is confirmed.',
  'conference-recorded':
    'The conference has been recorded. The sending team has been asked to confirm it has the written outcome.',
  'conference-confirmed': 'You confirmed the written outcome. The receiving lead is now accountable.',
  'notification-acknowledged':
    'You acknowledged the host notification and named your contact. The sending team stays responsible.',
  'move-review': 'Your answer to the move review has been recorded.',
  'not-reached': 'You reported the family not reached. Both areas’ safeguarding leads have been told.',
  'locate-check': 'What the check found has been recorded.',
  'national-alert': 'The national alert decision has been recorded.',
  'family-found': 'You recorded the family found.',
  'appointment-outcome': 'The appointment’s outcome has been recorded.',
  'child-seen': 'You recorded the child as seen.',
  returned: 'The transfer has been returned to the sending team.',
  cancelled: 'The transfer has been cancelled.',
};

const AUDIT_TEXT: Record<string, string> = {
  'transfer.create': 'Transfer started',
  'transfer.update': 'Transfer details changed',
  'transfer.initiate': 'Transfer sent to the receiving team',
  'transfer.record_contact': 'Conversation recorded',
  'transfer.record_child_seen': 'Child recorded as seen',
  'transfer.confirm_contact': 'Conversation checked back',
  'transfer.acknowledge_flag': 'Safeguarding advice given',
  'transfer.accept': 'Transfer accepted',
  'transfer.record_conference': 'Transfer-in conference recorded',
  'transfer.confirm_conference': 'Written outcome of the conference confirmed',
  'transfer.acknowledge_notification': 'Host notification acknowledged',
  'transfer.return': 'Transfer returned',
  'transfer.cancel': 'Transfer cancelled',
  'transfer.reassign': 'Accountable practitioner changed',
  'transfer.close': 'Transfer closed',
};

const HOST_GROUNDS: Record<string, string> = {
  looked_after: 'a looked-after child',
  statutory_order: 'a child subject to a statutory order',
  short_temporary_stay: 'a short temporary stay the sending team chose to record so',
};

const METHOD_TEXT: Record<string, string> = {
  phone: 'Phone call',
  video: 'Video call',
  in_person: 'In person',
  meeting: 'Meeting',
};

/** Working days are the API's business; the page says the deadline as a date and whether it has passed. */
function contactDue(t: Transfer): string | null {
  if (!t.contactDueAt || !['awaiting_contact', 'contact_recorded', 'contact_confirmed'].includes(t.status)) return null;
  return `${t.overdue ? 'Overdue: was due' : 'Due'} by ${formatDateTime(t.contactDueAt)}`;
}

/** The transfer-in conference's outcomes (API: plan_continues | plan_not_continued). */
export const OUTCOME_TEXT: Record<string, string> = {
  plan_continues: 'The child protection plan continues',
  plan_not_continued: 'The child protection plan does not continue',
};

/**
 * Child protection (issue 13 item 1): who stays accountable and who runs the plan until the
 * transfer-in conference's written outcome is confirmed, when the conference is due, and what was
 * recorded. Null for any other transfer.
 */
export function conferenceOf(t: Transfer) {
  const c = t.conference;
  if (!c) return null;
  const sendingArea = humanise(t.sending.area);
  return {
    interim:
      t.status === 'awaiting_conference' && t.interimLead
        ? `${t.accountablePractitioner.name} stays accountable until the transfer-in conference’s written outcome is confirmed; ` +
          `${t.interimLead.name} (${humanise(t.receiving.area)}) runs the plan on ${sendingArea}’s behalf as interim lead.`
        : null,
    due: c.dueAt && !c.heldOn ? `${c.overdue ? 'Overdue: was due' : 'Due'} by ${formatDateTime(c.dueAt)}` : null,
    overdue: c.overdue,
    heldOn: c.heldOn,
    outcomeText: c.outcome ? (OUTCOME_TEXT[c.outcome] ?? humanise(c.outcome)) : null,
    chair: c.chair,
    notes: c.notes,
    writtenOutcome: c.writtenOutcome,
  };
}

/** Every lead's advice on a flag, oldest first, with who gave it. */
export function adviceOf(f: RiskFlag, nameOf: (id: string) => string) {
  return (f.safeguardingAcknowledgements ?? []).map((a) => ({
    ...a,
    by: a.acknowledgedByName ?? nameOf(a.acknowledgedById),
    actions: (a.actions ?? []).map((x) => ({ ...x, itemText: PROTOCOL_ITEM_WORDS[x.item] ?? humanise(x.item) })),
  }));
}

/** The bruising protocol's items (issue 14 item 4), as the console names them. */
export const PROTOCOL_ITEM_WORDS: Record<string, string> = {
  health_assessment: 'The health assessment',
  referral: 'The referral to children’s social care or MASH',
  multi_agency_discussion: 'The multi-agency discussion',
  parents_explanation: 'The parents’ explanation',
};

type AdviceForm = Record<string, string | string[] | undefined>;
const field = (form: AdviceForm, name: string) => {
  const v = form[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};

/** The advice form's field for what was done about one missing item of a flag. */
export const protocolActionField = (code: string, item: string) => `action-${code}-${item}`;

/**
 * A lead's advice on a flag whose bruising protocol is incomplete must say what was done about each
 * missing item (issue 14 item 4): the form's per-item answers → the API's `actions`, and a check for
 * each one left blank (only when advice on that flag is being given).
 */
export function protocolActionsOf(form: AdviceForm, flag: Pick<RiskFlag, 'code' | 'missing'>) {
  const missing = flag.missing ?? [];
  const actions = missing
    .map((item) => ({ item, action: field(form, protocolActionField(flag.code, item)) }))
    .filter((a) => a.action);
  const checks: [string, string | null][] = missing.map((item) => [
    protocolActionField(flag.code, item),
    field(form, protocolActionField(flag.code, item))
      ? null
      : `Say what was done about ${(PROTOCOL_ITEM_WORDS[item] ?? humanise(item)).replace(/^The /, 'the ')}`,
  ]);
  return { actions, checks };
}

/** The view model of `/transfers/:id`. */
export function transferPage(
  t: Transfer,
  chaseItems: ChaseItem[],
  audit: unknown[] | null,
  people: Practitioner[],
  done: string | null,
  /** The signed-in practitioner: a receiving practitioner or manager is offered "Record as seen". */
  me?: Practitioner,
) {
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.name ?? 'Someone';
  const member = new Map(t.household.map((m) => [m.id, m]));
  const memberName = (id: string) => {
    const m = member.get(id);
    return m ? `${m.givenName} ${m.familyName}` : '';
  };
  const flags = sortedFlags(t.riskFlags).map((f) => ({
    ...f,
    title: humanise(f.code),
    members: f.memberIds.map(memberName).filter(Boolean).join(', '),
    advice: adviceOf(f, nameOf),
  }));
  const actions = Object.entries(ACTIONS).flatMap(([name, meta]) => {
    const entries: AvailableAction[] =
      name === 'acknowledgeFlag'
        ? (t.availableActions ?? []).filter((a) => a.action === 'acknowledgeFlag')
        : t.availableActions?.some((a) => a.action === name)
          ? [actionOf(t, name)]
          : [];
    if (name === 'acknowledgeFlag') {
      const allowed = entries.filter((e) => e.allowed);
      return allowed.length ? [{ name, ...meta, href: meta.path(t), allowed: true, reasons: [] }] : [];
    }
    return entries.map((e) => ({ name, ...meta, href: meta.path(t), allowed: e.allowed, reasons: e.reasons ?? [] }));
  });
  const contact = t.directContact
    ? {
        ...t.directContact,
        methodText: METHOD_TEXT[t.directContact.method] ?? humanise(t.directContact.method),
        flags: t.directContact.flagAcknowledgements.map((a) => ({ ...a, title: humanise(a.code) })),
      }
    : null;
  const timeline = (audit as AuditEvent[] | null)
    ?.filter((e) => AUDIT_TEXT[e.action] && e.outcome === 'succeeded')
    .reverse()
    .map((e) => ({
      label: { text: AUDIT_TEXT[e.action] },
      byline: { text: nameOf(e.actorId) },
      datetime: { timestamp: e.occurredAt, type: 'datetime' },
    }));
  const children = t.household.filter((m) => m.role === 'child');
  const adults = t.household.filter((m) => m.role !== 'child');
  return {
    t,
    flags,
    criticalFlags: flags.filter((f) => f.severity === 'critical'),
    otherFlags: flags.filter((f) => f.severity !== 'critical'),
    actions,
    allowedActions: actions.filter((a) => a.allowed),
    blockedActions: actions.filter((a) => !a.allowed && a.reasons.length),
    contact,
    contactDue: contactDue(t),
    conference: conferenceOf(t),
    newAddress: addressLine(t.newAddress),
    sharing: sharingLines(t),
    notReached: notReachedView(t, me),
    children,
    adults,
    memberName,
    concerns: t.concerns.map((c) => ({ ...c, who: memberName(c.memberId) })),
    appointments: t.appointments.map((a) => ({ ...a, who: memberName(a.memberId) })),
    childrenSeen: childrenSeenRows(t, memberName, me),
    // An outcome is recorded while the transfer is in progress (the API decides who may).
    outcomesOpen: !['draft', 'cancelled', 'closed'].includes(t.status),
    chaseItems: chaseItems.map((c) => ({
      ...c,
      // No owner by name: a receiving-side item (a child to be seen) the receiving team holds.
      owner: c.ownerId === null ? t.receiving.teamName : nameOf(c.ownerId),
      kindText:
        c.memberId && c.kind === 'child_seen' ? `${humanise(c.kind)}: ${memberName(c.memberId)}` : humanise(c.kind),
      // A move review is answered on its own page (issue 13 item 3), by either team.
      answerHref: c.kind === 'move_review' && c.status === 'open' ? `/transfers/${t.id}/move-review/${c.id}` : null,
    })),
    hostNotification:
      t.kind === 'host_notification'
        ? {
            grounds: (t.hostNotificationGrounds ?? []).map((g) => HOST_GROUNDS[g] ?? humanise(g)).join('; '),
            contact: t.hostContact?.name ?? null,
          }
        : null,
    temporaryMove:
      t.moveType === 'temporary'
        ? [
            t.expectedUntil ? `Expected to end ${formatDate(t.expectedUntil)}` : null,
            t.reviewOn ? `Review on ${formatDate(t.reviewOn)}` : null,
            t.shortStayChoice
              ? `Short stay recorded as ${t.shortStayChoice.recordAs === 'host_notification' ? 'a host notification' : 'a transfer'}: ${t.shortStayChoice.reason}`
              : null,
          ]
            .filter(Boolean)
            .join('. ')
        : null,
    timeline,
    doneMessage: done ? (DONE[done] ?? null) : null,
    formatDate,
  };
}

const WHERE_SEEN: Record<string, string> = {
  home: 'at home',
  clinic: 'at a clinic',
  school: 'at school',
  other: 'elsewhere',
};

/**
 * Each child seen in the new area or not (issue 14 item 1): when, where, by whom and whether alone;
 * or how many working days since the move and by when they are due to be seen, overdue or not.
 * "Record as seen" is offered to the receiving team's practitioners and managers while the child's
 * item is open (the API decides; the link only spares others a page they would be refused).
 */
export function childrenSeenRows(t: Transfer, memberName: (id: string) => string, me?: Practitioner) {
  const mayRecord = !!me && me.teamId === t.receiving.teamId && (me.role === 'practitioner' || me.role === 'manager');
  const days = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;
  return (t.childrenSeen ?? []).map((c) => ({
    memberId: c.memberId,
    who: memberName(c.memberId),
    seen: c.seen,
    overdue: c.overdue,
    text: c.seen
      ? `Seen ${WHERE_SEEN[c.where ?? ''] ?? ''} on ${formatDate(c.seenOn!)} by ${c.seenBy?.name ?? 'someone in the team'}` +
        `, ${c.seenAlone ? 'seen alone' : 'not seen alone'} (${days(c.workingDaysSinceMove)} after the move).` +
        (c.note ? ` ${c.note}` : '')
      : c.itemStatus === 'closed'
        ? 'Closed by a manager as no longer needed.'
        : `Not yet seen: ${days(c.workingDaysSinceMove)} since the move` +
          (c.dueOn ? `; ${c.overdue ? 'was due' : 'due'} by ${formatDate(c.dueOn)}.` : '.'),
    recordHref: mayRecord && c.itemStatus === 'open' ? `/transfers/${t.id}/children/${c.memberId}/seen` : null,
  }));
}

/** The lawful basis for sharing and whether the family was told (issue 13 item 4), in words; null when not recorded. */
export function sharingLines(t: Transfer): { basis: string | null; informed: string | null } {
  const b = t.sharingBasis ?? null;
  const f = t.familyInformed ?? null;
  return {
    basis: !b
      ? null
      : b.basis === 'consent'
        ? `Consent, given by ${b.givenBy} on ${formatDate(b.givenOn)}`
        : `Without consent, to safeguard the child (approved by ${b.approvedBy?.name ?? 'a manager'}): ${b.rationale}`,
    informed: !f ? null : 'on' in f ? `Yes, on ${formatDate(f.on)}` : `No: ${f.notInformedReason}`,
  };
}

const ATTEMPT_WORDS: Record<string, string> = {
  home_visit_no_access: 'Home visit, no access',
  phone_no_answer: 'Phone call, no answer',
  not_at_address: 'Not at the address',
  letter_returned: 'Letter returned',
  other: 'Other',
};
export const LOCATE_CHECK_TEXT: Record<string, string> = {
  family_members: 'Known family members contacted',
  education_setting: 'Education setting asked (and whether the pupil file moved)',
  health_registration: 'GP, health visiting or MASH health checked for a new registration',
  police_welfare_check: 'Police asked for a concern-for-welfare check',
  strategy_discussion: 'Strategy discussion held',
};

/**
 * The family not reached (issue 14 item 2) for the transfer page: the route's attempts, its locate
 * checklist (each with "Record what was found" while open), the national alert (a lead records the
 * decision once due) and "Record the family found"; or, with no open route and the transfer in
 * progress, "Report the family not reached". The API decides who may; the links spare others a
 * page they would be refused (admins see no family data at all).
 */
export function notReachedView(t: Transfer, me?: Practitioner) {
  const inProgress = !['draft', 'cancelled', 'closed'].includes(t.status);
  const r = t.familyNotReached ?? null;
  const lead = me?.role === 'safeguarding_lead';
  const base = `/transfers/${t.id}`;
  return {
    reportHref: inProgress && !r?.open && me?.role !== 'admin' ? `${base}/not-reached` : null,
    route: r
      ? {
          open: r.open,
          attempts: r.attempts.map(
            (a) =>
              `${formatDate(a.on)}: ${ATTEMPT_WORDS[a.method] ?? humanise(a.method)}${a.note ? ` (${a.note})` : ''}`,
          ),
          checks: r.checklist.map((c) => ({
            text: LOCATE_CHECK_TEXT[c.check] ?? humanise(c.check),
            status: c.found ? 'Done' : r.open ? 'To do' : 'Not needed',
            found:
              (c.found ?? '') +
              (c.pupilFileMoved === null ? '' : c.pupilFileMoved ? ' Pupil file moved.' : ' Pupil file not moved.'),
            href: r.open && !c.found ? `${base}/locate-checks/${c.check}` : null,
          })),
          alert: r.nationalAlert.decision
            ? r.nationalAlert.decision.raised
              ? `Raised, reference ${r.nationalAlert.decision.reference}`
              : `Not raised: ${r.nationalAlert.decision.reason}`
            : r.open
              ? `${r.nationalAlert.due ? 'Decision due now' : 'Decision due'} by ${formatDateTime(r.nationalAlert.dueAt)} if the family is not found`
              : 'Not needed: the family was found',
          alertHref:
            r.open && lead && r.nationalAlert.due && !r.nationalAlert.decision ? `${base}/national-alert` : null,
          found: r.found ? `${formatDate(r.found.on)}: ${r.found.how}` : null,
          foundHref: r.open && me?.role !== 'admin' ? `${base}/family-found` : null,
        }
      : null,
  };
}

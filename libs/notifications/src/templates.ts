import type { ChaseKind, NotifyMessage, RiskFlagCode } from '@fh/domain';

/**
 * What each email says. Emails carry NO personal data: no names, dates of birth, NHS numbers or
 * addresses — in subject, body or headers. Only the transfer reference, the teams and areas
 * involved, what happened, what is needed, by when, and a link to the service.
 */
export interface EmailFacts {
  reference: string;
  link: string;
  sendingTeam: string;
  sendingArea: string;
  receivingTeam: string;
  receivingArea: string;
  /** When direct contact is due (for messages that ask for it). */
  contactDueAt: Date | null;
  flagCodes?: readonly RiskFlagCode[];
}

/**
 * Where emails send people: pages of the console (WEB_BASE_URL), never the API. Ids only, so a link
 * says nothing about the family; the page asks the reader to sign in and shows it only if they may see it.
 */
export const consoleLinks = {
  transfer: (webBaseUrl: string, transferId: string) => `${webBaseUrl}/transfers/${encodeURIComponent(transferId)}`,
  chaseItem: (webBaseUrl: string, transferId: string, chaseItemId: string) =>
    `${consoleLinks.transfer(webBaseUrl, transferId)}#chase-${encodeURIComponent(chaseItemId)}`,
  monitoring: (webBaseUrl: string) => `${webBaseUrl}/monitoring`,
};

export interface ComposedEmail {
  subject: string;
  text: string;
}

/** A chase reminder about one loose end (no personal data either). */
export type ReminderKind = ChaseKind;

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function londonDeadline(at: Date | null): string {
  return at ? LONDON.format(at) : 'as soon as possible';
}

const footer = (facts: EmailFacts) =>
  [
    '',
    `Open the transfer: ${facts.link}`,
    '',
    'This message holds no details about the family on purpose. Sign in to the service to see them.',
    'Family Handover — transfer of responsibility between areas',
  ].join('\n');

/** How many critical flags, never which: the kind of concern is about the family, so only the service shows it. */
function flagCount(codes: readonly RiskFlagCode[] = []): string {
  return codes.length === 1 ? '1 critical flag' : `${codes.length} critical flags`;
}

const MESSAGES: Record<NotifyMessage, (f: EmailFacts) => { subject: string; lines: string[] }> = {
  'transfer.initiated': (f) => ({
    subject: `${f.reference}: a family has moved into your area — direct contact needed by ${londonDeadline(f.contactDueAt)}`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) has started a transfer of responsibility to ${f.receivingTeam} (${f.receivingArea}).`,
      '',
      'What is needed: read the handover packet, then speak directly with the sending practitioner (phone, video, in person or a meeting),',
      'acknowledge every risk flag with what you understood of it, and record the conversation in the service.',
      `By when: ${londonDeadline(f.contactDueAt)}.`,
      'Until you accept, the sending practitioner stays accountable for the children.',
    ],
  }),
  'notification.initiated': (f) => ({
    subject: `${f.reference}: a host notification — a child has moved into your area; direct contact needed by ${londonDeadline(f.contactDueAt)}`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) is notifying ${f.receivingTeam} (${f.receivingArea}) that a child it remains responsible for now lives in your area.`,
      '',
      'What is needed: read the handover packet, then speak directly with the sending practitioner (phone, video, in person or a meeting),',
      'acknowledge every risk flag with what you understood of it, record the conversation, and once it is checked back acknowledge the notification naming your contact.',
      `By when: ${londonDeadline(f.contactDueAt)}.`,
      'This is not a transfer of responsibility: the sending practitioner stays accountable for the child throughout.',
    ],
  }),
  'notification.acknowledged': (f) => ({
    subject: `${f.reference}: host notification acknowledged by ${f.receivingTeam}`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has acknowledged the host notification and named its contact (shown in the service).`,
      '',
      'What is needed: you remain accountable. GP registration, appointments and agreed actions keep being chased to you until closed with evidence.',
    ],
  }),
  'appointment.missed_on_plan': (f) => ({
    subject: `${f.reference}: a child on a child protection plan was not seen at an appointment — safeguarding lead review needed now`,
    lines: [
      `A child on a child protection plan, in a transfer from ${f.sendingTeam} (${f.sendingArea}) to ${f.receivingTeam} (${f.receivingArea}),`,
      'was not brought to an appointment or was not found at home for a visit. Which child and which appointment is shown only in the service.',
      '',
      'What is needed: a safeguarding lead of either area reviews the transfer now and agrees with the teams what happens next.',
      'The appointment stays open and is chased until the child is seen.',
      'By when: now.',
    ],
  }),
  // The family not reached (issue 14 item 2): who, where and how is shown only in the service.
  family_not_reached: (f) => ({
    subject: `${f.reference}: the family has not been reached — safeguarding lead review needed now`,
    lines: [
      `In a transfer from ${f.sendingTeam} (${f.sendingArea}) to ${f.receivingTeam} (${f.receivingArea}), the family could not be reached.`,
      'The attempts made are shown only in the service.',
      '',
      'What is needed: a safeguarding lead of either area reviews the transfer now. The locate checks (family, education setting,',
      'health registration, police welfare check, strategy discussion) are chased until each is closed with what was found.',
      'If the family is not found in time, a safeguarding lead records the decision on a national alert.',
      'The transfer cannot be accepted until the family is found.',
      'By when: now.',
    ],
  }),
  national_alert_due: (f) => ({
    subject: `${f.reference}: family not reached — national alert decision needed now`,
    lines: [
      `The family in a transfer from ${f.sendingTeam} (${f.sendingArea}) to ${f.receivingTeam} (${f.receivingArea}) has not been found,`,
      'and the children are on a child protection plan.',
      '',
      'What is needed: a safeguarding lead of either area records the decision on a national alert — raised, with its reference,',
      'or not, with the reason.',
      'By when: now.',
    ],
  }),
  family_found: (f) => ({
    subject: `${f.reference}: the family has been found`,
    lines: [
      `The family in a transfer from ${f.sendingTeam} (${f.sendingArea}) to ${f.receivingTeam} (${f.receivingArea}) has been found.`,
      'When and how is shown only in the service; the record of the attempts and checks stays with the transfer.',
      '',
      'What is needed: carry on with the transfer. The locate checks still open are closed as no longer needed.',
    ],
  }),
  critical_flags: (f) => ({
    subject: `${f.reference}: critical safeguarding flags — safeguarding lead advice needed now`,
    lines: [
      `A transfer from ${f.sendingTeam} (${f.sendingArea}) to ${f.receivingTeam} (${f.receivingArea}) carries ${flagCount(f.flagCodes)}.`,
      'What each flag is about is shown only in the service, to those who may see the transfer.',
      '',
      'What is needed: a safeguarding lead of either area reviews the transfer and records their advice against each critical flag.',
      'The receiving team cannot accept the transfer, or acknowledge a host notification, until this is done.',
      'By when: now.',
    ],
  }),
  'contact.check_back': (f) => ({
    subject: `${f.reference}: please check the record of your conversation with ${f.receivingTeam}`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has recorded the direct conversation they had with you about this transfer.`,
      '',
      'What is needed: read their record and agree it, or dispute it with a comment saying what is wrong.',
      'Information shared is only safe once both sides agree what it means.',
      'By when: within one working day.',
    ],
  }),
  'contact.confirmed': (f) => ({
    subject: `${f.reference}: the sending side agreed your record of the conversation`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) has checked back and agreed your record of the direct conversation.`,
      '',
      'What is needed: accept the transfer and name the lead practitioner. Critical flags need a safeguarding lead’s acknowledgement first.',
      'Agreed actions are now being followed up with their owners.',
    ],
  }),
  'notification.contact_confirmed': (f) => ({
    subject: `${f.reference}: the sending side agreed your record of the conversation — acknowledge the host notification`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) has checked back and agreed your record of the direct conversation.`,
      '',
      'What is needed: acknowledge the host notification, naming your contact for the child. Critical flags need a safeguarding lead’s acknowledgement first.',
      'This is not a transfer of responsibility: the sending practitioner stays accountable for the child.',
      'Agreed actions are now being followed up with their owners.',
    ],
  }),
  'contact.disputed': (f) => ({
    subject: `${f.reference}: the sending side disputed your record — speak again`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) did not agree your record of the direct conversation. Their comment is in the service.`,
      '',
      'What is needed: speak with them again and record the conversation afresh.',
      `By when: ${londonDeadline(f.contactDueAt)} (the original deadline).`,
    ],
  }),
  'transfer.accepted': (f) => ({
    subject: `${f.reference}: accepted by ${f.receivingTeam}`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has accepted responsibility. A named lead practitioner there is now accountable for the children.`,
      '',
      'What is needed: complete any agreed actions that are yours. Open loose ends keep being chased until closed with evidence.',
    ],
  }),
  'transfer.accepted_in': (f) => ({
    subject: `${f.reference}: transfer-in accepted by ${f.receivingTeam} — child protection conference to follow`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has accepted the transfer-in. A named lead practitioner there is now the interim lead,`,
      'running the child protection plan on the sending area’s behalf. Open loose ends are now chased to them.',
      '',
      `Responsibility has NOT passed yet: ${f.sendingTeam} (${f.sendingArea}) stays accountable until the receiving area holds its`,
      'transfer-in child protection conference and the sending side confirms in the service that it has the written outcome.',
    ],
  }),
  'conference.recorded': (f) => ({
    subject: `${f.reference}: transfer-in conference held by ${f.receivingTeam} — confirm the written outcome`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has recorded its transfer-in child protection conference. The outcome is in the service.`,
      '',
      'What is needed: once you have the written outcome of the conference, confirm it in the service with the date you received it.',
      'You stay accountable for the children until you do; then the receiving lead practitioner is.',
    ],
  }),
  'transfer.returned': (f) => ({
    subject: `${f.reference}: returned by ${f.receivingTeam} — action needed`,
    lines: [
      `${f.receivingTeam} (${f.receivingArea}) has returned the transfer. Their reason is in the service.`,
      '',
      'What is needed: you remain accountable. Update the transfer and initiate it again, or cancel it with a reason.',
    ],
  }),
  'transfer.cancelled': (f) => ({
    subject: `${f.reference}: cancelled by the sending team`,
    lines: [
      `${f.sendingTeam} (${f.sendingArea}) has cancelled this transfer; their reason is in the service.`,
      '',
      'What is needed: nothing further from you for this transfer.',
    ],
  }),
  'transfer.reassigned': (f) => ({
    subject: `${f.reference}: you are now the accountable practitioner`,
    lines: [
      'A manager has made you the accountable practitioner for this transfer.',
      '',
      'What is needed: review the transfer and its open loose ends.',
    ],
  }),
};

export function composeNotification(message: NotifyMessage, facts: EmailFacts): ComposedEmail {
  const { subject, lines } = MESSAGES[message](facts);
  return { subject: `[Family Handover] ${subject}`, text: [...lines, footer(facts)].join('\n') };
}

const REMINDER_NEED: Record<ReminderKind, string> = {
  gp_registration:
    'a child in this family is not yet registered with a GP. Record the registration (practice ODS code, name and date) once it is done.',
  appointment:
    'an appointment has no recorded outcome. Record whether the child attended or was not brought, with a rebooked date if not.',
  agreed_action: 'an action agreed in the direct conversation is due. Record its completion.',
  transfer_in_conference: 'the transfer-in child protection conference is due. Record the date it was held.',
  direct_contact:
    'direct contact between the teams has not been recorded and checked back yet. Speak, record the conversation, and check it back.',
  locate_family_members: 'the family has not been reached. Contact the known family members and record what was found.',
  locate_education_setting:
    'the family has not been reached. Check with the education setting, and whether the pupil file moved; record what was found.',
  locate_health_registration:
    'the family has not been reached. Check GP, health visiting or MASH health for a new registration; record what was found.',
  locate_police_welfare_check:
    'the family has not been reached. Ask the police for a concern-for-welfare check; record what was found.',
  locate_strategy_discussion: 'the family has not been reached. Hold a strategy discussion; record what was found.',
  national_alert:
    'the family has not been found. A safeguarding lead records the decision on a national alert: raised, with its reference, or not, with the reason.',
  move_review:
    'this temporary move has reached its review. Is the move now permanent? Record the answer: still temporary (with the next review date) or now permanent.',
  child_seen:
    'a child in this family has not yet been seen in the receiving area and is due to be. See the child and record when, where, by whom and whether they were seen alone.',
};

const LEVEL_WORDS = [
  'Reminder',
  'Escalation to the team manager',
  'Escalation to the safeguarding leads of both areas',
];

export function composeReminder(
  kind: ReminderKind,
  reminderNumber: number,
  escalationLevel: number,
  facts: EmailFacts,
): ComposedEmail {
  const level = LEVEL_WORDS[Math.min(Math.max(escalationLevel, 0), 2)];
  return {
    subject: `[Family Handover] ${facts.reference}: ${level.toLowerCase()} (${reminderNumber}) — ${kind.replace(/_/g, ' ')} still open`,
    text: [
      `${level}, number ${reminderNumber}, about transfer ${facts.reference} (${facts.sendingTeam}, ${facts.sendingArea} → ${facts.receivingTeam}, ${facts.receivingArea}).`,
      '',
      `What is needed: ${REMINDER_NEED[kind]}`,
      'It will keep being chased, on working days, until it is closed with evidence.',
      footer(facts),
    ].join('\n'),
  };
}

/** One line of a digest: a transfer's reference and whether its contact is overdue. */
export interface DigestEntry {
  reference: string;
  overdue: boolean;
  contactDueAt: Date;
}

/**
 * The working-day digest: how many transfers await direct contact, how many are overdue, and
 * their references — counts and references only.
 */
export function composeDigest(
  scope: string,
  date: string,
  entries: readonly DigestEntry[],
  link: string,
): ComposedEmail {
  const overdue = entries.filter((e) => e.overdue);
  const lines = [...entries]
    .sort((a, b) => a.contactDueAt.getTime() - b.contactDueAt.getTime())
    .map((e) => `  • ${e.reference} — contact due ${londonDeadline(e.contactDueAt)}${e.overdue ? ' — OVERDUE' : ''}`);
  return {
    subject: `[Family Handover] Daily digest ${date} for ${scope}: ${entries.length} awaiting contact, ${overdue.length} overdue`,
    text: [
      `Transfers for ${scope} not yet confirmed by a direct conversation, as of this morning:`,
      '',
      `Awaiting contact: ${entries.length}`,
      `Overdue: ${overdue.length}`,
      '',
      ...(lines.length ? lines : ['  (none)']),
      '',
      `See them all, most overdue first: ${link}`,
      '',
      'This message holds no details about any family on purpose. Sign in to the service to see them.',
      'Family Handover — transfer of responsibility between areas',
    ].join('\n'),
  };
}

/**
 * Transfer requests (issue 14 item 3): what an email about one may name — its reference, the two
 * teams and areas, when the answer is due and a link to the request's page. Never a child's name,
 * date of birth or NHS number, how the family is known, the concern or a decline's reason.
 */
export interface RequestEmailFacts {
  reference: string;
  requesterTeam: string;
  requesterArea: string;
  originatingTeam: string;
  originatingArea: string;
  dueAt: Date;
  link: string;
}

export type RequestMessage = 'request.opened' | 'request.will_transfer' | 'request.declined';

export const requestLink = (webBaseUrl: string, requestId: string) =>
  `${webBaseUrl}/transfer-requests/${encodeURIComponent(requestId)}`;

const requestFooter = (f: RequestEmailFacts) =>
  [
    '',
    `Open the request: ${f.link}`,
    '',
    'This message holds no details about the family on purpose. Sign in to the service to see them.',
    'Family Handover — transfer of responsibility between areas',
  ].join('\n');

const between = (f: RequestEmailFacts) =>
  `${f.requesterTeam}, ${f.requesterArea} → ${f.originatingTeam}, ${f.originatingArea}`;

const REQUEST_MESSAGES: Record<RequestMessage, (f: RequestEmailFacts) => { subject: string; lines: string[] }> = {
  'request.opened': (f) => ({
    subject: `${f.reference}: transfer request — answer by ${londonDeadline(f.dueAt)}`,
    lines: [
      `${f.requesterTeam} (${f.requesterArea}) has found a family it believes your area knows, living in ${f.requesterArea} now, and asks ${f.originatingTeam} to transfer it (${between(f)}).`,
      '',
      `What is needed: answer the request — will transfer (a draft transfer is made for you to complete) or declined, with the reason — by ${londonDeadline(f.dueAt)}.`,
    ],
  }),
  'request.will_transfer': (f) => ({
    subject: `${f.reference}: transfer request answered — will transfer`,
    lines: [
      `${f.originatingTeam} (${f.originatingArea}) will transfer the family you asked about (${between(f)}).`,
      '',
      'What is next: the originating team completes the draft transfer and initiates it; you will be told when it arrives.',
    ],
  }),
  'request.declined': (f) => ({
    subject: `${f.reference}: transfer request declined`,
    lines: [
      `${f.originatingTeam} (${f.originatingArea}) has declined the transfer request (${between(f)}).`,
      '',
      'What is needed: read the reason in the service and decide, with your safeguarding lead, what happens next for the children.',
    ],
  }),
};

export function composeRequestEmail(message: RequestMessage, facts: RequestEmailFacts): ComposedEmail {
  const { subject, lines } = REQUEST_MESSAGES[message](facts);
  return { subject: `[Family Handover] ${subject}`, text: [...lines, requestFooter(facts)].join('\n') };
}

/** A reminder about an unanswered request, on the chasing ladder's levels. */
export function composeRequestReminder(
  reminderNumber: number,
  escalationLevel: number,
  facts: RequestEmailFacts,
): ComposedEmail {
  const level = LEVEL_WORDS[Math.min(Math.max(escalationLevel, 0), 2)];
  return {
    subject: `[Family Handover] ${facts.reference}: ${level.toLowerCase()} (${reminderNumber}) — transfer request not answered`,
    text: [
      `${level}, number ${reminderNumber}, about transfer request ${facts.reference} (${between(facts)}).`,
      '',
      `What is needed: the answer was due ${londonDeadline(facts.dueAt)}. Answer the request: will transfer, or declined with the reason.`,
      'It will keep being chased, on working days, until it is answered.',
      requestFooter(facts),
    ].join('\n'),
  };
}

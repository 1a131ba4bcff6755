import { formatDate } from '../view.service.js';
import { agencyRows, dateParts, isChild, memberName, wordFor } from './draft.js';
import type { Draft, FormBody, MemberInput } from './draft.js';
import { sharingLines } from '../transfers/transfer.page.js';
import { addressLine } from '../transfers/transfer.types.js';

/**
 * What the task list's forms show: the draft's values, or — after a refusal — exactly what was
 * posted, so nothing typed is lost. Values are keyed by the form fields' ids.
 */
type Values = Record<string, string | string[]>;

const text = (body: FormBody, key: string) => {
  const v = body[key];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
};
const yesNo = (value: boolean | null | undefined) => (value === true ? 'yes' : value === false ? 'no' : '');
const asList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

function withDate(values: Values, body: FormBody | null, id: string, stored: string | null | undefined) {
  const parts = dateParts(body, id, stored);
  values[`${id}-day`] = parts.day;
  values[`${id}-month`] = parts.month;
  values[`${id}-year`] = parts.year;
}

export function moveValues(draft: Draft | null, body: FormBody | null): Values {
  const values: Values = body
    ? Object.fromEntries(Object.keys(body).map((k) => [k, text(body, k)]))
    : {
        moveType: draft?.moveType ?? '',
        involvement: draft?.involvement ?? '',
        reason: draft?.reason ?? '',
        previousAddressArea: draft?.previousAddressArea ?? '',
        addressLine1: draft?.newAddress?.line1 ?? '',
        addressLine2: draft?.newAddress?.line2 ?? '',
        addressTown: draft?.newAddress?.town ?? '',
        addressPostcode: draft?.newAddress?.postcode ?? '',
        addressConfidential: draft?.newAddress?.confidential ? 'yes' : '',
        shortStayRecordAs: draft?.shortStayChoice?.recordAs ?? '',
        shortStayReason: draft?.shortStayChoice?.reason ?? '',
      };
  withDate(values, body, 'moveDate', draft?.moveDate);
  withDate(values, body, 'expectedUntil', draft?.expectedUntil);
  withDate(values, body, 'reviewOn', draft?.reviewOn);
  return values;
}

export function memberValues(member: MemberInput | null, body: FormBody | null): Values & { agencyRows: number } {
  const rows = agencyRows(member, body);
  const values: Values = body
    ? Object.fromEntries(Object.keys(body).map((k) => [k, k === 'riskFactors' ? asList(body[k]) : text(body, k)]))
    : {
        role: member?.role ?? '',
        givenName: member?.givenName ?? '',
        familyName: member?.familyName ?? '',
        sex: member?.sex ?? '',
        nhsNumber: member?.nhsNumber ?? '',
        livesInHousehold: member ? yesNo(member.livesInHousehold) : '',
        mobility: member?.mobility ?? '',
        notIndependentlyMobile: member?.notIndependentlyMobile ? 'yes' : '',
        statutoryOrder: member?.statutoryOrder ?? '',
        engaged: yesNo(member?.engaged),
        riskFactors: member?.riskFactors ?? [],
      };
  if (!body) {
    member?.involvements.forEach((inv, i) => {
      values[`agency${i}-agency`] = inv.agency;
      values[`agency${i}-area`] = inv.area ?? '';
      values[`agency${i}-detail`] = inv.detail ?? '';
    });
  }
  if (!values.riskFactors) values.riskFactors = [];
  withDate(values, body, 'dateOfBirth', member?.dateOfBirth);
  return Object.assign(values, { agencyRows: rows });
}

interface Row {
  index: number;
  values: Values;
  /** Shows "remove this" (a blank row added by "add another" has nothing to remove). */
  saved: boolean;
  /** A saved concern the bruising protocol applies to: what it still lacks, in words (issue 14 item 4). */
  protocolMissing?: string[];
}

/** The concern row's bruising protocol fields (issue 14 item 4). */
const PROTOCOL_TEXT_FIELDS = ['healthAssessmentBy', 'referralReference', 'discussionOutcome', 'parentsExplanation'];
const PROTOCOL_DATE_FIELDS = ['healthAssessmentOn', 'referralOn', 'discussionOn'];

/** The concerns form's rows: the draft's (or the posted ones), then `blank` empty rows. */
export function concernRows(draft: Draft, body: FormBody | null, blank: number): Row[] {
  const rows: Row[] = [];
  if (body) {
    const count = Number(text(body, 'rows')) || 0;
    for (let i = 0; i < count; i++) {
      const values: Values = {};
      for (const f of ['memberRef', 'type', 'description', 'adviceSought', ...PROTOCOL_TEXT_FIELDS])
        values[f] = text(body, `c${i}-${f}`);
      for (const date of ['observedOn', ...PROTOCOL_DATE_FIELDS])
        for (const part of ['day', 'month', 'year']) values[`${date}-${part}`] = text(body, `c${i}-${date}-${part}`);
      rows.push({ index: i, values, saved: true });
    }
  } else {
    draft.concerns.forEach((c, i) => {
      const values: Values = {
        memberRef: c.memberRef ?? '',
        type: c.type,
        description: c.description ?? '',
        adviceSought: yesNo(c.safeguardingAdviceSought),
        healthAssessmentBy: c.healthAssessment?.by ?? '',
        referralReference: c.referral?.reference ?? '',
        discussionOutcome: c.multiAgencyDiscussion?.outcome ?? '',
        parentsExplanation: c.parentsExplanation ?? '',
      };
      const dates: [string, string | null | undefined][] = [
        ['observedOn', c.observedOn],
        ['healthAssessmentOn', c.healthAssessment?.on],
        ['referralOn', c.referral?.on],
        ['discussionOn', c.multiAgencyDiscussion?.on],
      ];
      for (const [id, stored] of dates) {
        const parts = dateParts(null, '', stored);
        Object.assign(values, { [`${id}-day`]: parts.day, [`${id}-month`]: parts.month, [`${id}-year`]: parts.year });
      }
      rows.push({
        index: i,
        values,
        saved: true,
        ...(c.bruisingProtocol ? { protocolMissing: c.bruisingProtocol.missing.map(wordFor) } : {}),
      });
    });
  }
  for (let b = 0; b < blank; b++) rows.push({ index: rows.length, values: {}, saved: false });
  return rows.map((r, i) => ({ ...r, index: i }));
}

export function appointmentRows(draft: Draft, body: FormBody | null, blank: number): Row[] {
  const rows: Row[] = [];
  if (body) {
    const count = Number(text(body, 'rows')) || 0;
    for (let i = 0; i < count; i++) {
      const values: Values = {};
      for (const f of ['memberRef', 'kind', 'provider', 'status']) values[f] = text(body, `a${i}-${f}`);
      for (const part of ['day', 'month', 'year']) values[`dueOn-${part}`] = text(body, `a${i}-dueOn-${part}`);
      rows.push({ index: i, values, saved: true });
    }
  } else {
    draft.appointments.forEach((a, i) => {
      const parts = dateParts(null, '', a.dueOn);
      rows.push({
        index: i,
        saved: true,
        values: {
          memberRef: a.memberRef ?? '',
          kind: a.kind,
          provider: a.provider ?? '',
          status: a.status,
          'dueOn-day': parts.day,
          'dueOn-month': parts.month,
          'dueOn-year': parts.year,
        },
      });
    });
  }
  for (let b = 0; b < blank; b++) rows.push({ index: rows.length, values: {}, saved: false });
  return rows.map((r, i) => ({ ...r, index: i }));
}

interface SummaryRow {
  key: { text: string };
  value: { text?: string; html?: string };
  actions?: { items: { href: string; text: string; visuallyHiddenText: string }[] };
}

const row = (key: string, value: string, href?: string, hidden?: string): SummaryRow => ({
  key: { text: key },
  value: { text: value || 'Not given' },
  ...(href
    ? { actions: { items: [{ href, text: 'Change', visuallyHiddenText: (hidden ?? key).toLowerCase() }] } }
    : {}),
});

/** Check your answers: a summary card per section and one per person, each row with its Change link. */
export function checkAnswers(draft: Draft) {
  const base = `/transfers/new/${draft.id}`;
  const nameOfRef = new Map(draft.household.map((m) => [m.ref, memberName(m)]));
  const address =
    addressLine(draft.newAddress) +
    (draft.newAddress?.confidential && !draft.newAddress.withheld ? ' (confidential)' : '');
  const move: SummaryRow[] = [
    row('Receiving team', `${draft.receiving.teamName}, ${wordFor(draft.receiving.area)}`, `${base}/receiving-team`),
    row('Move date', formatDate(draft.moveDate), `${base}/move-details`),
    row('Move type', wordFor(draft.moveType), `${base}/move-details`),
    ...(draft.moveType === 'temporary'
      ? [
          row(
            'Temporary stay',
            [
              draft.expectedUntil ? `Expected to end ${formatDate(draft.expectedUntil)}` : null,
              draft.reviewOn ? `review on ${formatDate(draft.reviewOn)}` : null,
              draft.shortStayChoice
                ? `recorded as ${draft.shortStayChoice.recordAs === 'host_notification' ? 'a host notification' : 'a transfer'}: ${draft.shortStayChoice.reason}`
                : null,
            ]
              .filter(Boolean)
              .join('; ') || 'No end or review date given',
            `${base}/move-details`,
            'the temporary stay',
          ),
        ]
      : []),
    row('Involvement', wordFor(draft.involvement), `${base}/move-details`),
    row('Reason for the move', draft.reason ?? '', `${base}/move-details`),
    row('Previous area', draft.previousAddressArea ?? '', `${base}/move-details`),
    row('New address', address, `${base}/move-details`),
  ];
  const people = draft.household.map((m) => {
    const href = `${base}/household/${m.ref}`;
    const name = memberName(m);
    const rows: SummaryRow[] = [
      row('Who they are', wordFor(m.role) || 'Not given', href, `who ${name} is`),
      row('Date of birth', m.dateOfBirth ? formatDate(m.dateOfBirth) : 'Not known', href, `${name}'s date of birth`),
      row('Sex', wordFor(m.sex), href, `${name}'s sex`),
      row('NHS number', m.nhsNumber ?? 'Not recorded', href, `${name}'s NHS number`),
      row('Lives in the household', m.livesInHousehold ? 'Yes' : 'No', href, `whether ${name} lives in the household`),
    ];
    if (isChild(m)) {
      rows.push(row('Mobility', wordFor(m.mobility) || 'Not recorded', href, `${name}'s mobility`));
      const gp = m.gp?.status
        ? `${wordFor(m.gp.status)}${m.gp.practiceName || m.gp.practiceOds ? `: ${[m.gp.practiceName, m.gp.practiceOds].filter(Boolean).join(', ')}` : ''}`
        : 'Not recorded';
      rows.push(row('GP', gp, `${base}/children-gp`, `${name}'s GP`));
    } else {
      rows.push(
        row(
          'Seen and spoken with',
          m.engaged === true ? 'Yes' : m.engaged === false ? 'No' : 'Not recorded',
          href,
          `whether ${name} has been seen`,
        ),
      );
      rows.push(
        row('Risk factors', m.riskFactors.map(wordFor).join(', ') || 'None recorded', href, `${name}'s risk factors`),
      );
    }
    rows.push(
      row(
        'Other agencies involved',
        m.involvements
          .map((i) =>
            [i.agency, i.area ? `(${i.area})` : '', i.detail ? `– ${i.detail}` : ''].filter(Boolean).join(' '),
          )
          .join('; ') || 'None recorded',
        href,
        `other agencies involved with ${name}`,
      ),
    );
    return { title: `${name} – ${wordFor(m.role) || 'role not given'}`, rows, removeHref: `${href}/remove` };
  });
  const concerns = draft.concerns.map((c) =>
    row(
      `${wordFor(c.type)} – ${nameOfRef.get(c.memberRef ?? '') ?? ''}`,
      `${formatDate(c.observedOn)}${c.description ? `: ${c.description}` : ''}. Safeguarding advice ${c.safeguardingAdviceSought ? 'sought' : 'not sought'}.`,
      `${base}/concerns`,
      `concern: ${wordFor(c.type)}`,
    ),
  );
  const appointments = draft.appointments.map((a) =>
    row(
      `${wordFor(a.kind)} – ${nameOfRef.get(a.memberRef ?? '') ?? ''}`,
      `${formatDate(a.dueOn)}: ${wordFor(a.status)}${a.provider ? ` (${a.provider})` : ''}`,
      `${base}/appointments`,
      `appointment: ${wordFor(a.kind)}`,
    ),
  );
  const support: SummaryRow[] = [
    row(
      'Moved away from people who supported them',
      draft.leftSupportNetwork ? 'Yes' : 'No',
      `${base}/support-network`,
    ),
    row('Who supported them', draft.supportNetworkNote ?? '', `${base}/support-network`),
    row(
      'Household confirmed',
      draft.householdConfirmed ? 'Yes' : 'No',
      `${base}/confirm-household`,
      'whether the household is confirmed',
    ),
    row(
      'Why no father or male carer is recorded',
      draft.noMaleCarerReason ?? 'Not needed',
      `${base}/confirm-household`,
      'why no father or male carer is recorded',
    ),
  ];
  // The same words as the transfer page (sharingLines), "Not recorded" while missing.
  const said = sharingLines(draft);
  const sharing: SummaryRow[] = [
    row('Basis for sharing', said.basis ?? 'Not recorded', `${base}/sharing`, 'the basis for sharing'),
    row('The family told', said.informed ?? 'Not recorded', `${base}/sharing`, 'whether the family was told'),
  ];
  return { move, people, concerns, appointments, support, sharing };
}

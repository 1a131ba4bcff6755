import {
  CONCERN_TYPES,
  GP_STATUSES,
  INVOLVEMENTS,
  MEMBER_ROLES,
  MOBILITIES,
  MOVE_TYPES,
  RISK_FACTORS,
  SEXES,
  APPOINTMENT_STATUSES,
} from '@fh/domain';
import type { FormErrors } from '../common/form-errors.js';
import type { Transfer } from '../transfers/transfer.types.js';

/**
 * The start-a-transfer task list, as pure functions: the draft resource → form values, posted
 * form fields → the API's PATCH body for one section, and the API's refusals → the form's fields.
 * Nothing here is kept anywhere: the draft in the API is the only copy of what was entered.
 */

/** A posted form (application/x-www-form-urlencoded): repeated names arrive as arrays. */
export type FormBody = Record<string, string | string[] | undefined>;

export type Member = Transfer['household'][number];
export interface Draft extends Transfer {
  previousAddressArea: string | null;
  householdConfirmed: boolean;
  concerns: (Transfer['concerns'][number] & { memberRef: string | null })[];
  appointments: (Transfer['appointments'][number] & { memberRef: string | null })[];
}

/** A member as the API takes it (MemberDto). */
export interface MemberInput {
  ref: string;
  role: string | null;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: string;
  nhsNumber: string | null;
  livesInHousehold: boolean;
  mobility: string | null;
  engaged: boolean | null;
  gp: { status: string; practiceOds: string | null; practiceName: string | null } | null;
  involvements: { agency: string; area: string | null; detail: string | null }[];
  riskFactors: string[];
  /** Children of any age: not independently mobile (issue 14 item 4); null = not recorded. */
  notIndependentlyMobile: boolean | null;
  /** A child under a statutory order (issue 13 item 2): the transfer becomes a host notification. */
  statutoryOrder: string | null;
}
export interface ConcernInput {
  memberRef: string;
  type: string;
  observedOn: string;
  description: string | null;
  safeguardingAdviceSought: boolean | null;
  /** The bruising protocol's record (issue 14 item 4): a bruise or injury only. */
  healthAssessment: { by: string; on: string } | null;
  referral: { on: string; reference: string } | null;
  multiAgencyDiscussion: { on: string; outcome: string } | null;
  parentsExplanation: string | null;
}

/** Concern types the bruising protocol is for (the API refuses its fields on any other). */
export const BRUISE_TYPES = ['bruising', 'possible_bruise', 'injury'];
export interface AppointmentInput {
  memberRef: string;
  kind: string;
  provider: string | null;
  dueOn: string;
  status: string;
}

export const SECTIONS = [
  { slug: 'receiving-team', title: 'Receiving team' },
  { slug: 'move-details', title: 'Move details' },
  { slug: 'household', title: 'Household' },
  { slug: 'children-gp', title: 'Children and GP' },
  { slug: 'concerns', title: 'Concerns' },
  { slug: 'appointments', title: 'Appointments' },
  { slug: 'support-network', title: 'Support network' },
  { slug: 'confirm-household', title: 'Confirm the household' },
  { slug: 'sharing', title: 'Sharing and the family' },
] as const;
export type SectionSlug = (typeof SECTIONS)[number]['slug'];

// ------------------------------------------------------------------------------------------
// Words for the API's vocabulary

const WORDS: Record<string, string> = {
  child: 'Child',
  mother: 'Mother',
  father: 'Father',
  step_parent: 'Step-parent',
  partner: 'Partner',
  grandparent: 'Grandparent',
  sibling_adult: 'Adult sibling',
  other_adult: 'Other adult',
  female: 'Female',
  male: 'Male',
  unknown: 'Not known',
  non_mobile: 'Not yet mobile',
  mobile: 'Mobile (crawling, walking)',
  registered: 'Registered with a GP',
  not_registered: 'Not registered with a GP',
  universal: 'Universal services only',
  early_help: 'Early help',
  child_in_need: 'Child in need',
  child_protection: 'Child protection',
  looked_after: 'Looked after',
  permanent: 'Permanent',
  temporary: 'Temporary',
  offending: 'Offending',
  substance_misuse: 'Substance misuse',
  domestic_abuse: 'Domestic abuse',
  mental_health: 'Mental health',
  learning_disability: 'Learning disability',
  other: 'Other',
  bruising: 'Bruising',
  possible_bruise: 'A mark that might be a bruise',
  injury: 'Injury',
  weight_faltering: 'Faltering weight',
  parental_vulnerability: 'Parental vulnerability',
  neglect: 'Neglect',
  scheduled: 'Scheduled',
  attended: 'Attended',
  was_not_brought: 'Was not brought',
  cancelled: 'Cancelled',
  health_assessment: 'Health assessment',
  referral: 'Referral to children’s social care or MASH',
  multi_agency_discussion: 'Multi-agency discussion',
  parents_explanation: 'The parents’ explanation',
};

/** The words for one of the API's values ("was_not_brought" → "Was not brought"). */
export function wordFor(value: string | null | undefined): string {
  if (!value) return '';
  return WORDS[value] ?? value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
}

const options = (values: readonly string[]) => values.map((value) => ({ value, text: wordFor(value) }));
export const CHOICES = {
  roles: options(MEMBER_ROLES),
  sexes: options(SEXES),
  mobilities: options(MOBILITIES),
  gpStatuses: options(GP_STATUSES),
  involvements: options(INVOLVEMENTS),
  moveTypes: options(MOVE_TYPES),
  riskFactors: options(RISK_FACTORS),
  concernTypes: options(CONCERN_TYPES),
  appointmentStatuses: options(APPOINTMENT_STATUSES),
  appointmentKinds: [
    'health_visitor_review',
    'new_birth_visit',
    'immunisation',
    'weight_review',
    'developmental_review',
    'hospital_outpatient',
  ],
};

export const isChild = (m: { role: string | null }) => m.role === 'child';
export const memberName = (m: { givenName: string; familyName: string }) => `${m.givenName} ${m.familyName}`.trim();

// ------------------------------------------------------------------------------------------
// Reading posted forms

function one(body: FormBody, key: string): string {
  const value = body[key];
  const text = Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  return text.trim();
}
function many(body: FormBody, key: string): string[] {
  const value = body[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter(Boolean);
}
const orNull = (text: string) => (text === '' ? null : text);
const yesNo = (text: string): boolean | null => (text === 'yes' ? true : text === 'no' ? false : null);

/** A GOV.UK date input's three boxes (`<id>-day`, `-month`, `-year`): a date, nothing, or what is wrong with it. */
export function readDate(
  body: FormBody,
  id: string,
  label: string,
  required = false,
): { value: string | null; error: string | null } {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => one(body, `${id}-${part}`));
  if (!day && !month && !year) return { value: null, error: required ? `Enter the ${label}` : null };
  if (!day || !month || !year) return { value: null, error: `The ${label} must include a day, month and year` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { value: null, error: `The ${label} must be a real date` };
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso)
    return { value: null, error: `The ${label} must be a real date` };
  return { value: iso, error: null };
}

/** Date input values for a form from a stored date (or what was posted, so a wrong date is shown as typed). */
export function dateParts(
  body: FormBody | null,
  id: string,
  stored: string | null | undefined,
): { day: string; month: string; year: string } {
  if (body) return { day: one(body, `${id}-day`), month: one(body, `${id}-month`), year: one(body, `${id}-year`) };
  const m = stored ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(stored) : null;
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : { day: '', month: '', year: '' };
}

export interface Checks {
  checks: [string, string | null][];
}

/** The move-details form → PATCH fields (and the checks done before calling the API). */
export function readMoveDetails(body: FormBody) {
  const moveDate = readDate(body, 'moveDate', 'move date', true);
  const line1 = one(body, 'addressLine1');
  const line2 = one(body, 'addressLine2');
  const town = one(body, 'addressTown');
  const postcode = one(body, 'addressPostcode');
  const anyAddress = Boolean(line1 || line2 || town || postcode);
  const confidential = one(body, 'addressConfidential') === 'yes';
  const withheld = one(body, 'addressWithheld') === 'yes';
  // A temporary move (issue 13 item 3): when it is expected to end and/or be reviewed; a short stay's
  // choice (host notification or transfer) with its reason. Kept only for a temporary move.
  const temporary = one(body, 'moveType') === 'temporary';
  const expectedUntil = readDate(body, 'expectedUntil', 'date the stay is expected to end');
  const reviewOn = readDate(body, 'reviewOn', 'review date');
  const recordAs = one(body, 'shortStayRecordAs');
  const checks: [string, string | null][] = [
    ['moveDate', moveDate.error],
    ['moveType', one(body, 'moveType') ? null : 'Select whether the move is permanent, temporary or not known'],
    ['expectedUntil', temporary ? expectedUntil.error : null],
    ['reviewOn', temporary ? reviewOn.error : null],
    [
      'expectedUntil',
      temporary && !expectedUntil.value && !reviewOn.value && !expectedUntil.error && !reviewOn.error
        ? 'Enter when the temporary stay is expected to end, or when to review it'
        : null,
    ],
    [
      'shortStayReason',
      temporary && recordAs && !one(body, 'shortStayReason') ? 'Enter why the short stay is recorded this way' : null,
    ],
    ['involvement', one(body, 'involvement') ? null : 'Select the level of involvement'],
    ['addressLine1', anyAddress && !line1 ? 'Enter the first line of the new address' : null],
    ['addressTown', anyAddress && !town ? 'Enter the town or city of the new address' : null],
    ['addressPostcode', anyAddress && !postcode ? 'Enter the postcode of the new address' : null],
  ];
  const fields = {
    moveDate: moveDate.value,
    moveType: one(body, 'moveType'),
    expectedUntil: temporary ? expectedUntil.value : null,
    reviewOn: temporary ? reviewOn.value : null,
    shortStayChoice: temporary && recordAs ? { recordAs, reason: one(body, 'shortStayReason') } : null,
    involvement: one(body, 'involvement'),
    reason: orNull(one(body, 'reason')),
    previousAddressArea: orNull(one(body, 'previousAddressArea')),
    // A confidential address this person may not read is not on the form, and stays as it is.
    newAddress: withheld
      ? undefined
      : anyAddress
        ? { line1, line2: orNull(line2), town, postcode, ...(confidential ? { confidential: true } : {}) }
        : null,
  };
  return { fields, checks };
}

/** The next unused member ref ("member-1", "member-2", …): refs never change once given. */
export function nextRef(members: { ref: string }[]): string {
  const used = new Set(members.map((m) => m.ref));
  let n = members.length + 1;
  while (used.has(`member-${n}`)) n++;
  return `member-${n}`;
}

/** How many "other agency" rows a member form shows: those recorded plus one blank. */
export const agencyRows = (member: { involvements: unknown[] } | null, body: FormBody | null) =>
  body ? Math.max(Number(one(body, 'agencyRows')) || 1, 1) : (member?.involvements.length ?? 0) + 1;

/** One member's form → the API's member (keeping what this form does not ask, such as GP, from `existing`). */
export function readMember(body: FormBody, ref: string, existing: MemberInput | null) {
  const role = one(body, 'role');
  const dob = readDate(body, 'dateOfBirth', 'date of birth');
  const child = role === 'child';
  const rows = Math.min(agencyRows(null, body), 20);
  const involvements: MemberInput['involvements'] = [];
  const checks: [string, string | null][] = [
    ['role', role ? null : 'Select who this person is in the family'],
    ['givenName', one(body, 'givenName') ? null : 'Enter their first name'],
    ['familyName', one(body, 'familyName') ? null : 'Enter their last name'],
    ['dateOfBirth', dob.error],
    ['sex', one(body, 'sex') ? null : 'Select their sex, or not known'],
    ['livesInHousehold', one(body, 'livesInHousehold') ? null : 'Select whether they live in the household'],
  ];
  for (let i = 0; i < rows; i++) {
    const agency = one(body, `agency${i}-agency`);
    const area = one(body, `agency${i}-area`);
    const detail = one(body, `agency${i}-detail`);
    if (!agency && !area && !detail) continue;
    checks.push([`agency${i}-agency`, agency ? null : 'Enter the name of the agency involved']);
    involvements.push({ agency, area: orNull(area), detail: orNull(detail) });
  }
  const member: MemberInput = {
    ref,
    role: orNull(role),
    givenName: one(body, 'givenName'),
    familyName: one(body, 'familyName'),
    dateOfBirth: dob.value,
    sex: one(body, 'sex') || 'unknown',
    nhsNumber: orNull(one(body, 'nhsNumber').replace(/[\s-]/g, '')),
    livesInHousehold: one(body, 'livesInHousehold') !== 'no',
    mobility: child ? orNull(one(body, 'mobility')) : null,
    engaged: child ? null : yesNo(one(body, 'engaged')),
    gp: existing?.gp ?? null,
    involvements,
    riskFactors: child ? [] : many(body, 'riskFactors'),
    // a checkbox: ticked is true; unticked on a child's form is "not recorded" (null), never a claim
    notIndependentlyMobile: child && one(body, 'notIndependentlyMobile') === 'yes' ? true : null,
    statutoryOrder: child ? orNull(one(body, 'statutoryOrder')) : null,
  };
  return { member, checks };
}

/** Every child's GP fields (`<ref>-gpStatus`, `-practiceOds`, `-practiceName`) → the household with them. */
export function readChildrenGp(body: FormBody, household: MemberInput[]) {
  const checks: [string, string | null][] = [];
  const members = household.map((m, i) => {
    if (!isChild(m)) return m;
    const status = one(body, `m${i}-gpStatus`);
    checks.push([`m${i}-gpStatus`, status ? null : `Select whether ${memberName(m)} is registered with a GP`]);
    const registered = status === 'registered';
    return {
      ...m,
      gp: status
        ? {
            status,
            practiceOds: registered ? orNull(one(body, `m${i}-practiceOds`).toUpperCase()) : null,
            practiceName: registered ? orNull(one(body, `m${i}-practiceName`)) : null,
          }
        : m.gp,
    };
  });
  return { members, checks };
}

/** How many rows a list form (concerns, appointments) posted; blank rows are ignored. */
const rowCount = (body: FormBody) => Math.min(Math.max(Number(one(body, 'rows')) || 0, 0), 200);

/**
 * A concern row's bruising protocol fields (issue 14 item 4): each item is recorded whole (a date
 * and its words) or not at all; half an item is an error at its missing half.
 */
function readProtocol(body: FormBody, p: string) {
  const checks: [string, string | null][] = [];
  const blank = (id: string) => !['day', 'month', 'year'].some((part) => one(body, `${p}-${id}-${part}`));
  const pair = (dateId: string, dateLabel: string, textId: string, textError: string, dateError: string) => {
    const date = readDate(body, `${p}-${dateId}`, dateLabel);
    const words = one(body, `${p}-${textId}`);
    if (blank(dateId) && !words) return null;
    checks.push(
      [`${p}-${dateId}`, date.error ?? (date.value ? null : dateError)],
      [`${p}-${textId}`, words ? null : textError],
    );
    return { on: date.value ?? '', words };
  };
  const health = pair(
    'healthAssessmentOn',
    'date of the health assessment',
    'healthAssessmentBy',
    'Enter who did the health assessment',
    'Enter the date of the health assessment',
  );
  const referral = pair(
    'referralOn',
    'date of the referral',
    'referralReference',
    'Enter the referral’s reference',
    'Enter the date of the referral',
  );
  const discussion = pair(
    'discussionOn',
    'date of the multi-agency discussion',
    'discussionOutcome',
    'Enter the outcome of the multi-agency discussion',
    'Enter the date of the multi-agency discussion',
  );
  const explanation = one(body, `${p}-parentsExplanation`);
  return {
    any: Boolean(health || referral || discussion || explanation),
    checks,
    fields: {
      healthAssessment: health ? { by: health.words, on: health.on } : null,
      referral: referral ? { on: referral.on, reference: referral.words } : null,
      multiAgencyDiscussion: discussion ? { on: discussion.on, outcome: discussion.words } : null,
      parentsExplanation: orNull(explanation),
    },
  };
}

export function readConcerns(body: FormBody) {
  const checks: [string, string | null][] = [];
  const concerns: ConcernInput[] = [];
  const rowsOf: number[] = [];
  for (let i = 0; i < rowCount(body); i++) {
    const p = `c${i}`;
    if (one(body, `${p}-remove`) === 'yes') continue;
    const observed = readDate(body, `${p}-observedOn`, 'date it was seen');
    const values = [
      one(body, `${p}-memberRef`),
      one(body, `${p}-type`),
      one(body, `${p}-description`),
      one(body, `${p}-adviceSought`),
    ];
    const blankDate = !['day', 'month', 'year'].some((part) => one(body, `${p}-observedOn-${part}`));
    const protocol = readProtocol(body, p);
    if (values.every((v) => !v) && blankDate && !protocol.any) continue;
    checks.push(
      [`${p}-memberRef`, values[0] ? null : 'Select who the concern is about'],
      [`${p}-type`, values[1] ? null : 'Select the kind of concern'],
      [`${p}-observedOn`, observed.error ?? (observed.value ? null : 'Enter the date it was seen')],
      ...protocol.checks,
    );
    if (protocol.any && values[1] && !BRUISE_TYPES.includes(values[1]))
      checks.push([
        `${p}-healthAssessmentBy`,
        'The bruising protocol is for a bruise, a mark that might be a bruise or an injury: clear it, or change the kind of concern',
      ]);
    rowsOf.push(i);
    concerns.push({
      memberRef: values[0],
      type: values[1],
      observedOn: observed.value ?? '',
      description: orNull(values[2]),
      safeguardingAdviceSought: yesNo(values[3]),
      ...protocol.fields,
    });
  }
  return { concerns, rowsOf, checks };
}

export function readAppointments(body: FormBody) {
  const checks: [string, string | null][] = [];
  const appointments: AppointmentInput[] = [];
  const rowsOf: number[] = [];
  for (let i = 0; i < rowCount(body); i++) {
    const p = `a${i}`;
    if (one(body, `${p}-remove`) === 'yes') continue;
    const due = readDate(body, `${p}-dueOn`, 'appointment date');
    const values = [
      one(body, `${p}-memberRef`),
      one(body, `${p}-kind`),
      one(body, `${p}-provider`),
      one(body, `${p}-status`),
    ];
    const blankDate = !['day', 'month', 'year'].some((part) => one(body, `${p}-dueOn-${part}`));
    if (values.every((v) => !v) && blankDate) continue;
    checks.push(
      [`${p}-memberRef`, values[0] ? null : 'Select who the appointment is for'],
      [`${p}-kind`, values[1] ? null : 'Enter what the appointment is for'],
      [`${p}-dueOn`, due.error ?? (due.value ? null : 'Enter the appointment date')],
      [`${p}-status`, values[3] ? null : 'Select what happened with the appointment'],
    );
    rowsOf.push(i);
    appointments.push({
      memberRef: values[0],
      kind: values[1],
      provider: orNull(values[2]),
      dueOn: due.value ?? '',
      status: values[3],
    });
  }
  return { appointments, rowsOf, checks };
}

export function readSupportNetwork(body: FormBody) {
  const left = yesNo(one(body, 'leftSupportNetwork'));
  return {
    fields: { leftSupportNetwork: left ?? undefined, supportNetworkNote: orNull(one(body, 'supportNetworkNote')) },
    checks: [
      [
        'leftSupportNetwork',
        left === null ? 'Select whether the family has moved away from people who supported them' : null,
      ],
    ] as [string, string | null][],
  };
}

/**
 * The lawful basis for sharing and whether the family was told (issue 13 item 4): consent (who gave
 * it, when) or sharing without consent (why, and the sending-team manager who approved it); the
 * date the family was told, or why not. Only the chosen basis's fields are sent.
 */
export function readSharing(body: FormBody) {
  const basis = one(body, 'sharingBasis');
  const givenOn = readDate(body, 'givenOn', 'date consent was given', basis === 'consent');
  const informed = one(body, 'familyInformed');
  const informedOn = readDate(body, 'informedOn', 'date the family was told', informed === 'yes');
  const checks: [string, string | null][] = [
    [
      'sharingBasis',
      ['consent', 'safeguarding_without_consent'].includes(basis) ? null : 'Select the basis for sharing',
    ],
    ['familyInformed', ['yes', 'no'].includes(informed) ? null : 'Select whether the family has been told'],
  ];
  if (basis === 'consent') {
    checks.push(['givenBy', one(body, 'givenBy') ? null : 'Enter who gave consent']);
    checks.push(['givenOn-day', givenOn.error]);
  }
  if (basis === 'safeguarding_without_consent') {
    checks.push(['rationale', one(body, 'rationale') ? null : 'Enter why the information is shared without consent']);
    checks.push([
      'approvedById',
      one(body, 'approvedById') ? null : 'Select the manager who approved sharing without consent',
    ]);
  }
  if (informed === 'yes') checks.push(['informedOn-day', informedOn.error]);
  if (informed === 'no')
    checks.push([
      'notInformedReason',
      one(body, 'notInformedReason') ? null : 'Enter why the family has not been told',
    ]);
  return {
    fields: {
      sharingBasis:
        basis === 'consent'
          ? { basis, givenBy: one(body, 'givenBy'), givenOn: givenOn.value }
          : { basis, rationale: one(body, 'rationale'), approvedById: one(body, 'approvedById') },
      familyInformed:
        informed === 'yes' ? { on: informedOn.value } : { notInformedReason: one(body, 'notInformedReason') },
    },
    checks,
  };
}

/** "sharingBasis.givenBy must …" → the sharing form's field. */
export function sharingFieldOf(path: string): string | null {
  const m = /^(sharingBasis|familyInformed)\.?([A-Za-z]*)/.exec(path);
  if (!m) return null;
  const field = m[2] || m[1];
  return (
    ({ givenOn: 'givenOn-day', on: 'informedOn-day', basis: 'sharingBasis' } as Record<string, string>)[field] ?? field
  );
}

export function readConfirmHousehold(body: FormBody) {
  const confirmed = yesNo(one(body, 'householdConfirmed'));
  return {
    fields: { householdConfirmed: confirmed ?? undefined, noMaleCarerReason: orNull(one(body, 'noMaleCarerReason')) },
    checks: [
      [
        'householdConfirmed',
        confirmed === null ? 'Select whether you have confirmed who lives in the household' : null,
      ],
    ] as [string, string | null][],
  };
}

// ------------------------------------------------------------------------------------------
// From the draft to what the API takes back

export function memberInputs(draft: Draft): MemberInput[] {
  return draft.household.map((m) => ({
    ref: m.ref,
    role: m.role,
    givenName: m.givenName,
    familyName: m.familyName,
    dateOfBirth: m.dateOfBirth,
    sex: m.sex,
    nhsNumber: m.nhsNumber,
    livesInHousehold: m.livesInHousehold,
    mobility: m.mobility,
    engaged: m.engaged,
    gp: m.gp?.status ? { status: m.gp.status, practiceOds: m.gp.practiceOds, practiceName: m.gp.practiceName } : null,
    involvements: m.involvements.map((i) => ({ agency: i.agency, area: i.area, detail: i.detail })),
    riskFactors: m.riskFactors,
    notIndependentlyMobile: m.notIndependentlyMobile ?? null,
    statutoryOrder: m.statutoryOrder ?? null,
  }));
}

export function concernInputs(draft: Draft): ConcernInput[] {
  return draft.concerns.map((c) => ({
    memberRef: c.memberRef ?? '',
    type: c.type,
    observedOn: c.observedOn,
    description: c.description,
    safeguardingAdviceSought: c.safeguardingAdviceSought,
    // kept whole when another section (a member removed) sends the concerns back
    healthAssessment: c.healthAssessment ?? null,
    referral: c.referral ?? null,
    multiAgencyDiscussion: c.multiAgencyDiscussion ?? null,
    parentsExplanation: c.parentsExplanation ?? null,
  }));
}

export function appointmentInputs(draft: Draft): AppointmentInput[] {
  return draft.appointments.map((a) => ({
    memberRef: a.memberRef ?? '',
    kind: a.kind,
    provider: a.provider,
    dueOn: a.dueOn,
    status: a.status,
  }));
}

// ------------------------------------------------------------------------------------------
// The task list

export type TaskStatus = 'completed' | 'incomplete' | 'not_started' | 'optional' | 'cannot_start';

export function taskStatuses(draft: Draft): Record<SectionSlug, TaskStatus> {
  const children = draft.household.filter(isChild);
  const maleCarer = draft.household.some(
    (m) => ['father', 'step_parent', 'partner'].includes(m.role ?? '') && m.sex !== 'female',
  );
  return {
    'receiving-team': 'completed',
    'move-details': draft.reason && draft.newAddress ? 'completed' : 'incomplete',
    household:
      draft.household.length === 0
        ? 'not_started'
        : children.length && draft.household.every((m) => m.role)
          ? 'completed'
          : 'incomplete',
    'children-gp':
      children.length === 0 ? 'cannot_start' : children.every((m) => m.gp?.status) ? 'completed' : 'incomplete',
    concerns: draft.household.length === 0 ? 'cannot_start' : draft.concerns.length ? 'completed' : 'optional',
    appointments: draft.household.length === 0 ? 'cannot_start' : draft.appointments.length ? 'completed' : 'optional',
    'support-network': draft.leftSupportNetwork || draft.supportNetworkNote ? 'completed' : 'optional',
    'confirm-household':
      draft.householdConfirmed && (maleCarer || draft.noMaleCarerReason) ? 'completed' : 'not_started',
    sharing:
      draft.sharingBasis && draft.familyInformed
        ? 'completed'
        : draft.sharingBasis || draft.familyInformed
          ? 'incomplete'
          : 'not_started',
  };
}

// ------------------------------------------------------------------------------------------
// The API's refusals → this task list's forms

/** "household.2.nhsNumber must be …" → the member form's field (for the member at `index`). */
export function memberFieldOf(index: number) {
  return (path: string): string | null => {
    const m = /^household\.(\d+)\.([A-Za-z]+)(?:\.(\d+)\.([A-Za-z]+))?/.exec(path);
    if (!m || Number(m[1]) !== index) return null;
    if (m[2] === 'involvements') return `agency${m[3] ?? 0}-${m[4] === 'area' || m[4] === 'detail' ? m[4] : 'agency'}`;
    if (m[2] === 'dateOfBirth') return 'dateOfBirth';
    return [
      'role',
      'givenName',
      'familyName',
      'sex',
      'nhsNumber',
      'livesInHousehold',
      'mobility',
      'engaged',
      'riskFactors',
    ].includes(m[2])
      ? m[2]
      : null;
  };
}

const MOVE_FIELDS: Record<string, string> = {
  moveDate: 'moveDate',
  moveType: 'moveType',
  involvement: 'involvement',
  reason: 'reason',
  previousAddressArea: 'previousAddressArea',
  'newAddress.line1': 'addressLine1',
  'newAddress.line2': 'addressLine2',
  'newAddress.town': 'addressTown',
  'newAddress.postcode': 'addressPostcode',
  newAddress: 'addressLine1',
  expectedUntil: 'expectedUntil',
  reviewOn: 'reviewOn',
  'shortStayChoice.recordAs': 'shortStayRecordAs',
  'shortStayChoice.reason': 'shortStayReason',
  shortStayChoice: 'shortStayRecordAs',
  TEMPORARY_MOVE_DATES_MISSING: 'expectedUntil',
  EXPECTED_UNTIL_BEFORE_MOVE: 'expectedUntil',
  SHORT_STAY_CHOICE_MISSING: 'shortStayRecordAs',
  SHORT_STAY_REASON_MISSING: 'shortStayReason',
  SHORT_STAY_NOT_SHORT: 'shortStayRecordAs',
  receivingTeamId: 'team',
  RECEIVING_TEAM_IN_SAME_AREA: 'team',
  RECEIVING_TEAM_FIXED: 'team',
};
export const moveFieldOf = (path: string) => MOVE_FIELDS[path] ?? null;

/** The API's protocol paths → the concern row's fields. */
const PROTOCOL_FIELDS: Record<string, string> = {
  'healthAssessment.by': 'healthAssessmentBy',
  'healthAssessment.on': 'healthAssessmentOn',
  healthAssessment: 'healthAssessmentBy',
  'referral.on': 'referralOn',
  'referral.reference': 'referralReference',
  referral: 'referralOn',
  'multiAgencyDiscussion.on': 'discussionOn',
  'multiAgencyDiscussion.outcome': 'discussionOutcome',
  multiAgencyDiscussion: 'discussionOn',
};

/** "concerns.3.observedOn …" → the row's field, through the posted row numbers. */
export function rowFieldOf(list: 'concerns' | 'appointments', rowsOf: number[]) {
  const prefix = list === 'concerns' ? 'c' : 'a';
  return (path: string): string | null => {
    const m = new RegExp(`^${list}\\.(\\d+)\\.([A-Za-z]+)(?:\\.([A-Za-z]+))?`).exec(path);
    if (!m || rowsOf[Number(m[1])] === undefined) return null;
    const field =
      m[2] === 'safeguardingAdviceSought' ? 'adviceSought' : (PROTOCOL_FIELDS[m[3] ? `${m[2]}.${m[3]}` : m[2]] ?? m[2]);
    return `${prefix}${rowsOf[Number(m[1])]}-${field}`;
  };
}

/** The API's reason codes at `initiate` → the section that puts each right. */
export const REASON_SECTION: Record<string, SectionSlug> = {
  NO_CHILD: 'household',
  MEMBER_ROLE_MISSING: 'household',
  HOUSEHOLD_NOT_CONFIRMED: 'confirm-household',
  MALE_CARER_NOT_RECORDED: 'confirm-household',
  GP_STATUS_NOT_RECORDED: 'children-gp',
  MOVE_DATE_INVALID: 'move-details',
  APPOINTMENT_DATE_INVALID: 'appointments',
  RECEIVING_TEAM_IN_SAME_AREA: 'receiving-team',
  TEMPORARY_MOVE_DATES_MISSING: 'move-details',
  EXPECTED_UNTIL_BEFORE_MOVE: 'move-details',
  SHORT_STAY_CHOICE_MISSING: 'move-details',
  SHORT_STAY_REASON_MISSING: 'move-details',
  SHORT_STAY_NOT_SHORT: 'move-details',
  SHARING_BASIS_MISSING: 'sharing',
  SHARING_BASIS_INCOMPLETE: 'sharing',
  SHARING_APPROVER_NOT_SENDING_MANAGER: 'sharing',
  FAMILY_INFORMED_MISSING: 'sharing',
  FAMILY_INFORMED_INCOMPLETE: 'sharing',
};

/** The API's messages start with the field path; people read the field's name instead. */
const LABELS: Record<string, string> = {
  role: 'Who they are in the family',
  givenName: 'First name',
  familyName: 'Last name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  nhsNumber: 'NHS number',
  livesInHousehold: 'Lives in the household',
  mobility: 'Mobility',
  engaged: 'Seen and spoken with',
  riskFactors: 'Risk factors',
  agency: 'Agency',
  area: 'Area',
  detail: 'Detail',
  practiceOds: 'GP practice code',
  practiceName: 'GP practice name',
  status: 'Status',
  moveDate: 'Move date',
  moveType: 'Move type',
  involvement: 'Involvement',
  reason: 'Reason for the move',
  previousAddressArea: 'Previous area',
  line1: 'Address line 1',
  line2: 'Address line 2',
  town: 'Town or city',
  postcode: 'Postcode',
  type: 'Kind of concern',
  healthAssessment: 'Health assessment',
  referral: 'Referral',
  multiAgencyDiscussion: 'Multi-agency discussion',
  parentsExplanation: 'Parents’ explanation',
  notIndependentlyMobile: 'Not independently mobile',
  observedOn: 'Date seen',
  description: 'Description',
  memberRef: 'Person',
  kind: 'Appointment',
  provider: 'Provider',
  dueOn: 'Appointment date',
  supportNetworkNote: 'Who supported the family',
  noMaleCarerReason: 'Why no father or male carer is recorded',
};

/** "household.0.nhsNumber must be a valid NHS number" → "NHS number must be a valid NHS number". */
export function plainMessages(errors: FormErrors): FormErrors {
  const plain = (text: string) => {
    const [first, ...rest] = text.split(' ');
    if (!rest.length || !/^[A-Za-z0-9.]+$/.test(first)) return text;
    const segment = first
      .split('.')
      .filter((s) => !/^\d+$/.test(s))
      .pop();
    const key = segment ? segment.charAt(0).toLowerCase() + segment.slice(1) : '';
    return LABELS[key] ? `${LABELS[key]} ${rest.join(' ')}` : text;
  };
  const fields = Object.fromEntries(Object.entries(errors.fields).map(([k, v]) => [k, { text: plain(v.text) }]));
  return { errorList: errors.errorList.map((e) => ({ ...e, text: plain(e.text) })), fields };
}

/** A date input's error links to its first box (GOV.UK error summary convention). */
export function linkDatesToDay(errors: FormErrors, dateFields: (field: string) => boolean): FormErrors {
  return {
    ...errors,
    errorList: errors.errorList.map((e) => (dateFields(e.href.slice(1)) ? { ...e, href: `${e.href}-day` } : e)),
  };
}

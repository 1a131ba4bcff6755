/**
 * The service's codes in plain words, for a busy health visitor reading a packet. Every code the
 * packet shows has its words beside it; a code with no entry here falls back to readable text
 * (underscores to spaces), never to a bare code.
 */
import type {
  AppointmentStatus,
  BruisingProtocolItem,
  ConcernType,
  GpStatus,
  Involvement,
  LocateCheck,
  MemberRole,
  Mobility,
  MoveType,
  NotReachedMethod,
  RiskFactor,
  RiskFlagSeverity,
  Sex,
  StatutoryOrder,
  TransferStatus,
} from '@fh/domain';

export const STATUS_WORDS: Readonly<Record<TransferStatus, string>> = {
  draft: 'Draft: not yet sent to the receiving team',
  awaiting_contact: 'Sent: waiting for the receiving team to speak directly with the sending practitioner',
  contact_recorded: 'Direct conversation recorded: waiting for the sending practitioner to check it back',
  contact_confirmed: 'Direct conversation checked back and agreed: waiting for the receiving team to accept',
  awaiting_conference:
    'Transfer-in accepted (child protection): the sending practitioner stays responsible until the written outcome of the receiving area’s transfer-in conference; the receiving lead runs the plan meanwhile as interim lead',
  accepted: 'Accepted: the receiving team is now responsible',
  notification_acknowledged:
    'Host notification acknowledged: the host team has named its contact; the sending team stays responsible',
  returned: 'Returned to the sending team, which stays responsible',
  cancelled: 'Cancelled by the sending team',
  closed: 'Closed: accepted (or, for a host notification, acknowledged) and every loose end followed up',
};

export const STATUTORY_ORDER_WORDS: Readonly<Record<StatutoryOrder, string>> = {
  care_order: 'a care order',
  interim_care_order: 'an interim care order',
  supervision_order: 'a supervision order',
  emergency_protection_order: 'an emergency protection order',
  other: 'a statutory order',
};

export const INVOLVEMENT_WORDS: Readonly<Record<Involvement, string>> = {
  universal: 'Universal services only',
  early_help: 'Early help',
  child_in_need: 'Child in need',
  child_protection: 'Child protection',
  looked_after: 'Looked after child',
};

export const MOVE_TYPE_WORDS: Readonly<Record<MoveType, string>> = {
  permanent: 'Permanent move',
  temporary: 'Temporary move',
  unknown: 'Not known whether the move is permanent',
};

export const SEVERITY_WORDS: Readonly<Record<RiskFlagSeverity, string>> = {
  critical: 'Critical: act now',
  high: 'High',
  medium: 'Medium',
};

export const SEX_WORDS: Readonly<Record<Sex, string>> = { female: 'Female', male: 'Male', unknown: 'Sex not recorded' };

export const MOBILITY_WORDS: Readonly<Record<Mobility, string>> = {
  non_mobile: 'Not yet mobile (not rolling, crawling or walking)',
  mobile: 'Mobile',
  unknown: 'Mobility not known',
};

export const GP_WORDS: Readonly<Record<GpStatus, string>> = {
  registered: 'Registered with a GP',
  not_registered: 'NOT registered with a GP',
  unknown: 'Not known whether registered with a GP: treat as not registered',
};

export const RISK_FACTOR_WORDS: Readonly<Record<RiskFactor, string>> = {
  offending: 'Offending',
  substance_misuse: 'Drug or alcohol misuse',
  domestic_abuse: 'Domestic abuse',
  mental_health: 'Mental ill-health',
  learning_disability: 'Learning disability',
  other: 'Other risk noted',
};

export const CONCERN_WORDS: Readonly<Record<ConcernType, string>> = {
  bruising: 'Bruising',
  possible_bruise: 'A mark that might be a bruise',
  injury: 'Injury',
  weight_faltering: 'Weight or faltering growth',
  parental_vulnerability: 'Parent’s vulnerability',
  neglect: 'Neglect',
  domestic_abuse: 'Domestic abuse',
  other: 'Other concern',
};

/** The bruising protocol's items (issue 14 item 4), as the packet names them. */
export const BRUISING_PROTOCOL_WORDS: Readonly<Record<BruisingProtocolItem, string>> = {
  health_assessment: 'Health assessment',
  referral: 'Referral to children’s social care or MASH',
  multi_agency_discussion: 'Multi-agency discussion',
  parents_explanation: 'Parents’ explanation, in their words',
};

export const APPOINTMENT_STATUS_WORDS: Readonly<Record<AppointmentStatus, string>> = {
  scheduled: 'Booked',
  attended: 'Attended',
  was_not_brought: 'WAS NOT BROUGHT',
  cancelled: 'Cancelled',
  no_access: 'NO ACCESS (home visit, no one answered)',
  cancelled_by_carer: 'CANCELLED BY CARER',
  rescheduled: 'RESCHEDULED BY CARER',
};

export const CONTACT_METHOD_WORDS: Readonly<Record<string, string>> = {
  phone: 'Phone call',
  video: 'Video call',
  in_person: 'In person',
  meeting: 'Meeting',
};

export const CONTACT_STATE_WORDS: Readonly<Record<'pending' | 'confirmed' | 'disputed', string>> = {
  pending: 'Waiting for the sending practitioner to check this record back',
  confirmed: 'Checked back and agreed by the sending practitioner',
  disputed: 'Disputed by the sending practitioner: contact is needed again',
};

/** Acronyms and names of agencies practitioners write, spelled out. Keys are normalised (see agencyWords). */
const AGENCY_WORDS: Readonly<Record<string, string>> = {
  probation: 'Probation service',
  probation_service: 'Probation service',
  national_probation_service: 'National Probation Service',
  nps: 'National Probation Service (NPS)',
  crc: 'Community Rehabilitation Company (CRC): probation',
  community_rehabilitation: 'Community Rehabilitation Company (CRC): probation',
  community_rehabilitation_company: 'Community Rehabilitation Company (CRC): probation',
  police: 'Police',
  mash: 'Multi-Agency Safeguarding Hub (MASH)',
  camhs: 'Child and Adolescent Mental Health Services (CAMHS)',
  cmht: 'Community Mental Health Team (CMHT)',
  idva: 'Independent Domestic Violence Adviser (IDVA)',
  marac: 'Multi-Agency Risk Assessment Conference (MARAC)',
  mappa: 'Multi-Agency Public Protection Arrangements (MAPPA)',
  yot: 'Youth Offending Team (YOT)',
  adult_social_care: 'Adult social care',
  drug_and_alcohol: 'Drug and alcohol service',
  substance_misuse: 'Drug and alcohol service',
  housing: 'Housing',
};

export function normaliseKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Free text written as a code ("health_visitor_review") made readable ("Health visitor review"). */
export function humanise(text: string): string {
  const words = text.trim().replace(/_+/g, ' ').replace(/\s+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function agencyWords(agency: string): string {
  return AGENCY_WORDS[normaliseKey(agency)] ?? humanise(agency);
}

/** An area as written in a record ("london", "west_midlands") → "London", "West Midlands". */
export function placeWords(area: string): string {
  return area
    .trim()
    .replace(/_+/g, ' ')
    .split(/\s+/)
    .map((w) => (w.length ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/**
 * A household member's role in words, as a health visitor would say it. A partner is named by
 * whose partner they are where the household makes that clear ("Mother’s partner").
 */
export function roleWords(
  role: MemberRole | null,
  sex: Sex,
  household: readonly { role: MemberRole | null }[],
): string {
  const has = (r: MemberRole) => household.some((m) => m.role === r);
  switch (role) {
    case 'child':
      return sex === 'female' ? 'Daughter' : sex === 'male' ? 'Son' : 'Child';
    case 'mother':
      return 'Mother';
    case 'father':
      return 'Father';
    case 'step_parent':
      return sex === 'male' ? 'Stepfather' : sex === 'female' ? 'Stepmother' : 'Step-parent';
    case 'partner':
      if (sex === 'male' && has('mother')) return 'Mother’s partner';
      if (sex === 'female' && has('father')) return 'Father’s partner';
      return 'Partner of a parent';
    case 'grandparent':
      return sex === 'male' ? 'Grandfather' : sex === 'female' ? 'Grandmother' : 'Grandparent';
    case 'sibling_adult':
      return sex === 'male' ? 'Adult brother' : sex === 'female' ? 'Adult sister' : 'Adult brother or sister';
    case 'other_adult':
      return 'Other adult in the household';
    default:
      return 'Role not recorded';
  }
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "4 months", or for older children "2 years 1 month (25 months)". */
export function ageWords(months: number): string {
  if (months < 0) return 'not yet born on this date';
  if (months < 24) return plural(months, 'month', 'months');
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return `${plural(years, 'year', 'years')}${rest ? ` ${plural(rest, 'month', 'months')}` : ''} (${months} months)`;
}

/** NHS numbers are read in groups of 3, 3 and 4 digits. */
export function formatNhsNumber(value: string): string {
  const digits = value.replace(/\s+/g, '');
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : value;
}

/** Issue 14 item 2: how an attempt to reach the family failed. */
export const NOT_REACHED_METHOD_WORDS: Readonly<Record<NotReachedMethod, string>> = {
  home_visit_no_access: 'home visit, no access',
  phone_no_answer: 'phone call, no answer',
  not_at_address: 'not at the address',
  letter_returned: 'letter returned',
  other: 'other',
};

/** Issue 14 item 2: the locate checklist, in words. */
export const LOCATE_CHECK_WORDS: Readonly<Record<LocateCheck, string>> = {
  family_members: 'Known family members contacted',
  education_setting: 'Education setting asked (and whether the pupil file moved)',
  health_registration: 'GP, health visiting or MASH health checked for a new registration',
  police_welfare_check: 'Police asked for a concern-for-welfare check',
  strategy_discussion: 'Strategy discussion held',
};

/**
 * Risk flags (DESIGN §4): what the receiving practitioner must not miss, computed from the
 * transfer's facts whenever they change. One small rule per flag code; each rule returns the
 * flag or null. Summaries are plain English with counts only — never names, dates of birth,
 * NHS numbers or free text — so they are safe to show anywhere.
 *
 * Flags depend on the facts alone (ages are taken at the date a concern was observed, not
 * "today"), so the same facts always give the same flags.
 */
import { isLocalDate } from './calendar.js';
import {
  carerCancellationsOf,
  isAdult,
  isChild,
  type ConcernFacts,
  type MemberFacts,
  type TransferFacts,
} from './facts.js';
import { isValidNhsNumber } from './nhs-number.js';
import {
  BRUISE_OR_INJURY_CONCERNS,
  BRUISING_PROTOCOL_ITEMS,
  BRUISING_PROTOCOL_ITEM_WORDS,
  MISSED_APPOINTMENT_STATUSES,
  RISK_FLAG_CODES,
  RISK_FLAG_SEVERITY,
  isMaleCarerRole,
  isParentOrCarerRole,
  type BruisingProtocolItem,
  type ConcernType,
  type RiskFactor,
  type RiskFlagCode,
  type RiskFlagSeverity,
} from './vocabulary.js';

export interface RiskFlag {
  readonly code: RiskFlagCode;
  readonly severity: RiskFlagSeverity;
  /** The members the flag is about (empty for household-wide flags such as LEFT_SUPPORT_NETWORK). */
  readonly memberIds: string[];
  readonly summary: string;
  /**
   * NON_MOBILE_INFANT_BRUISING only: what the bruising protocol still lacks across the concerns
   * the flag is about (issue 14 item 4), in BRUISING_PROTOCOL_ITEMS order; [] when complete.
   */
  readonly missing?: BruisingProtocolItem[];
}

/** Adult risk factors that raise ADULT_RISK_IN_HOUSEHOLD ("Think Family"). */
export const ADULT_RISK_FACTORS = [
  'offending',
  'substance_misuse',
  'domestic_abuse',
  'mental_health',
] as const satisfies readonly RiskFactor[];

/**
 * Agencies whose involvement with an adult raises ADULT_RISK_IN_HOUSEHOLD, in any area.
 * An involvement's `agency` is compared after lower-casing and turning spaces and hyphens into
 * underscores, so "Community Rehabilitation Company" and "CRC" both match.
 */
export const PROBATION_AGENCIES = [
  'probation',
  'probation_service',
  'national_probation_service',
  'nps',
  'crc',
  'community_rehabilitation',
  'community_rehabilitation_company',
] as const;

/** Risk factors that make a parent or carer's vulnerability a flag (PARENTAL_VULNERABILITY). */
export const PARENTAL_VULNERABILITY_FACTORS = [
  'mental_health',
  'learning_disability',
] as const satisfies readonly RiskFactor[];

/**
 * Below this age (completed months, at the date observed) a child is not independently mobile,
 * whatever mobility is recorded (issue 14 item 4).
 */
export const NON_MOBILE_AGE_MONTHS = 6;

/** Below this age a child whose mobility is `unknown` (or not recorded) is not independently mobile. */
export const UNKNOWN_MOBILITY_AGE_MONTHS = 12;

/**
 * Completed months between a date of birth and a date (both `YYYY-MM-DD`). A month is complete
 * on the same day-of-month, or on the last day of a shorter month (born 31 Aug → 6 months on
 * 28 Feb). Negative when `onDate` is before birth.
 */
export function ageInMonths(dateOfBirth: string, onDate: string): number {
  if (!isLocalDate(dateOfBirth) || !isLocalDate(onDate)) throw new RangeError('ageInMonths needs two YYYY-MM-DD dates');
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = onDate.split('-').map(Number) as [number, number, number];
  const lastDayOfMonth = new Date(Date.UTC(oy, om, 0)).getUTCDate();
  const months = (oy - by) * 12 + (om - bm);
  if (onDate < dateOfBirth) return months + (od > bd ? 1 : 0);
  return months - (od < bd && od !== lastDayOfMonth ? 1 : 0);
}

/**
 * Was the child not independently mobile on that date (issue 14 item 4)? Yes when recorded
 * `non_mobile`; or recorded `notIndependentlyMobile` (a disabled or developmentally delayed child,
 * at any age); or under 6 months old at that date (whatever is recorded); or under 12 months with
 * mobility `unknown` or not recorded. A 7-month-old recorded `mobile` is not.
 */
export function isNonMobileOn(
  member: Pick<MemberFacts, 'mobility' | 'dateOfBirth' | 'notIndependentlyMobile'>,
  onDate: string,
): boolean {
  if (member.mobility === 'non_mobile' || member.notIndependentlyMobile === true) return true;
  if (member.dateOfBirth === null || !isLocalDate(member.dateOfBirth) || !isLocalDate(onDate)) return false;
  const months = ageInMonths(member.dateOfBirth, onDate);
  if (months < NON_MOBILE_AGE_MONTHS) return true;
  return member.mobility !== 'mobile' && months < UNKNOWN_MOBILITY_AGE_MONTHS;
}

export function isBruiseOrInjury(type: ConcernType): boolean {
  return (BRUISE_OR_INJURY_CONCERNS as readonly ConcernType[]).includes(type);
}

/** The concerns the bruising protocol applies to: a bruise or injury on a child not independently mobile when seen. */
export function bruisingProtocolConcerns<C extends ConcernFacts>(
  facts: Pick<TransferFacts, 'household'> & { readonly concerns: readonly C[] },
): C[] {
  const members = new Map(facts.household.map((m) => [m.id, m] as const));
  return facts.concerns.filter((c) => {
    if (!isBruiseOrInjury(c.type)) return false;
    const m = members.get(c.memberId);
    return m !== undefined && isChild(m) && isNonMobileOn(m, c.observedOn);
  });
}

/** What the protocol record of one concern still lacks, in BRUISING_PROTOCOL_ITEMS order. */
export function bruisingProtocolMissing(concern: Pick<ConcernFacts, 'protocol'>): BruisingProtocolItem[] {
  const p = concern.protocol ?? null;
  const recorded: Record<BruisingProtocolItem, boolean> = {
    health_assessment: isLocalDate(p?.healthAssessmentOn),
    referral: isLocalDate(p?.referralOn),
    multi_agency_discussion: isLocalDate(p?.multiAgencyDiscussionOn),
    parents_explanation: p?.parentsExplanationRecorded === true,
  };
  return BRUISING_PROTOCOL_ITEMS.filter((item) => !recorded[item]);
}

/** What the protocol still lacks across every concern it applies to (the union, in order). */
export function bruisingProtocolGaps(facts: Pick<TransferFacts, 'household' | 'concerns'>): BruisingProtocolItem[] {
  const missing = new Set(bruisingProtocolConcerns(facts).flatMap((c) => bruisingProtocolMissing(c)));
  return BRUISING_PROTOCOL_ITEMS.filter((item) => missing.has(item));
}

function normaliseAgency(agency: string): string {
  return agency
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function isProbationAgency(agency: string): boolean {
  return (PROBATION_AGENCIES as readonly string[]).includes(normaliseAgency(agency));
}

// ---------------------------------------------------------------------------------------------
// Wording helpers: counts only.

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
const children = (n: number) => plural(n, 'child', 'children');
const isAre = (n: number) => (n === 1 ? 'is' : 'are');
const unique = (ids: Iterable<string>) => [...new Set(ids)];

function flag(code: RiskFlagCode, memberIds: string[], summary: string): RiskFlag {
  return { code, severity: RISK_FLAG_SEVERITY[code], memberIds, summary };
}

/** One rule: the flag the facts raise, or null. `members` indexes the household by id. */
export type RiskFlagRule = (facts: TransferFacts, members: ReadonlyMap<string, MemberFacts>) => RiskFlag | null;

// ---------------------------------------------------------------------------------------------
// One rule per flag code.

/**
 * A bruise or injury (or a mark that might be a bruise) on a child who was not independently mobile
 * when it was seen. Critical. Lists what the bruising protocol still lacks (issue 14 item 4): in
 * `missing`, and in words — with counts when several concerns are in scope — in the summary.
 */
const nonMobileInfantBruising: RiskFlagRule = (facts) => {
  const concerns = bruisingProtocolConcerns(facts);
  if (concerns.length === 0) return null;
  const ids = unique(concerns.map((c) => c.memberId));
  const lacking = concerns.map((c) => bruisingProtocolMissing(c));
  const missing = BRUISING_PROTOCOL_ITEMS.filter((item) => lacking.some((l) => l.includes(item)));
  const words = missing.map((item) => {
    const n = lacking.filter((l) => l.includes(item)).length;
    return concerns.length === 1
      ? BRUISING_PROTOCOL_ITEM_WORDS[item]
      : `${BRUISING_PROTOCOL_ITEM_WORDS[item]} (${n} of ${concerns.length})`;
  });
  const base = `bruise or injury on ${plural(ids.length, 'child', 'children')} not independently mobile: always serious, however minor`;
  return {
    ...flag(
      'NON_MOBILE_INFANT_BRUISING',
      ids,
      missing.length === 0
        ? `${base}; bruising protocol recorded`
        : `${base}; bruising protocol still missing: ${words.join(', ')}`,
    ),
    missing,
  };
};

/** Any bruise or injury concern where safeguarding advice was not sought (or not recorded). Critical. */
const safeguardingAdviceNotSought: RiskFlagRule = (facts) => {
  const concerns = facts.concerns.filter((c) => isBruiseOrInjury(c.type) && c.safeguardingAdviceSought !== true);
  if (concerns.length === 0) return null;
  return flag(
    'SAFEGUARDING_ADVICE_NOT_SOUGHT',
    unique(concerns.map((c) => c.memberId)),
    `safeguarding advice not sought for ${plural(concerns.length, 'bruise or injury', 'bruises or injuries')}: seek it now`,
  );
};

/** A child whose GP status is anything but `registered` (including unknown or not recorded). High. */
const noGpRegistration: RiskFlagRule = (facts) => {
  const kids = facts.household.filter((m) => isChild(m) && m.gp.status !== 'registered');
  if (kids.length === 0) return null;
  const notRegistered = kids.filter((m) => m.gp.status === 'not_registered').length;
  const unknown = kids.length - notRegistered;
  const parts: string[] = [];
  if (notRegistered > 0) parts.push(`${children(notRegistered)} ${isAre(notRegistered)} not registered with a GP`);
  if (unknown > 0) parts.push(`GP registration not known for ${children(unknown)}`);
  return flag(
    'NO_GP_REGISTRATION',
    kids.map((m) => m.id),
    parts.join('; '),
  );
};

/**
 * A child not brought to an appointment, or a home visit where no one answered (`no_access`);
 * "pattern" across ≥2 appointments or ≥2 children, counting both. High.
 */
const wasNotBrought: RiskFlagRule = (facts, members) => {
  const missed = facts.appointments.filter((a) => {
    const m = members.get(a.memberId);
    return (MISSED_APPOINTMENT_STATUSES as readonly string[]).includes(a.status) && m !== undefined && isChild(m);
  });
  if (missed.length === 0) return null;
  const ids = unique(missed.map((a) => a.memberId));
  const noAccess = missed.filter((a) => a.status === 'no_access').length;
  const summary =
    missed.length >= 2 || ids.length >= 2
      ? `pattern of not being brought: ${plural(missed.length, 'appointment', 'appointments')} missed across ${children(ids.length)}` +
        (noAccess > 0 ? ` (${plural(noAccess, 'home visit', 'home visits')} with no access)` : '')
      : noAccess > 0
        ? `no access at 1 home visit for 1 child`
        : `1 child was not brought to 1 appointment`;
  return flag('WAS_NOT_BROUGHT', ids, summary);
};

/**
 * Two or more carer cancellations or reschedules across the family (every appointment's count,
 * carerCancellationsOf): possible disguised compliance. High.
 */
const repeatedCancellations: RiskFlagRule = (facts, members) => {
  const cancelled = facts.appointments.filter((a) => carerCancellationsOf(a) > 0 && members.has(a.memberId));
  const total = cancelled.reduce((n, a) => n + carerCancellationsOf(a), 0);
  if (total < 2) return null;
  const ids = unique(cancelled.map((a) => a.memberId));
  const people =
    ids.filter((id) => isChild(members.get(id)!)).length === ids.length
      ? children(ids.length)
      : plural(ids.length, 'person', 'people');
  return flag(
    'REPEATED_CANCELLATIONS',
    ids,
    `possible disguised compliance: ${plural(total, 'appointment', 'appointments')} cancelled or rescheduled by the carer across ${people}`,
  );
};

/**
 * An adult with offending, substance misuse, domestic abuse or mental-health risk factors, or
 * involved with probation / a Community Rehabilitation Company in any area. High.
 */
const adultRiskInHousehold: RiskFlagRule = (facts) => {
  const factors = new Set<string>();
  const probationAreas = new Set<string>();
  const ids: string[] = [];
  for (const m of facts.household.filter(isAdult)) {
    const own = m.riskFactors.filter((f) => (ADULT_RISK_FACTORS as readonly RiskFactor[]).includes(f));
    const probation = m.involvements.filter((i) => isProbationAgency(i.agency));
    if (own.length === 0 && probation.length === 0) continue;
    ids.push(m.id);
    own.forEach((f) => factors.add(f.replace(/_/g, ' ')));
    probation.forEach((i) => probationAreas.add(i.area?.trim() || 'area not recorded'));
  }
  if (ids.length === 0) return null;
  const what = [...ADULT_RISK_FACTORS.map((f) => f.replace(/_/g, ' ')).filter((f) => factors.has(f))];
  if (probationAreas.size > 0) what.push(`probation/CRC involvement (${[...probationAreas].join(', ')})`);
  return flag(
    'ADULT_RISK_IN_HOUSEHOLD',
    ids,
    `${plural(ids.length, 'adult', 'adults')} in the household with ${what.join(', ')}: think family`,
  );
};

/** A father/male carer (see isMaleCarerRole) recorded as not engaged, or never seen (engaged null). Medium. */
const maleCarerNotEngaged: RiskFlagRule = (facts) => {
  const men = facts.household.filter((m) => isMaleCarerRole(m.role, m.sex) && m.engaged !== true);
  if (men.length === 0) return null;
  return flag(
    'MALE_CARER_NOT_ENGAGED',
    men.map((m) => m.id),
    `${plural(men.length, 'father/male carer', 'fathers/male carers')} not seen and spoken with by a practitioner`,
  );
};

/** The move takes the family away from its support network. Household-wide. Medium. */
const leftSupportNetwork: RiskFlagRule = (facts) =>
  facts.leftSupportNetwork
    ? flag('LEFT_SUPPORT_NETWORK', [], 'the move takes the family away from its support network')
    : null;

/** A weight or faltering-growth concern. Medium. */
const weightConcern: RiskFlagRule = (facts) => {
  const ids = unique(facts.concerns.filter((c) => c.type === 'weight_faltering').map((c) => c.memberId));
  if (ids.length === 0) return null;
  return flag('WEIGHT_CONCERN', ids, `weight or faltering-growth concern for ${children(ids.length)}`);
};

/**
 * A recorded parental vulnerability: a `parental_vulnerability` concern (about whichever member
 * it names), or a parent/carer (mother, father, step-parent, partner) with a mental-health or
 * learning-disability risk factor. Medium.
 */
const parentalVulnerability: RiskFlagRule = (facts) => {
  const fromConcerns = facts.concerns.filter((c) => c.type === 'parental_vulnerability').map((c) => c.memberId);
  const fromFactors = facts.household
    .filter((m) => isParentOrCarerRole(m.role))
    .filter((m) => m.riskFactors.some((f) => (PARENTAL_VULNERABILITY_FACTORS as readonly RiskFactor[]).includes(f)))
    .map((m) => m.id);
  const ids = unique([...fromConcerns, ...fromFactors]);
  if (ids.length === 0) return null;
  return flag(
    'PARENTAL_VULNERABILITY',
    ids,
    `parental vulnerability recorded (${plural(ids.length, 'member', 'members')} of the household)`,
  );
};

/** A child without a valid NHS number (missing, or failing the modulus-11 check). Medium. */
const nhsNumberMissing: RiskFlagRule = (facts) => {
  const kids = facts.household.filter((m) => isChild(m) && (m.nhsNumber === null || !isValidNhsNumber(m.nhsNumber)));
  if (kids.length === 0) return null;
  return flag(
    'NHS_NUMBER_MISSING',
    kids.map((m) => m.id),
    `${children(kids.length)} without a valid NHS number: records cannot be matched across areas`,
  );
};

/** The rule for each code; the Record type makes a missing rule a compile error. */
export const RISK_FLAG_RULES: Readonly<Record<RiskFlagCode, RiskFlagRule>> = {
  NON_MOBILE_INFANT_BRUISING: nonMobileInfantBruising,
  SAFEGUARDING_ADVICE_NOT_SOUGHT: safeguardingAdviceNotSought,
  NO_GP_REGISTRATION: noGpRegistration,
  WAS_NOT_BROUGHT: wasNotBrought,
  REPEATED_CANCELLATIONS: repeatedCancellations,
  ADULT_RISK_IN_HOUSEHOLD: adultRiskInHousehold,
  MALE_CARER_NOT_ENGAGED: maleCarerNotEngaged,
  LEFT_SUPPORT_NETWORK: leftSupportNetwork,
  WEIGHT_CONCERN: weightConcern,
  PARENTAL_VULNERABILITY: parentalVulnerability,
  NHS_NUMBER_MISSING: nhsNumberMissing,
  // Raised by its clock, not by the facts: see clockFlags.
  CONFERENCE_OVERDUE: () => null,
  // Raised by the not-reached route, not by the facts: see family-not-reached.ts.
  FAMILY_NOT_REACHED: () => null,
};

/** Every flag the facts raise, most severe first (the order of RISK_FLAG_CODES). */
export function computeRiskFlags(facts: TransferFacts): readonly RiskFlag[] {
  let flags = flagsOfFacts.get(facts);
  if (!flags) {
    const members = new Map(facts.household.map((m) => [m.id, m] as const));
    flags = Object.freeze(
      RISK_FLAG_CODES.map((code) => RISK_FLAG_RULES[code](facts, members)).filter((f): f is RiskFlag => f !== null),
    );
    flagsOfFacts.set(facts, flags);
  }
  return flags;
}

/**
 * The flags are a function of the facts alone and facts are immutable (readonly all the way down),
 * so they are computed once per facts object: a read's availableActions dry-runs decide() for each
 * command it offers, and each asks for them.
 */
const flagsOfFacts = new WeakMap<TransferFacts, readonly RiskFlag[]>();

export function criticalFlagCodes(flags: readonly RiskFlag[]): RiskFlagCode[] {
  return flags.filter((f) => f.severity === 'critical').map((f) => f.code);
}

/** What the clock-raised flags read: the conference's due time and whether it has been held. */
export interface ConferenceClockFacts {
  /** When the transfer-in conference is due; null when none is needed or its clock has not started. */
  readonly conferenceDueAt: Date | null;
  /** Whether the receiving area has recorded the conference. */
  readonly conferenceHeld: boolean;
}

/**
 * Flags raised by a clock (CLOCK_FLAG_CODES), for the moment `now`: a transfer-in child protection
 * conference not held by its due time raises CONFERENCE_OVERDUE (high). Computed where a transfer
 * is read (resource, lists, packet), never stored with the facts' flags.
 */
export function clockFlags(facts: ConferenceClockFacts, now: Date): RiskFlag[] {
  if (facts.conferenceDueAt === null || facts.conferenceHeld) return [];
  if (facts.conferenceDueAt.getTime() > now.getTime()) return [];
  return [
    flag(
      'CONFERENCE_OVERDUE',
      [],
      'the transfer-in child protection conference was not held by its due date: the plan has no conference decision',
    ),
  ];
}

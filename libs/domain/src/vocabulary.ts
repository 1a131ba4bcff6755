/**
 * The words of the service. Every enumerated value the API accepts or returns is listed here
 * once, as an `as const` array (for validation and documentation) plus its union type.
 * Field names and values follow docs/API.md, which is binding.
 */

/** Where a transfer of responsibility is in its lifecycle (DESIGN §3). */
export const TRANSFER_STATUSES = [
  'draft', // being prepared by the sending team; invisible to the receiving side
  'awaiting_contact', // initiated; the receiving team must have a direct conversation
  'contact_recorded', // the receiving team recorded the conversation; sending side must check back
  'contact_confirmed', // the sending side agreed the record; the receiving team may accept
  'awaiting_conference', // child protection: transfer-in accepted; the sending side stays accountable until the written outcome of the conference
  'accepted', // responsibility has passed to the receiving team's lead practitioner
  'notification_acknowledged', // a host notification: the host team named its contact; the sending side stays accountable
  'returned', // the receiving team sent it back with a reason; the sending side stays accountable
  'cancelled', // withdrawn by the sending side (e.g. the family did not move)
  'closed', // accepted and every chase item closed
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/**
 * Statuses in which the children are "in the gap": initiated, but not yet accepted.
 * These are what the monitoring view lists as unconfirmed.
 */
export const UNCONFIRMED_STATUSES = [
  'awaiting_contact',
  'contact_recorded',
  'contact_confirmed',
] as const satisfies readonly TransferStatus[];
export type UnconfirmedStatus = (typeof UNCONFIRMED_STATUSES)[number];

/**
 * Statuses in which a transfer-in conference still to be held can fall overdue: the family is
 * between the two areas (before acceptance, and accepted in awaiting the conference).
 */
export const CONFERENCE_PENDING_STATUSES = [
  ...UNCONFIRMED_STATUSES,
  'awaiting_conference',
] as const satisfies readonly TransferStatus[];

/** Level of children's-services involvement with the family; drives the contact clock. */
/** What a transfer-in child protection conference decided. */
export const CONFERENCE_OUTCOMES = ['plan_continues', 'plan_not_continued'] as const;
export type ConferenceOutcome = (typeof CONFERENCE_OUTCOMES)[number];

export function isConferenceOutcome(value: unknown): value is ConferenceOutcome {
  return typeof value === 'string' && (CONFERENCE_OUTCOMES as readonly string[]).includes(value);
}

/**
 * Where the 15 working days to the transfer-in conference are counted from (procedures differ:
 * notification of the move in some, acceptance of the referral in others).
 */
export const CONFERENCE_CLOCK_STARTS = ['initiation', 'acceptance'] as const;
export type ConferenceClockStart = (typeof CONFERENCE_CLOCK_STARTS)[number];

export const INVOLVEMENTS = ['universal', 'early_help', 'child_in_need', 'child_protection', 'looked_after'] as const;
export type Involvement = (typeof INVOLVEMENTS)[number];

export const MOVE_TYPES = ['permanent', 'temporary', 'unknown'] as const;
export type MoveType = (typeof MOVE_TYPES)[number];

/**
 * What a transfer is (issue 13 items 2 and 3): a `transfer` of responsibility, or a
 * `host_notification` — the host area is told and names a contact, the sending area keeps
 * responsibility for good (looked-after children and statutory orders, Sussex 1.7.5; a short
 * temporary stay recorded so, Tees).
 */
export const TRANSFER_KINDS = ['transfer', 'host_notification'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** A statutory order a child is subject to (a household-member field): any makes the transfer a host notification. */
export const STATUTORY_ORDERS = [
  'care_order',
  'interim_care_order',
  'supervision_order',
  'emergency_protection_order',
  'other',
] as const;
export type StatutoryOrder = (typeof STATUTORY_ORDERS)[number];

/** How the sending side chose to record a temporary stay shorter than the short-stay threshold. */
export const SHORT_STAY_RECORD_AS = ['host_notification', 'transfer'] as const;
export type ShortStayRecordAs = (typeof SHORT_STAY_RECORD_AS)[number];

/** Why a transfer is a host notification. */
export const HOST_NOTIFICATION_GROUNDS = ['looked_after', 'statutory_order', 'short_temporary_stay'] as const;
export type HostNotificationGround = (typeof HOST_NOTIFICATION_GROUNDS)[number];

export const MEMBER_ROLES = [
  'child',
  'mother',
  'father',
  'step_parent',
  'partner',
  'grandparent',
  'sibling_adult',
  'other_adult',
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const SEXES = ['female', 'male', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** Children only. `non_mobile` is what a practitioner recorded; see risk-flags.ts for age rules. */
export const MOBILITIES = ['non_mobile', 'mobile', 'unknown'] as const;
export type Mobility = (typeof MOBILITIES)[number];

export const GP_STATUSES = ['registered', 'not_registered', 'unknown'] as const;
export type GpStatus = (typeof GP_STATUSES)[number];

export const RISK_FACTORS = [
  'offending',
  'substance_misuse',
  'domestic_abuse',
  'mental_health',
  'learning_disability',
  'other',
] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

export const CONCERN_TYPES = [
  'bruising',
  /** A mark that might be a bruise: counts as a bruise (issue 14 item 4). */
  'possible_bruise',
  'injury',
  'weight_faltering',
  'parental_vulnerability',
  'neglect',
  'domestic_abuse',
  'other',
] as const;
export type ConcernType = (typeof CONCERN_TYPES)[number];

/**
 * Concern types that count as a bruise or injury for the critical flags (DESIGN §4). A "mark that
 * might be a bruise" (`possible_bruise`) counts as a bruise (issue 14 item 4).
 */
export const BRUISE_OR_INJURY_CONCERNS = [
  'bruising',
  'possible_bruise',
  'injury',
] as const satisfies readonly ConcernType[];

/**
 * What the bruising protocol asks for when a bruise or injury is seen on a child who is not
 * independently mobile (issue 14 item 4; CSPRP 2022 briefing): a health assessment (by whom, when),
 * a referral to children's social care or MASH (when, its reference), a multi-agency discussion
 * (when, its outcome), and the parents' explanation in their words.
 */
export const BRUISING_PROTOCOL_ITEMS = [
  'health_assessment',
  'referral',
  'multi_agency_discussion',
  'parents_explanation',
] as const;
export type BruisingProtocolItem = (typeof BRUISING_PROTOCOL_ITEMS)[number];

/** Each protocol item as a practitioner reads it (flag summaries, refusals, packet, console). */
export const BRUISING_PROTOCOL_ITEM_WORDS: Readonly<Record<BruisingProtocolItem, string>> = {
  health_assessment: 'health assessment',
  referral: "referral to children's social care or MASH",
  multi_agency_discussion: 'multi-agency discussion',
  parents_explanation: "parents' explanation",
};

export function isBruisingProtocolItem(value: unknown): value is BruisingProtocolItem {
  return (BRUISING_PROTOCOL_ITEMS as readonly unknown[]).includes(value);
}

/**
 * An appointment's status. Signs of non-engagement (issue 14 item 5): `no_access` — a home visit
 * where no one answered; `cancelled_by_carer`; `rescheduled` (by the carer, with the new date).
 */
export const APPOINTMENT_STATUSES = [
  'scheduled',
  'attended',
  'was_not_brought',
  'cancelled',
  'no_access',
  'cancelled_by_carer',
  'rescheduled',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/**
 * Appointment statuses that leave a loose end to chase: not yet held (`scheduled`, `rescheduled`),
 * or missed (`was_not_brought`, `no_access`, `cancelled_by_carer`, which need a rebooked date).
 */
export const OUTSTANDING_APPOINTMENT_STATUSES = [
  'scheduled',
  'was_not_brought',
  'no_access',
  'cancelled_by_carer',
  'rescheduled',
] as const satisfies readonly AppointmentStatus[];

/** A child not seen: not brought, or no one answered the door (WAS_NOT_BROUGHT counts both). */
export const MISSED_APPOINTMENT_STATUSES = [
  'was_not_brought',
  'no_access',
] as const satisfies readonly AppointmentStatus[];

/** The carer called it off or moved it (REPEATED_CANCELLATIONS counts them across the family). */
export const CARER_CANCELLATION_STATUSES = [
  'cancelled_by_carer',
  'rescheduled',
] as const satisfies readonly AppointmentStatus[];

/** The outcomes `POST /v1/appointments/:id/outcome` records. */
export const APPOINTMENT_OUTCOMES = [
  'attended',
  'was_not_brought',
  'no_access',
  'cancelled_by_carer',
  'rescheduled',
] as const satisfies readonly AppointmentStatus[];
export type AppointmentOutcomeStatus = (typeof APPOINTMENT_OUTCOMES)[number];

/**
 * How a direct contact happened. Only conversations count: "information sharing alone does
 * not safeguard". Email, letter and message are deliberately absent.
 */
export const CONTACT_METHODS = ['phone', 'video', 'in_person', 'meeting'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export function isContactMethod(value: unknown): value is ContactMethod {
  return typeof value === 'string' && (CONTACT_METHODS as readonly string[]).includes(value);
}

export const PRACTITIONER_ROLES = ['practitioner', 'manager', 'safeguarding_lead', 'admin'] as const;
export type PractitionerRole = (typeof PRACTITIONER_ROLES)[number];

export const TEAM_SERVICES = [
  'childrens_social_care',
  'early_help',
  'health_visiting',
  'school_nursing',
  'mash',
  'other',
] as const;
export type TeamService = (typeof TEAM_SERVICES)[number];

/** One loose end that is chased until closed with evidence (DESIGN §6). */
export const CHASE_KINDS = [
  'gp_registration', // per household member (children and adults) whose GP status is not `registered`
  'appointment', // per outstanding appointment
  'agreed_action', // per action agreed in the direct contact
  'transfer_in_conference', // child protection only
  'direct_contact', // per transfer round, until the transfer is accepted (a recorded, checked-back conversation is what acceptance needs)
  'move_review', // a temporary transfer at its review date (reviewOn, or the move-review threshold): is the move now permanent?
  'child_seen', // per child, from initiation: has someone in the receiving area seen the child? (issue 14 item 1; owned by the receiving side)
  // the family not reached (issue 14 item 2): one per locate check, closed with what was found…
  'locate_family_members',
  'locate_education_setting',
  'locate_health_registration',
  'locate_police_welfare_check',
  'locate_strategy_discussion',
  // …and the safeguarding lead's national alert decision, due N working days after the report (at once for child protection)
  'national_alert',
] as const;
export type ChaseKind = (typeof CHASE_KINDS)[number];

/** Where a receiving practitioner saw the child (issue 14 item 1). */
export const CHILD_SEEN_PLACES = ['home', 'clinic', 'school', 'other'] as const;
export type ChildSeenPlace = (typeof CHILD_SEEN_PLACES)[number];

export function isChildSeenPlace(value: unknown): value is ChildSeenPlace {
  return typeof value === 'string' && (CHILD_SEEN_PLACES as readonly string[]).includes(value);
}

export const CHASE_ITEM_STATUSES = ['open', 'closed'] as const;
export type ChaseItemStatus = (typeof CHASE_ITEM_STATUSES)[number];

/**
 * How a chase item was closed. The first four need evidence (API.md, chase items);
 * `no_longer_required` is a manager's decision with a reason. The rest are set by the
 * lifecycle, never by time alone:
 * - `not_required`: the transfer was cancelled (with a reason) so nothing is left to chase;
 * - `accepted`: the direct-contact item, closed when the transfer is accepted (after its direct
 *   conversation was recorded and checked back by the sending side);
 * - `superseded`: replaced by a new direct-contact chase (transfer returned or re-initiated);
 * - `acknowledged`: the direct-contact item of a host notification, closed when the host team
 *   acknowledges it (after the same recorded, checked-back conversation).
 * A `move_review` closes with the answer: `still_temporary` (with the next review date) or
 * `now_permanent` (the transfer's moveType becomes permanent).
 */
export const CHASE_RESOLUTIONS = [
  'registered',
  'attended',
  'completed',
  'held',
  'no_longer_required',
  'not_required',
  'accepted',
  'superseded',
  'acknowledged',
  'still_temporary',
  'now_permanent',
  'seen', // child_seen: a receiving practitioner recorded the child seen (POST /v1/transfers/:id/children/:memberId/seen)
  // the family not reached (issue 14 item 2), set by the route's own commands:
  'checked', // a locate check closed with what was found (POST /v1/transfers/:id/locate-checks/:check/close)
  'decided', // the national alert decision recorded (POST /v1/transfers/:id/national-alert)
  'family_found', // the family found: the route's open items are no longer needed
] as const;
export type ChaseResolution = (typeof CHASE_RESOLUTIONS)[number];

/** 0: owner only; 1: owner + team manager; 2: owner + manager + both areas' safeguarding leads. */
export const ESCALATION_LEVELS = [0, 1, 2] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
export const MAX_ESCALATION_LEVEL: EscalationLevel = 2;

export const RISK_FLAG_SEVERITIES = ['critical', 'high', 'medium'] as const;
export type RiskFlagSeverity = (typeof RISK_FLAG_SEVERITIES)[number];

/** Risk flag codes, most severe first (DESIGN §4). */
export const RISK_FLAG_CODES = [
  'NON_MOBILE_INFANT_BRUISING',
  'SAFEGUARDING_ADVICE_NOT_SOUGHT',
  'NO_GP_REGISTRATION',
  'WAS_NOT_BROUGHT',
  'REPEATED_CANCELLATIONS',
  'ADULT_RISK_IN_HOUSEHOLD',
  'MALE_CARER_NOT_ENGAGED',
  'LEFT_SUPPORT_NETWORK',
  'WEIGHT_CONCERN',
  'PARENTAL_VULNERABILITY',
  'NHS_NUMBER_MISSING',
  'CONFERENCE_OVERDUE',
  'FAMILY_NOT_REACHED',
] as const;
export type RiskFlagCode = (typeof RISK_FLAG_CODES)[number];

export const RISK_FLAG_SEVERITY: Readonly<Record<RiskFlagCode, RiskFlagSeverity>> = {
  NON_MOBILE_INFANT_BRUISING: 'critical',
  SAFEGUARDING_ADVICE_NOT_SOUGHT: 'critical',
  NO_GP_REGISTRATION: 'high',
  WAS_NOT_BROUGHT: 'high',
  REPEATED_CANCELLATIONS: 'high',
  ADULT_RISK_IN_HOUSEHOLD: 'high',
  MALE_CARER_NOT_ENGAGED: 'medium',
  LEFT_SUPPORT_NETWORK: 'medium',
  WEIGHT_CONCERN: 'medium',
  PARENTAL_VULNERABILITY: 'medium',
  NHS_NUMBER_MISSING: 'medium',
  CONFERENCE_OVERDUE: 'high',
  FAMILY_NOT_REACHED: 'critical',
};

/**
 * Flags raised by a clock rather than by the family's facts (clockFlags in risk-flags.ts): never
 * stored with the facts' flags, computed for the moment they are read.
 */
export const CLOCK_FLAG_CODES = ['CONFERENCE_OVERDUE'] as const satisfies readonly RiskFlagCode[];

/** Flags raised by a route the practitioners open rather than by the facts (family-not-reached.ts). */
export const ROUTE_FLAG_CODES = ['FAMILY_NOT_REACHED'] as const satisfies readonly RiskFlagCode[];

export function isRiskFlagCode(value: unknown): value is RiskFlagCode {
  return typeof value === 'string' && (RISK_FLAG_CODES as readonly string[]).includes(value);
}

/**
 * Is a household member a father or male carer, for the "male carer recorded" precondition
 * and the MALE_CARER_NOT_ENGAGED flag?
 *
 * Decision: a `father` always counts (whatever sex is recorded); a `step_parent` or `partner`
 * counts when their sex is recorded as `male`. Grandparents, adult siblings and other adults
 * are not treated as carers in the parental sense. A step-parent or partner whose sex is
 * `unknown` does not count: record the sex (or give `noMaleCarerReason`) — the review's lesson
 * is to find out who the men in the household are, not to assume.
 */
export function isMaleCarerRole(role: MemberRole | null, sex: Sex | null): boolean {
  if (role === 'father') return true;
  if (role === 'step_parent' || role === 'partner') return sex === 'male';
  return false;
}

/**
 * Roles counted as parents/carers for PARENTAL_VULNERABILITY (a mental-health or learning-
 * disability risk factor). Decision: mothers and fathers as DESIGN says, plus step-parents and
 * partners, who care for the children just as much.
 */
export const PARENT_CARER_ROLES = [
  'mother',
  'father',
  'step_parent',
  'partner',
] as const satisfies readonly MemberRole[];

export function isParentOrCarerRole(role: MemberRole | null): boolean {
  return role !== null && (PARENT_CARER_ROLES as readonly MemberRole[]).includes(role);
}

/**
 * Transfer requests (issue 14 item 3): a practitioner who finds that a family known to another area
 * has moved in asks the originating team to transfer. Open until the originating team answers.
 */
export const TRANSFER_REQUEST_STATUSES = ['open', 'will_transfer', 'declined'] as const;
export type TransferRequestStatus = (typeof TRANSFER_REQUEST_STATUSES)[number];

/** The originating team's two answers. */
export const TRANSFER_REQUEST_DECISIONS = ['will_transfer', 'declined'] as const;
export type TransferRequestDecision = (typeof TRANSFER_REQUEST_DECISIONS)[number];

/** Issue 14 item 2: how an attempt to reach the family failed. */
export const NOT_REACHED_METHODS = [
  'home_visit_no_access',
  'phone_no_answer',
  'not_at_address',
  'letter_returned',
  'other',
] as const;
export type NotReachedMethod = (typeof NOT_REACHED_METHODS)[number];

/** Issue 14 item 2: the locate checklist a family not reached opens, each closed with what was found. */
export const LOCATE_CHECKS = [
  'family_members', // known family members contacted
  'education_setting', // the education setting (and whether the pupil file moved)
  'health_registration', // GP, health visiting or MASH health checked for a new registration
  'police_welfare_check', // police asked for a concern-for-welfare check
  'strategy_discussion', // a strategy discussion held
] as const;
export type LocateCheck = (typeof LOCATE_CHECKS)[number];

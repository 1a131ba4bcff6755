/**
 * The facts about a family that the rules read: who lives in the household, what worries
 * practitioners, which appointments are outstanding. Names, addresses and free text that the
 * rules do not need are deliberately absent, so nothing here can leak into a flag or an email.
 *
 * Every member, concern and appointment is referred to by its stable `id` (the persistence
 * layer's key; API `household[].id`). Local dates are `YYYY-MM-DD` strings.
 */
import type {
  AppointmentStatus,
  ConcernType,
  GpStatus,
  Involvement,
  MemberRole,
  Mobility,
  MoveType,
  RiskFactor,
  Sex,
  ShortStayRecordAs,
  StatutoryOrder,
} from './vocabulary.js';

/** Another agency's involvement with a member, e.g. { agency: 'probation', area: 'london' }. */
export interface AgencyInvolvement {
  /** Free text from the API; compared case-insensitively (see risk-flags.ts, PROBATION_AGENCIES). */
  readonly agency: string;
  readonly area: string | null;
  readonly detail: string | null;
}

export interface MemberFacts {
  readonly id: string;
  /** null while a draft is being built up; initiation requires every member to have one. */
  readonly role: MemberRole | null;
  readonly dateOfBirth: string | null;
  readonly sex: Sex;
  readonly nhsNumber: string | null;
  /** Children: as recorded by a practitioner. null = not recorded. */
  readonly mobility: Mobility | null;
  /**
   * Children of any age recorded as not independently mobile (disabled or developmentally delayed
   * children; issue 14 item 4). Absent/null = not recorded.
   */
  readonly notIndependentlyMobile?: boolean | null;
  /** Adults: has a practitioner seen and spoken with them? null = not known / never seen. */
  readonly engaged: boolean | null;
  /** status null = not recorded yet; initiation requires it for every child. */
  readonly gp: { readonly status: GpStatus | null };
  readonly involvements: readonly AgencyInvolvement[];
  readonly riskFactors: readonly RiskFactor[];
  /** Children: the statutory order they are subject to, if any (makes the transfer a host notification). */
  readonly statutoryOrder?: StatutoryOrder | null;
}

export interface ConcernFacts {
  readonly memberId: string;
  readonly type: ConcernType;
  readonly observedOn: string;
  /** For a bruise or injury: was safeguarding advice sought? null = not recorded (treated as no). */
  readonly safeguardingAdviceSought: boolean | null;
  /**
   * For a bruise or injury: what of the bruising protocol is recorded (issue 14 item 4), by date
   * only — who assessed, the referral's reference, the discussion's outcome and the parents' words
   * are free text the rules never read. Absent/null = nothing recorded.
   */
  readonly protocol?: BruisingProtocolFacts | null;
}

/** The bruising protocol's record of one concern, as the rules read it: a date where an item is recorded. */
export interface BruisingProtocolFacts {
  /** The health assessment's date (recorded with who did it); null = none recorded. */
  readonly healthAssessmentOn: string | null;
  /** The referral to children's social care or MASH (recorded with its reference); null = none. */
  readonly referralOn: string | null;
  /** The multi-agency discussion (recorded with its outcome); null = none. */
  readonly multiAgencyDiscussionOn: string | null;
  /** Whether the parents' explanation, in their words, is recorded. */
  readonly parentsExplanationRecorded: boolean;
}

export interface AppointmentFacts {
  readonly id: string;
  readonly memberId: string;
  readonly status: AppointmentStatus;
  readonly dueOn: string;
  /**
   * How many times the carer cancelled or rescheduled this appointment, as outcomes recorded it
   * (absent: 1 if its status is cancelled_by_carer or rescheduled, else 0). See carerCancellationsOf.
   */
  readonly carerCancellations?: number;
}

/** The carer's cancellations and reschedules of one appointment, at least its current status's. */
export function carerCancellationsOf(a: Pick<AppointmentFacts, 'status' | 'carerCancellations'>): number {
  const byStatus = a.status === 'cancelled_by_carer' || a.status === 'rescheduled' ? 1 : 0;
  return Math.max(a.carerCancellations ?? 0, byStatus);
}

/** The sending side's choice for a temporary stay shorter than the short-stay threshold, and why. */
export interface ShortStayChoice {
  readonly recordAs: ShortStayRecordAs;
  /** Free text: never copied into a flag, an email or a log. */
  readonly reason: string;
}

/**
 * The lawful basis for sharing the family's information with the new area (issue 13 item 4): the
 * family's consent (who gave it, when), or sharing without consent to safeguard a child, with the
 * rationale and the sending-team manager who approved it (`approvedBy`: that practitioner as the
 * store found them, for the initiation's check; null when the id names no one).
 */
/** The lawful bases for sharing a family's information with the new area. */
export const SHARING_BASES = ['consent', 'safeguarding_without_consent'] as const;

export type SharingBasis =
  | { readonly basis: 'consent'; readonly givenBy: string; readonly givenOn: string }
  | {
      readonly basis: 'safeguarding_without_consent';
      /** Free text: never copied into a flag, an email or a log. */
      readonly rationale: string;
      readonly approvedById: string;
      readonly approvedBy?: {
        readonly role: string;
        readonly teamId: string | null;
        readonly active: boolean;
      } | null;
    };

/** Whether the family has been told of the transfer: when, or why not (free text). */
export type FamilyInformed = { readonly on: string } | { readonly notInformedReason: string };

export interface TransferFacts {
  readonly involvement: Involvement;
  readonly moveDate: string;
  /** permanent | temporary | unknown; absent in older fixtures = unknown. */
  readonly moveType?: MoveType;
  /** Temporary moves: the date the stay is expected to end (YYYY-MM-DD). */
  readonly expectedUntil?: string | null;
  /** Temporary moves: the date the move is to be reviewed (YYYY-MM-DD). */
  readonly reviewOn?: string | null;
  /** Temporary stays shorter than the short-stay threshold: recorded as a host notification or a transfer. */
  readonly shortStayChoice?: ShortStayChoice | null;
  /** Required at initiation (issue 13 item 4); absent in older fixtures = not recorded. */
  readonly sharingBasis?: SharingBasis | null;
  /** Required at initiation (issue 13 item 4); absent in older fixtures = not recorded. */
  readonly familyInformed?: FamilyInformed | null;
  readonly leftSupportNetwork: boolean;
  /** Free text (may hold names): never copied into a flag summary. */
  readonly supportNetworkNote: string | null;
  /** The sending practitioner has confirmed who lives in the household. */
  readonly householdConfirmed: boolean;
  /** Why no father/male carer is recorded; required when none is. */
  readonly noMaleCarerReason: string | null;
  readonly household: readonly MemberFacts[];
  readonly concerns: readonly ConcernFacts[];
  readonly appointments: readonly AppointmentFacts[];
}

export function isChild(member: Pick<MemberFacts, 'role'>): boolean {
  return member.role === 'child';
}

/** Anyone not recorded as a child (a member with no role yet counts as an adult, to be safe). */
export function isAdult(member: Pick<MemberFacts, 'role'>): boolean {
  return member.role !== 'child';
}

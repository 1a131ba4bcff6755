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
  RiskFactor,
  Sex,
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
  /** Adults: has a practitioner seen and spoken with them? null = not known / never seen. */
  readonly engaged: boolean | null;
  /** status null = not recorded yet; initiation requires it for every child. */
  readonly gp: { readonly status: GpStatus | null };
  readonly involvements: readonly AgencyInvolvement[];
  readonly riskFactors: readonly RiskFactor[];
}

export interface ConcernFacts {
  readonly memberId: string;
  readonly type: ConcernType;
  readonly observedOn: string;
  /** For a bruise or injury: was safeguarding advice sought? null = not recorded (treated as no). */
  readonly safeguardingAdviceSought: boolean | null;
}

export interface AppointmentFacts {
  readonly id: string;
  readonly memberId: string;
  readonly status: AppointmentStatus;
  readonly dueOn: string;
}

export interface TransferFacts {
  readonly involvement: Involvement;
  readonly moveDate: string;
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

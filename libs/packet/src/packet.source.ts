import type {
  AppointmentStatus,
  FamilyNotReachedState,
  BruisingProtocolItem,
  ConcernType,
  ConferenceOutcome,
  GpStatus,
  Involvement,
  MemberRole,
  Mobility,
  MoveType,
  RiskFactor,
  RiskFlag,
  RiskFlagCode,
  Sex,
  ShortStayChoice,
  StatutoryOrder,
  TransferKind,
  TransferStatus,
} from '@fh/domain';

/**
 * What a packet is built from: a snapshot of one transfer, in this library's own terms. It names only
 * what the packet shows, so libs/packet depends on the domain alone, never on how rows are stored;
 * a persistence record that has these fields (libs/persistence's TransferRecord does) can be passed as is.
 */
export interface PacketSource {
  transfer: PacketSourceTransfer;
  members: PacketSourceMember[];
  concerns: PacketSourceConcern[];
  appointments: PacketSourceAppointment[];
  /** This round's contacts, oldest first (disputed ones kept). */
  contacts: PacketSourceContact[];
  /** This round's safeguarding-lead acknowledgements, every one kept, oldest first (several leads may advise on one flag). */
  acknowledgements: PacketSourceAcknowledgement[];
  /** Each child's latest child_seen item (issue 14 item 1); none before initiation. */
  childrenSeen?: PacketSourceChildSeen[];
  /** The latest family-not-reached route (issue 14 item 2), open or ended; null when there was none. */
  notReached?: FamilyNotReachedState | null;
}

/** A child seen in the new area, or not yet (the child's child_seen item and its record). */
export interface PacketSourceChildSeen {
  memberId: string;
  status: 'open' | 'closed';
  resolution: string | null;
  dueOn: string | null;
  seen: {
    seenOn: string;
    seenByName: string | null;
    where: string;
    seenAlone: boolean;
    note: string | null;
  } | null;
}

export interface PacketSourceTransfer {
  id: string;
  reference: string;
  status: TransferStatus;
  involvement: Involvement;
  moveDate: string;
  moveType: MoveType;
  reason: string | null;
  previousAddressArea: string | null;
  newAddress: {
    line1?: string;
    line2?: string | null;
    town?: string;
    postcode?: string;
    /** Issue 13 item 5: readable only by the practitioners named on the transfer and both areas' leads. */
    confidential?: boolean;
  } | null;
  /** Issue 13 item 4 (absent or null: not recorded); without consent, the approver's name. */
  sharingBasis?:
    | { basis: 'consent'; givenBy: string; givenOn: string }
    | {
        basis: 'safeguarding_without_consent';
        rationale: string;
        approvedById: string;
        approvedBy?: { name: string } | null;
      }
    | null;
  familyInformed?: { on: string } | { notInformedReason: string } | null;
  leftSupportNetwork: boolean;
  supportNetworkNote: string | null;
  householdConfirmed: boolean;
  noMaleCarerReason: string | null;
  sendingTeamId: string;
  sendingTeamName: string;
  sendingAreaCode: string;
  sendingAreaName: string;
  receivingTeamId: string;
  receivingTeamName: string;
  receivingAreaCode: string;
  receivingAreaName: string;
  accountablePractitionerId: string;
  accountablePractitionerName: string;
  accountablePractitionerTeamId: string | null;
  riskFlags: RiskFlag[];
  contactDueAt: Date | null;
  createdAt: Date;
  initiatedAt: Date | null;
  /** Issue 13 items 2 and 3 (absent in older sources = a transfer of responsibility, nothing temporary recorded). */
  kind?: TransferKind;
  hostContactPractitionerName?: string | null;
  expectedUntil?: string | null;
  reviewOn?: string | null;
  shortStayChoice?: ShortStayChoice | null;
  /**
   * Child protection (issue 13 item 1), absent in older sources: the receiving lead running the plan
   * as interim lead until the written outcome, and the transfer-in conference.
   */
  interimLeadName?: string | null;
  conferenceDueAt?: Date | null;
  conferenceHeldOn?: string | null;
  conferenceOutcome?: ConferenceOutcome | null;
  conferenceChair?: string | null;
  conferenceNotes?: string | null;
  conferenceReceivedOn?: string | null;
}

export interface PacketSourceMember {
  id: string;
  ref: string;
  role: MemberRole | null;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: Sex;
  nhsNumber: string | null;
  livesInHousehold: boolean;
  mobility: Mobility | null;
  engaged: boolean | null;
  gp: {
    status: GpStatus | null;
    practiceOds: string | null;
    practiceName: string | null;
  };
  /** Children: a statutory order (issue 13 item 2); absent in older sources. */
  statutoryOrder?: StatutoryOrder | null;
  /** Children of any age recorded as not independently mobile (issue 14 item 4); absent in older sources. */
  notIndependentlyMobile?: boolean | null;
  involvements: { agency: string; area: string | null; detail: string | null }[];
  riskFactors: RiskFactor[];
}

export interface PacketSourceConcern {
  id: string;
  memberId: string;
  type: ConcernType;
  observedOn: string;
  description: string | null;
  safeguardingAdviceSought: boolean | null;
  /** The bruising protocol's record (issue 14 item 4); each part null (or absent in older sources) until recorded. */
  healthAssessment?: { by: string; on: string } | null;
  referral?: { on: string; reference: string } | null;
  multiAgencyDiscussion?: { on: string; outcome: string } | null;
  /** The parents' explanation, in their words. */
  parentsExplanation?: string | null;
}

export interface PacketSourceAppointment {
  id: string;
  memberId: string;
  kind: string;
  provider: string | null;
  dueOn: string;
  status: AppointmentStatus;
  attendedOn: string | null;
  rebookedFor: string | null;
  /** rescheduled: the new date. */
  rescheduledFor?: string | null;
}

export interface PacketSourceContact {
  id: string;
  round: number;
  occurredAt: Date;
  method: string;
  sendingPractitionerId: string;
  sendingPractitionerName: string | null;
  recordedById: string;
  recordedByName: string | null;
  summary: string;
  flagAcknowledgements: { code: RiskFlagCode; understanding: string }[];
  state: 'pending' | 'confirmed' | 'disputed';
  checkedById: string | null;
  checkedByName: string | null;
  checkedAt: Date | null;
  disputeComment: string | null;
  recordedAt: Date;
  agreedActions: {
    id: string;
    description: string;
    owner: 'sending' | 'receiving';
    dueOn: string;
    reviewOn: string | null;
  }[];
}

export interface PacketSourceAcknowledgement {
  code: RiskFlagCode;
  advice: string;
  /** What the lead said was done about each missing item of the bruising protocol (issue 14 item 4). */
  actions?: { item: BruisingProtocolItem; action: string }[];
  acknowledgedById: string;
  acknowledgedByName: string | null;
  acknowledgedAt: Date;
}

import type { ChildSeenRow } from '../chase-items.repository.js';
import type { NotReachedRecord } from './not-reached.js';
import type {
  AppointmentStatus,
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
  SharingBasis,
  FamilyInformed,
  StatutoryOrder,
  TransferKind,
  TransferStatus,
} from '@fh/domain';

/** A transfer as stored, with what the API shows beside it (team and area names). */
export interface TransferRow {
  id: string;
  reference: string;
  status: TransferStatus;
  version: number;
  round: number;
  involvement: Involvement;
  moveDate: string;
  moveType: MoveType;
  /** transfer | host_notification, as the rules last decided from the facts. */
  kind: TransferKind;
  expectedUntil: string | null;
  reviewOn: string | null;
  shortStayChoice: ShortStayChoice | null;
  /** Issue 13 item 4; without consent, the approver as stored now (`approvedBy`, null if the id names no one). */
  sharingBasis:
    | Extract<SharingBasis, { basis: 'consent' }>
    | (Omit<Extract<SharingBasis, { basis: 'safeguarding_without_consent' }>, 'approvedBy'> & {
        approvedBy: { name: string; role: string; teamId: string | null; active: boolean } | null;
      })
    | null;
  familyInformed: FamilyInformed | null;
  hostContactPractitionerId: string | null;
  hostContactPractitionerName: string | null;
  notificationAcknowledgedAt: Date | null;
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
  leftSupportNetwork: boolean;
  supportNetworkNote: string | null;
  householdConfirmed: boolean;
  noMaleCarerReason: string | null;
  sendingTeamId: string;
  sendingTeamName: string;
  sendingAreaId: string;
  sendingAreaCode: string;
  sendingAreaName: string;
  receivingTeamId: string;
  receivingTeamName: string;
  receivingAreaId: string;
  receivingAreaCode: string;
  receivingAreaName: string;
  accountablePractitionerId: string;
  accountablePractitionerName: string;
  accountablePractitionerTeamId: string | null;
  riskFlags: RiskFlag[];
  contactDueAt: Date | null;
  returnReason: string | null;
  cancelReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  initiatedAt: Date | null;
  acceptedAt: Date | null;
  returnedAt: Date | null;
  cancelledAt: Date | null;
  closedAt: Date | null;
  /** Set when the retention sweep erased the family data: the row is then the tombstone (issue 12 item 12). */
  erasedAt: Date | null;
  /** Child protection, between `accept` and the written confirmation: the receiving lead running the plan. */
  interimLeadId: string | null;
  interimLeadName: string | null;
  interimLeadTeamId: string | null;
  /** The transfer-in conference (child protection): when due, and once held, what it decided. */
  conferenceDueAt: Date | null;
  conferenceHeldOn: string | null;
  conferenceOutcome: ConferenceOutcome | null;
  conferenceChair: string | null;
  conferenceNotes: string | null;
  conferenceRecordedById: string | null;
  conferenceRecordedAt: Date | null;
  /** When the sending side received the written outcome (accountability passed then). */
  conferenceReceivedOn: string | null;
  conferenceConfirmedById: string | null;
  conferenceConfirmedAt: Date | null;
}

export interface InvolvementRecord {
  agency: string;
  area: string | null;
  detail: string | null;
}

export interface MemberRecord {
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
  gp: { status: GpStatus | null; practiceOds: string | null; practiceName: string | null };
  involvements: InvolvementRecord[];
  riskFactors: RiskFactor[];
  statutoryOrder: StatutoryOrder | null;
  /** Children of any age recorded as not independently mobile (issue 14 item 4); null = not recorded. */
  notIndependentlyMobile: boolean | null;
}

export interface ConcernRecord {
  id: string;
  memberId: string;
  type: ConcernType;
  observedOn: string;
  description: string | null;
  safeguardingAdviceSought: boolean | null;
  /** The bruising protocol's record (issue 14 item 4); each part null until recorded. Free text sealed at rest. */
  healthAssessment: { by: string; on: string } | null;
  referral: { on: string; reference: string } | null;
  multiAgencyDiscussion: { on: string; outcome: string } | null;
  /** The parents' explanation, in their words. */
  parentsExplanation: string | null;
}

export interface AppointmentRecord {
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
  /** How often the carer cancelled or rescheduled it (recorded outcomes; kept across revisions). */
  carerCancellations?: number;
}

export interface AgreedActionRecord {
  id: string;
  description: string;
  owner: 'sending' | 'receiving';
  dueOn: string;
  reviewOn: string | null;
}

export interface DirectContactRecord {
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
  agreedActions: AgreedActionRecord[];
}

export interface FlagAcknowledgementRecord {
  code: RiskFlagCode;
  advice: string;
  /** What was done about each item the bruising protocol was missing (issue 14 item 4); [] when none was. */
  actions: { item: BruisingProtocolItem; action: string }[];
  acknowledgedById: string;
  acknowledgedByName: string | null;
  acknowledgedAt: Date;
}

/** Everything about one transfer, loaded in a fixed number of queries. */
export interface TransferRecord {
  transfer: TransferRow;
  members: MemberRecord[];
  concerns: ConcernRecord[];
  appointments: AppointmentRecord[];
  /** This round's contacts, oldest first (disputed ones kept). */
  contacts: DirectContactRecord[];
  /** This round's safeguarding-lead acknowledgements, every one kept, oldest first (several per flag when several leads advised). */
  acknowledgements: FlagAcknowledgementRecord[];
  /** The newest handover packet version, if one has been generated. */
  latestPacket: PacketSummary | null;
  /** Each child's latest child_seen item with its record (none before initiation). */
  childrenSeen: ChildSeenRow[];
  /** The family not reached (issue 14 item 2): the latest route, open or found; null when never reported. */
  notReached: NotReachedRecord | null;
}

/** Which packet version is the latest, without its content. */
export interface PacketSummary {
  version: number;
  sha256: string;
  generatedAt: Date;
}

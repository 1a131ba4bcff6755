/**
 * The handover packet: what the receiving practitioner reads, as data. Reading order is the order
 * of the fields below: the transfer (reference, areas, teams, who is accountable, the contact
 * deadline), the risk flags (most severe first), then `sections` in array order. Arrays keep their
 * order through canonical JSON; object keys do not need to.
 *
 * Every code is accompanied by its words (`…Text`, `title`, `meaning`), so nothing a practitioner
 * reads is an internal code without its meaning. Dates are `YYYY-MM-DD`; instants ISO-8601 UTC.
 */
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
  RiskFlagCode,
  RiskFlagSeverity,
  Sex,
  TransferStatus,
} from '@fh/domain';

export const PACKET_FORMAT = 'family-handover-packet/1';

/** Someone in the household, as other parts of the packet refer to them. */
export interface PacketPersonRef {
  memberId: string;
  name: string;
  /** Their role in words ("Father", "Mother’s partner", "Daughter"). */
  roleText: string;
}

export interface PacketTeam {
  area: string;
  areaName: string;
  teamId: string;
  teamName: string;
}

export interface PacketTransfer {
  id: string;
  reference: string;
  status: TransferStatus;
  statusText: string;
  involvement: Involvement;
  involvementText: string;
  from: PacketTeam;
  to: PacketTeam;
  accountablePractitioner: { id: string; name: string; teamName: string; side: 'sending' | 'receiving'; text: string };
  initiatedAt: string | null;
  contactDueAt: string | null;
  /** When the direct conversation is due, in words ("By 17:00 on Mon 30 Nov 2026"). */
  contactDueText: string;
  move: {
    date: string;
    type: MoveType;
    typeText: string;
    reason: string | null;
    previousArea: string | null;
    /**
     * The new address in one line; a confidential one (issue 13 item 5) is never in a packet — every
     * reader gets the same document — only "held confidentially — ask <accountable practitioner>".
     */
    newAddress: string | null;
    /** Present (true) only when the address is confidential, so other packets hash as before. */
    addressConfidential?: true;
    /** A temporary move's record (issue 13 item 3); present only for one, so other packets hash as before. */
    temporary?: {
      expectedUntil: string | null;
      reviewOn: string | null;
      shortStayChoice: { recordAs: 'host_notification' | 'transfer'; reason: string } | null;
      text: string;
    };
  };
  /**
   * The lawful basis for sharing and whether the family was told (issue 13 item 4), each present only
   * once recorded, so packets made before the rule hash as before.
   */
  sharingBasis?: {
    basis: 'consent' | 'safeguarding_without_consent';
    givenBy: string | null;
    givenOn: string | null;
    rationale: string | null;
    approvedBy: string | null;
    text: string;
  };
  familyInformed?: { on: string | null; notInformedReason: string | null; text: string };
  /**
   * The family not reached (issue 14 item 2), present only once a route was raised (so other
   * packets hash as before): the attempts, the locate checklist with what each check found, the
   * national-alert decision and, once found, how. It stays in the packet after the family is found.
   */
  familyNotReached?: {
    open: boolean;
    raisedAt: string;
    attempts: { on: string; method: string; methodText: string; note: string | null }[];
    checks: { check: string; text: string; done: boolean; found: string | null; pupilFileMoved: boolean | null }[];
    nationalAlertText: string;
    foundText: string | null;
    text: string;
  };
  /**
   * Present only for a host notification (issue 13 item 2): why it is one, the host team's contact,
   * and that the sending area stays responsible for good.
   */
  hostNotification?: {
    grounds: string[];
    contactName: string | null;
    text: string;
  };
  /**
   * Present only for a child-protection transfer with a transfer-in conference (issue 13 item 1): the
   * interim lead while the conference's written outcome is awaited, when it is due, what it decided and
   * when the sending team received the written outcome.
   */
  conference?: {
    interimLead: string | null;
    dueAt: string | null;
    heldOn: string | null;
    outcome: ConferenceOutcome | null;
    outcomeText: string | null;
    chair: string | null;
    notes: string | null;
    writtenOutcomeReceivedOn: string | null;
    text: string;
  };
}

/** One safeguarding lead's acknowledgement of a flag, with their advice. */
export interface PacketAdvice {
  name: string | null;
  acknowledgedAt: string;
  advice: string;
  /**
   * NON_MOBILE_INFANT_BRUISING (issue 14 item 4): what the lead said was done about each item the
   * bruising protocol was missing; present only when there were any, so other packets hash as before.
   */
  actions?: { item: BruisingProtocolItem; itemText: string; action: string }[];
}

export interface PacketRiskFlag {
  code: RiskFlagCode;
  severity: RiskFlagSeverity;
  severityText: string;
  /** The flag's name in plain words. */
  title: string;
  /** Why it matters. */
  meaning: string;
  /** What the rules found, with counts (the domain's summary). */
  summary: string;
  about: PacketPersonRef[];
  /** The newest safeguarding lead's acknowledgement with advice (critical flags need one before acceptance). */
  safeguardingLead: PacketAdvice | null;
  /** Every safeguarding lead's acknowledgement of this flag in this round, oldest first: none is ever replaced. */
  safeguardingAdvice: PacketAdvice[];
  /**
   * NON_MOBILE_INFANT_BRUISING only (issue 14 item 4): what the bruising protocol still lacks, with
   * its words, and a sentence saying so ([] and "recorded" when complete).
   */
  protocol?: { missing: { item: BruisingProtocolItem; text: string }[]; text: string };
}

export type SeenStatus = 'yes' | 'no' | 'not_known';

export interface PacketMember {
  memberId: string;
  name: string;
  role: MemberRole | null;
  roleText: string;
  /** Parents and carers are one group — fathers and male carers beside mothers, never after them. */
  group: 'parent_or_carer' | 'other_adult' | 'child';
  groupText: string;
  maleCarer: boolean;
  sex: Sex;
  sexText: string;
  dateOfBirth: string | null;
  ageText: string | null;
  livesInHousehold: boolean;
  livesText: string;
  /** Adults: seen and spoken with by a practitioner (engaged)? null for children. */
  seen: SeenStatus | null;
  seenText: string | null;
  riskFactors: { code: string; text: string }[];
  otherAgencies: number;
}

export interface PacketHouseholdSection {
  key: 'household';
  heading: string;
  confirmed: boolean;
  confirmedText: string;
  noMaleCarerReason: string | null;
  members: PacketMember[];
}

export interface PacketThinkFamilySection {
  key: 'thinkFamily';
  heading: string;
  text: string;
  adults: {
    person: PacketPersonRef;
    riskFactors: { code: string; text: string }[];
    involvements: {
      agency: string;
      agencyText: string;
      area: string | null;
      areaText: string;
      detail: string | null;
    }[];
  }[];
}

export interface PacketChild {
  memberId: string;
  name: string;
  sex: Sex;
  sexText: string;
  dateOfBirth: string | null;
  /** Completed months on `asOf`. */
  ageInMonths: number | null;
  ageText: string;
  mobility: Mobility | null;
  mobilityText: string;
  gp: { status: GpStatus | null; text: string; practiceName: string | null; practiceOds: string | null };
  nhsNumber: { status: 'valid' | 'invalid' | 'missing'; number: string | null; text: string };
  /**
   * Seen in the new area or not (issue 14 item 1), once the transfer has been initiated: only then
   * is there a child_seen item (a packet of a child without one hashes as before).
   */
  seenInNewArea?: {
    status: 'seen' | 'not_seen' | 'no_longer_required';
    dueOn: string | null;
    seenOn: string | null;
    where: string | null;
    seenAlone: boolean | null;
    seenByName: string | null;
    note: string | null;
    workingDaysSinceMove: number;
    text: string;
  };
}

export interface PacketChildrenSection {
  key: 'children';
  heading: string;
  children: PacketChild[];
}

export interface PacketConcern {
  about: PacketPersonRef;
  type: ConcernType;
  typeText: string;
  observedOn: string;
  /** For a child: completed months on the day it was seen. */
  ageInMonthsThen: number | null;
  description: string | null;
  safeguardingAdviceSought: boolean | null;
  adviceText: string;
  /**
   * The bruising protocol's record (issue 14 item 4): present only for a bruise or injury (or a mark
   * that might be one) on a child not independently mobile when it was seen.
   */
  bruisingProtocol?: PacketBruisingProtocol;
}

/** The bruising protocol's record of one concern: each item, recorded or missing, in words. */
export interface PacketBruisingProtocol {
  items: {
    item: BruisingProtocolItem;
    recorded: boolean;
    /** "Health assessment: by …, on …" or "Health assessment: NOT RECORDED". */
    text: string;
  }[];
  missing: BruisingProtocolItem[];
  text: string;
}

export interface PacketConcernsSection {
  key: 'concerns';
  heading: string;
  text: string;
  concerns: PacketConcern[];
}

export interface PacketAppointment {
  for: PacketPersonRef;
  kind: string;
  kindText: string;
  provider: string | null;
  dueOn: string;
  status: AppointmentStatus;
  statusText: string;
  /** Not seen: not brought, or no access at a home visit. */
  wasNotBrought: boolean;
  attendedOn: string | null;
  rebookedFor: string | null;
  /** Only for a rescheduled appointment: its new date. */
  rescheduledFor?: string | null;
}

export interface PacketAppointmentsSection {
  key: 'appointments';
  heading: string;
  wasNotBrought: number;
  text: string;
  /** Oldest first. */
  appointments: PacketAppointment[];
}

export interface PacketSupportSection {
  key: 'supportNetwork';
  heading: string;
  leftSupportNetwork: boolean;
  note: string | null;
  text: string;
}

export interface PacketContact {
  occurredAt: string;
  method: string;
  methodText: string;
  sendingPractitioner: string | null;
  recordedBy: string | null;
  summary: string;
  state: 'pending' | 'confirmed' | 'disputed';
  stateText: string;
  checkedBy: string | null;
  checkedAt: string | null;
  disputeComment: string | null;
  flagUnderstanding: { code: RiskFlagCode; title: string; understanding: string }[];
  agreedActions: {
    description: string;
    owner: 'sending' | 'receiving';
    ownerText: string;
    dueOn: string;
    reviewOn: string | null;
  }[];
}

export interface PacketDirectContactSection {
  key: 'directContact';
  heading: string;
  recorded: boolean;
  text: string;
  contact: PacketContact | null;
}

export type PacketSection =
  | PacketHouseholdSection
  | PacketThinkFamilySection
  | PacketChildrenSection
  | PacketConcernsSection
  | PacketAppointmentsSection
  | PacketSupportSection
  | PacketDirectContactSection;

export type PacketSectionKey = PacketSection['key'];

/** The order the sections are read in (after the transfer and the risk flags). */
export const SECTION_ORDER: readonly PacketSectionKey[] = [
  'household',
  'thinkFamily',
  'children',
  'concerns',
  'appointments',
  'supportNetwork',
  'directContact',
];

export interface PacketDocument {
  format: typeof PACKET_FORMAT;
  /** The day ages are given on: the day the transfer was (last) initiated, in Europe/London. */
  asOf: string;
  transfer: PacketTransfer;
  /** Critical first, then high, then medium. */
  riskFlags: PacketRiskFlag[];
  sections: PacketSection[];
}

/** A stored version: the document plus what the store adds (not part of the hash). */
export interface PacketMeta {
  version: number;
  sha256: string;
  generatedAt: Date;
}

export function sectionOf<K extends PacketSectionKey>(
  document: PacketDocument,
  key: K,
): Extract<PacketSection, { key: K }> {
  const section = document.sections.find((s) => s.key === key);
  if (!section) throw new Error(`packet has no ${key} section`);
  return section as Extract<PacketSection, { key: K }>;
}

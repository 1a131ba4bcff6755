/** The parts of the API's transfer resource the console shows (API.md → The transfer resource). */
export interface AvailableAction {
  action: string;
  allowed: boolean;
  flagCode?: string;
  reasons?: { code: string; message: string }[];
}

export interface RiskFlag {
  code: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  memberIds: string[];
  summary: string;
  /** NON_MOBILE_INFANT_BRUISING (issue 14 item 4): what the bruising protocol still lacks. */
  missing?: string[];
  safeguardingAcknowledgement: { advice: string; acknowledgedById: string; acknowledgedAt: string } | null;
  /** Every lead's advice on this flag, oldest first (none is ever replaced). */
  safeguardingAcknowledgements: {
    advice: string;
    /** What the lead said was done about each missing item of the bruising protocol. */
    actions?: { item: string; action: string }[];
    acknowledgedById: string;
    acknowledgedByName: string | null;
    acknowledgedAt: string;
  }[];
}

export interface DirectContact {
  id: string;
  round: number;
  occurredAt: string;
  method: string;
  sendingPractitionerId: string;
  sendingPractitionerName: string | null;
  recordedById: string;
  recordedByName: string | null;
  summary: string;
  flagAcknowledgements: { code: string; understanding: string }[];
  state: 'pending' | 'confirmed' | 'disputed';
  checkedByName: string | null;
  checkedAt: string | null;
  disputeComment: string | null;
  recordedAt: string;
  agreedActions: {
    id: string;
    description: string;
    owner: 'sending' | 'receiving';
    dueOn: string;
    reviewOn: string | null;
  }[];
}

export interface Conference {
  dueAt: string | null;
  overdue: boolean;
  heldOn: string | null;
  outcome: 'plan_continues' | 'plan_not_continued' | null;
  chair: string | null;
  notes: string | null;
  recordedById: string | null;
  recordedAt: string | null;
  writtenOutcome: { receivedOn: string; confirmedById: string | null; confirmedAt: string | null } | null;
}

export interface Transfer {
  id: string;
  reference: string;
  status: string;
  version: number;
  involvement: string;
  moveDate: string;
  moveType: string;
  reason: string | null;
  /**
   * As the API shows it to this person: a confidential address they may not read (issue 13 item 5) has
   * no lines or postcode, only `withheld` and `text` ("held confidentially — ask <name>").
   */
  newAddress: {
    line1?: string;
    line2?: string;
    town?: string;
    postcode?: string;
    confidential?: boolean;
    withheld?: boolean;
    text?: string;
  } | null;
  leftSupportNetwork: boolean | null;
  supportNetworkNote: string | null;
  noMaleCarerReason: string | null;
  sending: { area: string; teamId: string; teamName: string };
  receiving: { area: string; teamId: string; teamName: string };
  accountablePractitioner: { id: string; name: string; teamId: string };
  /** Child protection, accepted in and awaiting the conference: the receiving lead running the plan. */
  interimLead?: { id: string; name: string; teamId: string } | null;
  household: {
    id: string;
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
    gp: { status: string | null; practiceOds: string | null; practiceName: string | null };
    involvements: { agency: string; area: string | null; detail: string | null }[];
    riskFactors: string[];
    /** Children of any age recorded as not independently mobile (issue 14 item 4). */
    notIndependentlyMobile?: boolean | null;
    /** Issue 13 item 2: a child under a statutory order (care_order, …); null when none. */
    statutoryOrder?: string | null;
  }[];
  concerns: {
    id: string;
    memberId: string;
    type: string;
    observedOn: string;
    description: string | null;
    safeguardingAdviceSought: boolean | null;
    /** The bruising protocol's record (issue 14 item 4). */
    healthAssessment?: { by: string; on: string } | null;
    referral?: { on: string; reference: string } | null;
    multiAgencyDiscussion?: { on: string; outcome: string } | null;
    parentsExplanation?: string | null;
    /** null when the protocol does not apply. */
    bruisingProtocol?: { applies: true; missing: string[] } | null;
  }[];
  appointments: {
    id: string;
    memberId: string;
    kind: string;
    provider: string | null;
    dueOn: string;
    status: string;
    attendedOn: string | null;
    rebookedFor: string | null;
    /** rescheduled (by the carer): the new date. */
    rescheduledFor?: string | null;
  }[];
  /** Each child seen in the new area or not (issue 14 item 1). */
  childrenSeen?: {
    memberId: string;
    seen: boolean;
    dueOn: string | null;
    overdue: boolean;
    workingDaysSinceMove: number;
    /** open | closed; null before initiation. */
    itemStatus: 'open' | 'closed' | null;
    resolution: string | null;
    seenOn: string | null;
    seenBy: { id: string; name: string | null } | null;
    where: string | null;
    seenAlone: boolean | null;
    note: string | null;
  }[];
  /** Issue 13 item 4: the lawful basis for sharing and whether the family was told (null: not recorded). */
  sharingBasis?:
    | { basis: 'consent'; givenBy: string; givenOn: string }
    | {
        basis: 'safeguarding_without_consent';
        rationale: string;
        approvedById: string;
        approvedBy: { id: string; name: string | null };
      }
    | null;
  familyInformed?: { on: string } | { notInformedReason: string } | null;
  /** The family not reached (issue 14 item 2): the latest route, open or ended; null when none. */
  familyNotReached?: {
    open: boolean;
    openedAt: string;
    attempts: { on: string; method: string; note: string | null }[];
    checklist: { check: string; found: string | null; pupilFileMoved: boolean | null; open: boolean }[];
    nationalAlert: {
      dueAt: string;
      due: boolean;
      decision: { raised: boolean; reference?: string; reason?: string; decidedAt: string } | null;
    };
    found: { on: string; how: string } | null;
  } | null;
  riskFlags: RiskFlag[];
  contactDueAt: string | null;
  overdue: boolean;
  directContact: DirectContact | null;
  /** Child protection (issue 13 item 1): the transfer-in conference, when due, what was recorded, the written outcome. */
  conference?: Conference | null;
  latestPacket: { version: number; sha256: string; generatedAt: string } | null;
  availableActions?: AvailableAction[];
  initiatedAt: string | null;
  acceptedAt: string | null;
  returnReason: string | null;
  cancelReason: string | null;
  /** Issue 13 items 2 and 3. */
  kind?: 'transfer' | 'host_notification';
  hostNotificationGrounds?: string[];
  hostContact?: { id: string; name: string | null } | null;
  expectedUntil?: string | null;
  reviewOn?: string | null;
  shortStayChoice?: { recordAs: 'host_notification' | 'transfer'; reason: string } | null;
}

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

export function sortedFlags(flags: RiskFlag[]): RiskFlag[] {
  return [...flags].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

/** The action entry for `action` (and flag), or a not-allowed one when the API did not list it. */
export function actionOf(transfer: Transfer, action: string, flagCode?: string): AvailableAction {
  const entry = transfer.availableActions?.find(
    (a) => a.action === action && (flagCode === undefined || a.flagCode === flagCode),
  );
  return entry ?? { action, allowed: false, reasons: [] };
}

/** The new address in one line as the API gave it to this person; a withheld confidential one says whom to ask. */
export function addressLine(address: Transfer['newAddress']): string {
  if (!address) return '';
  if (address.withheld) {
    const text = address.text ?? 'held confidentially';
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return [address.line1, address.line2, address.town, address.postcode].filter(Boolean).join(', ');
}

/**
 * Every refusal the domain gives — the transitions' (lifecycle/) and chasing's (chasing.ts) — with
 * its stable code and the sentence a practitioner reads. The codes are API (docs/API.md); the
 * sentences are written here once, so a change of wording is made in one place.
 */
import type { CommandType } from './lifecycle/commands.js';
import { RISK_FLAG_TITLES } from './risk-flag-titles.js';
import {
  BRUISING_PROTOCOL_ITEM_WORDS,
  type BruisingProtocolItem,
  type ChaseKind,
  type HostNotificationGround,
  type RiskFlagCode,
  type TransferStatus,
} from './vocabulary.js';

export type RefusalCode =
  // FORBIDDEN
  | 'NOT_VISIBLE'
  | 'ADMIN_NO_FAMILY_DATA'
  | 'NOT_SENDING_SIDE'
  | 'NOT_RECEIVING_SIDE'
  | 'NOT_ACCOUNTABLE_OR_SENDING_MANAGER'
  | 'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE'
  | 'NOT_SAFEGUARDING_LEAD'
  | 'NOT_ACCOUNTABLE_SIDE_MANAGER'
  | 'SYSTEM_ONLY'
  | 'CANNOT_START_TRANSFER'
  // INVALID_STATE
  | 'NOT_ALLOWED_FROM_STATUS'
  // PRECONDITION_FAILED
  | 'RECEIVING_TEAM_IN_SAME_AREA'
  | 'RECEIVING_TEAM_FIXED'
  | 'NO_CHILD'
  | 'MEMBER_ROLE_MISSING'
  | 'HOUSEHOLD_NOT_CONFIRMED'
  | 'MALE_CARER_NOT_RECORDED'
  | 'GP_STATUS_NOT_RECORDED'
  | 'MOVE_DATE_INVALID'
  | 'APPOINTMENT_DATE_INVALID'
  | 'CONTACT_METHOD_NOT_CONVERSATION'
  | 'CONTACT_TIME_INVALID'
  | 'CONTACT_BEFORE_INITIATION'
  | 'CONTACT_IN_FUTURE'
  | 'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM'
  | 'SENDING_PRACTITIONER_INACTIVE'
  | 'FLAGS_NOT_ACKNOWLEDGED'
  | 'AGREED_ACTION_DUE_DATE_INVALID'
  | 'CONTACT_NOT_PENDING'
  | 'COMMENT_REQUIRED'
  | 'UNKNOWN_FLAG_CODE'
  | 'FLAG_NOT_ACTIVE'
  | 'ADVICE_REQUIRED'
  | 'CONTACT_NOT_CONFIRMED'
  | 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED'
  | 'LEAD_NOT_IN_RECEIVING_TEAM'
  | 'LEAD_INACTIVE'
  | 'REASON_REQUIRED'
  | 'CHASE_ITEMS_OPEN'
  | 'ASSIGNEE_NOT_IN_TEAM'
  | 'ASSIGNEE_INACTIVE'
  // host notifications and temporary moves (issue 13 items 2 and 3)
  | 'HOST_NOTIFICATION_NOT_ACCEPTED'
  | 'NOT_HOST_NOTIFICATION'
  | 'CONTACT_NOT_IN_HOST_TEAM'
  | 'CONTACT_INACTIVE'
  | 'TEMPORARY_MOVE_DATES_MISSING'
  | 'EXPECTED_UNTIL_BEFORE_MOVE'
  | 'SHORT_STAY_CHOICE_MISSING'
  | 'SHORT_STAY_REASON_MISSING'
  | 'SHORT_STAY_NOT_SHORT'
  | 'SHARING_BASIS_MISSING'
  | 'SHARING_BASIS_INCOMPLETE'
  | 'SHARING_APPROVER_NOT_SENDING_MANAGER'
  | 'FAMILY_INFORMED_MISSING'
  | 'FAMILY_INFORMED_INCOMPLETE'
  | 'CONFERENCE_ALREADY_RECORDED'
  | 'CONFERENCE_DATE_INVALID'
  | 'CONFERENCE_BEFORE_INITIATION'
  | 'CONFERENCE_IN_FUTURE'
  | 'CONFERENCE_OUTCOME_INVALID'
  | 'CHAIR_REQUIRED'
  | 'CONFERENCE_NOT_RECORDED'
  | 'NO_INTERIM_LEAD'
  | 'CONFIRMATION_DATE_INVALID'
  | 'CONFIRMATION_BEFORE_CONFERENCE'
  | 'CONFIRMATION_IN_FUTURE'
  // the child seen (issue 14 item 1)
  | 'NOT_A_CHILD_OF_TRANSFER'
  | 'CHILD_ALREADY_SEEN'
  | 'SEEN_DATE_INVALID'
  | 'SEEN_IN_FUTURE'
  | 'SEEN_BEFORE_MOVE'
  | 'SEEN_BY_NOT_IN_RECEIVING_TEAM'
  | 'SEEN_BY_INACTIVE'
  | 'SEEN_WHERE_INVALID'
  | 'SEEN_ALONE_MISSING'
  | 'CHILD_SEEN_RECORDED_ON_ITS_OWN'
  // the bruising protocol (issue 14 item 4)
  | 'PROTOCOL_ITEMS_NOT_ADDRESSED'
  | 'PROTOCOL_ITEM_NOT_MISSING'
  | 'PROTOCOL_DATE_BEFORE_CONCERN'
  // chasing (chasing.ts)
  | 'NOT_ON_EITHER_TEAM'
  | 'NOT_MANAGER'
  | 'EVIDENCE_RESOLUTION_MISMATCH'
  | 'EVIDENCE_MISSING'
  | 'EVIDENCE_IN_FUTURE'
  // transfer requests (transfer-requests.ts, issue 14 item 3)
  | 'CANNOT_REQUEST_TRANSFER'
  | 'NOT_ORIGINATING_TEAM'
  | 'ORIGINATING_TEAM_IN_SAME_AREA'
  | 'REQUEST_CHILD_MISSING'
  | 'REQUEST_CHILD_NAME_MISSING'
  | 'REQUEST_CHILD_BORN_IN_FUTURE'
  | 'HOW_KNOWN_REQUIRED'
  | 'CONCERN_REQUIRED'
  | 'REQUEST_DECISION_INVALID'
  // the family not reached (family-not-reached.ts, issue 14 item 2)
  | 'NOT_ON_EITHER_SIDE'
  | 'FAMILY_NOT_REACHED_OPEN'
  | 'NO_NOT_REACHED_ROUTE'
  | 'ATTEMPTS_MISSING'
  | 'ATTEMPT_INVALID'
  | 'LOCATE_CHECK_INVALID'
  | 'LOCATE_CHECK_CLOSED'
  | 'FOUND_WHAT_REQUIRED'
  | 'PUPIL_FILE_ANSWER_REQUIRED'
  | 'NATIONAL_ALERT_NOT_DUE'
  | 'NATIONAL_ALERT_RECORDED'
  | 'NATIONAL_ALERT_REFERENCE_REQUIRED'
  | 'FOUND_DATE_INVALID'
  | 'FOUND_HOW_REQUIRED';

/** Why a request was refused: a stable code and a sentence a practitioner can act on. */
export interface Reason {
  readonly code: RefusalCode;
  readonly message: string;
  /** The flags concerned, when the reason is about flags. */
  readonly flagCodes?: RiskFlagCode[];
  /** The household members concerned (ids, never names). */
  readonly memberIds?: string[];
  /** The bruising protocol's items concerned (issue 14 item 4). */
  readonly protocolItems?: BruisingProtocolItem[];
}

export type DecisionError = 'INVALID_STATE' | 'FORBIDDEN' | 'PRECONDITION_FAILED';

/** A refusal as every decision function answers it. */
export interface Refusal<E extends DecisionError = DecisionError> {
  readonly ok: false;
  readonly error: E;
  readonly reasons: Reason[];
}

export function refuse<E extends DecisionError>(error: E, ...reasons: Reason[]): Refusal<E> {
  return { ok: false, error, reasons };
}

// =============================================================================================
// The wording

/** How a command reads in "cannot … a transfer that is …". */
const COMMAND_WORDS: Readonly<Record<CommandType, string>> = {
  update: 'change',
  initiate: 'initiate',
  recordContact: 'record direct contact on',
  confirmContact: 'check back the contact on',
  acknowledgeFlag: 'acknowledge a flag on',
  accept: 'accept',
  acknowledgeNotification: 'acknowledge',
  recordConference: 'record the transfer-in conference of',
  confirmConference: 'confirm the conference outcome of',
  recordChildSeen: 'record a child seen on',
  return: 'return',
  cancel: 'cancel',
  close: 'close',
  reassign: 'reassign',
  recordOutcome: 'record an appointment outcome on',
  reportNotReached: 'report the family not reached on',
  closeLocateCheck: 'close a locate check on',
  recordNationalAlert: 'record the national alert decision on',
  recordFamilyFound: 'record the family found on',
};

const HOST_GROUND_WORDS: Readonly<Record<HostNotificationGround, string>> = {
  looked_after: 'a looked-after child',
  statutory_order: 'a child subject to a statutory order',
  short_temporary_stay: 'a short temporary stay the sending side chose to record so',
};

const statusWords = (status: TransferStatus) => status.replace(/_/g, ' ');

/** Flags as people read them (RISK_FLAG_TITLES), never as codes. */
function flagTitles(codes: readonly RiskFlagCode[]): string {
  return codes.map((code) => RISK_FLAG_TITLES[code].title).join('; ');
}

const because = (code: RefusalCode, message: string): Reason => ({ code, message });

const protocolWords = (items: readonly BruisingProtocolItem[]) =>
  items.map((item) => BRUISING_PROTOCOL_ITEM_WORDS[item] ?? JSON.stringify(item)).join('; ');

/** One builder per sentence, grouped as the checks run (see lifecycle/decide.ts). */
export const REFUSALS = {
  // --- FORBIDDEN: who may see
  adminNoFamilyData: () => because('ADMIN_NO_FAMILY_DATA', 'administrators do not have access to family data'),
  notVisible: () => because('NOT_VISIBLE', 'you cannot see this transfer'),

  // --- INVALID_STATE
  unknownCommand: (type: unknown) => because('NOT_ALLOWED_FROM_STATUS', `unknown command ${JSON.stringify(type)}`),
  notAllowedFromStatus: (command: CommandType, status: TransferStatus, from: readonly TransferStatus[]) =>
    because(
      'NOT_ALLOWED_FROM_STATUS',
      `cannot ${COMMAND_WORDS[command]} a transfer that is ${statusWords(status)} (allowed from: ${from.map(statusWords).join(', ')})`,
    ),

  // --- FORBIDDEN: who may act
  cannotStartTransfer: () =>
    because('CANNOT_START_TRANSFER', 'only a practitioner or manager in a team can start a transfer from that team'),
  notSendingSide: () => because('NOT_SENDING_SIDE', 'only a practitioner or manager in the sending team can do this'),
  notReceivingSide: () =>
    because('NOT_RECEIVING_SIDE', 'only a practitioner or manager in the receiving team can do this'),
  notAccountableOrSendingManager: () =>
    because(
      'NOT_ACCOUNTABLE_OR_SENDING_MANAGER',
      'only the accountable practitioner or a manager of the sending team can do this',
    ),
  notContactParticipantOrAccountable: () =>
    because(
      'NOT_CONTACT_PARTICIPANT_OR_ACCOUNTABLE',
      'only the sending practitioner who took part in the conversation, or the accountable practitioner, can check the record back',
    ),
  notSafeguardingLead: () =>
    because(
      'NOT_SAFEGUARDING_LEAD',
      'only a safeguarding lead of the sending or receiving area can acknowledge a flag with advice',
    ),
  systemOnly: () => because('SYSTEM_ONLY', 'a transfer closes by itself once every chase item is closed'),
  notAccountableSideManager: () =>
    because('NOT_ACCOUNTABLE_SIDE_MANAGER', 'only a manager of the team holding accountability can reassign it'),

  // --- PRECONDITION_FAILED: the transfer's parties
  receivingTeamInSameArea: () =>
    because(
      'RECEIVING_TEAM_IN_SAME_AREA',
      'the receiving team must be in another area: a transfer moves responsibility between areas',
    ),
  receivingTeamFixed: () =>
    because(
      'RECEIVING_TEAM_FIXED',
      'this transfer has already been sent to its receiving team; to send to another team, cancel it and start a new transfer',
    ),

  // --- PRECONDITION_FAILED: initiation (the facts)
  noChild: () => because('NO_CHILD', 'add at least one child to the household'),
  memberRoleMissing: (memberIds: string[]): Reason => ({
    code: 'MEMBER_ROLE_MISSING',
    message: `give every household member a role (${memberIds.length} without one)`,
    memberIds,
  }),
  householdNotConfirmed: () =>
    because('HOUSEHOLD_NOT_CONFIRMED', 'confirm who lives in the household before initiating'),
  maleCarerNotRecorded: () => because('MALE_CARER_NOT_RECORDED', 'father/male carer not recorded and no reason given'),
  gpStatusNotRecorded: (memberIds: string[]): Reason => ({
    code: 'GP_STATUS_NOT_RECORDED',
    message: `record each child's GP status (registered, not registered or unknown); ${memberIds.length} not recorded`,
    memberIds,
  }),
  moveDateInvalid: () => because('MOVE_DATE_INVALID', 'give the move date as YYYY-MM-DD'),
  appointmentDateInvalid: (memberIds: string[]): Reason => ({
    code: 'APPOINTMENT_DATE_INVALID',
    message: 'give every appointment a due date as YYYY-MM-DD',
    memberIds,
  }),

  // --- PRECONDITION_FAILED: the direct contact
  contactMethodNotConversation: () =>
    because(
      'CONTACT_METHOD_NOT_CONVERSATION',
      'direct contact must be a conversation: phone, video, in person or meeting',
    ),
  contactTimeInvalid: () => because('CONTACT_TIME_INVALID', 'give the date and time the conversation happened'),
  contactBeforeInitiation: () =>
    because('CONTACT_BEFORE_INITIATION', 'the conversation must have happened after the transfer was (last) initiated'),
  contactInFuture: () =>
    because('CONTACT_IN_FUTURE', 'the conversation cannot be in the future: record it once it has happened'),
  sendingPractitionerNotInSendingTeam: () =>
    because(
      'SENDING_PRACTITIONER_NOT_IN_SENDING_TEAM',
      'the person you spoke to must be a practitioner in the sending team',
    ),
  sendingPractitionerInactive: () =>
    because('SENDING_PRACTITIONER_INACTIVE', 'the sending practitioner you spoke to is not active in the directory'),
  flagsNotAcknowledged: (flagCodes: RiskFlagCode[]): Reason => ({
    code: 'FLAGS_NOT_ACKNOWLEDGED',
    message: `acknowledge every risk flag with what you understood of its significance; not yet acknowledged: ${flagTitles(flagCodes)}`,
    flagCodes,
  }),
  agreedActionDueDateInvalid: () =>
    because(
      'AGREED_ACTION_DUE_DATE_INVALID',
      'give every agreed action a due date (YYYY-MM-DD) so it can be followed up',
    ),
  contactNotPending: () =>
    because('CONTACT_NOT_PENDING', 'there is no direct-contact record waiting to be checked back'),
  commentRequired: () =>
    because('COMMENT_REQUIRED', 'say what is wrong with the record so the receiving team can put it right'),

  // --- PRECONDITION_FAILED: flags, acceptance, return/cancel, close, reassign
  unknownFlagCode: (code: string) =>
    because('UNKNOWN_FLAG_CODE', `there is no risk flag called ${JSON.stringify(code)}`),
  flagNotActive: (code: RiskFlagCode): Reason => ({
    code: 'FLAG_NOT_ACTIVE',
    message: `${code} is not raised for this transfer`,
    flagCodes: [code],
  }),
  adviceRequired: () => because('ADVICE_REQUIRED', 'record the safeguarding advice you gave'),
  protocolItemsNotAddressed: (items: BruisingProtocolItem[]): Reason => ({
    code: 'PROTOCOL_ITEMS_NOT_ADDRESSED',
    message: `the bruising protocol is not complete: say what was done about each missing item (actions); not addressed: ${protocolWords(items)}`,
    flagCodes: ['NON_MOBILE_INFANT_BRUISING'],
    protocolItems: items,
  }),
  protocolItemNotMissing: (items: BruisingProtocolItem[]): Reason => ({
    code: 'PROTOCOL_ITEM_NOT_MISSING',
    message: `give actions only for what the bruising protocol is missing, once each; not missing (or given twice): ${protocolWords(items)}`,
    protocolItems: items,
  }),
  protocolDateBeforeConcern: (memberIds: string[]): Reason => ({
    code: 'PROTOCOL_DATE_BEFORE_CONCERN',
    message:
      'a bruising protocol date (health assessment, referral, multi-agency discussion) cannot be before the date the bruise or injury was observed',
    memberIds,
  }),
  contactNotConfirmed: () =>
    because(
      'CONTACT_NOT_CONFIRMED',
      'a direct conversation must be recorded and checked back by the sending side first',
    ),
  criticalFlagsNotAcknowledged: (flagCodes: RiskFlagCode[]): Reason => ({
    code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED',
    message: `a safeguarding lead must acknowledge each critical flag with advice before acceptance; still waiting: ${flagTitles(flagCodes)}`,
    flagCodes,
  }),
  leadNotInReceivingTeam: () =>
    because('LEAD_NOT_IN_RECEIVING_TEAM', 'the lead practitioner must be in the receiving team'),
  leadInactive: () => because('LEAD_INACTIVE', 'the lead practitioner is no longer active; choose someone who is'),
  reasonRequired: (doing: 'returning' | 'cancelling') =>
    because('REASON_REQUIRED', `give a reason for ${doing} the transfer`),
  chaseItemsOpen: (open: number) =>
    because('CHASE_ITEMS_OPEN', `${open} chase item(s) still open; close each with evidence first`),
  assigneeNotInTeam: () =>
    because('ASSIGNEE_NOT_IN_TEAM', 'the new accountable practitioner must be in the team holding accountability'),
  assigneeInactive: () => because('ASSIGNEE_INACTIVE', 'the new accountable practitioner is not active'),

  // --- host notifications and temporary moves (issue 13 items 2 and 3)
  hostNotificationNotAccepted: (grounds: readonly HostNotificationGround[]) =>
    because(
      'HOST_NOTIFICATION_NOT_ACCEPTED',
      `this is a host notification (${grounds.map((g) => HOST_GROUND_WORDS[g]).join('; ')}): responsibility stays with the sending area and is never accepted; acknowledge the notification and name your team's contact instead`,
    ),
  notHostNotification: () =>
    because(
      'NOT_HOST_NOTIFICATION',
      'this is a transfer of responsibility, not a host notification: accept it naming the receiving lead',
    ),
  contactNotInHostTeam: () =>
    because('CONTACT_NOT_IN_HOST_TEAM', "the host team's contact must be a practitioner in the receiving team"),
  contactInactive: () => because('CONTACT_INACTIVE', "the host team's contact is not active; choose someone who is"),
  temporaryMoveDatesMissing: () =>
    because(
      'TEMPORARY_MOVE_DATES_MISSING',
      'a temporary move needs the date the stay is expected to end (expectedUntil) or a date to review it (reviewOn)',
    ),
  expectedUntilBeforeMove: () =>
    because('EXPECTED_UNTIL_BEFORE_MOVE', 'the stay cannot be expected to end (expectedUntil) before the move date'),
  shortStayChoiceMissing: (days: number) =>
    because(
      'SHORT_STAY_CHOICE_MISSING',
      `the stay is expected to last under ${days} days: choose whether to record it as a host notification (your area keeps responsibility) or a transfer, and say why (shortStayChoice)`,
    ),
  sharingBasisMissing: () =>
    because(
      'SHARING_BASIS_MISSING',
      'record the lawful basis for sharing the family’s information (sharingBasis): the family’s consent, or safeguarding without consent with a manager’s approval',
    ),
  sharingBasisIncomplete: (missing: string) => because('SHARING_BASIS_INCOMPLETE', `the lawful basis needs ${missing}`),
  sharingApproverNotSendingManager: () =>
    because(
      'SHARING_APPROVER_NOT_SENDING_MANAGER',
      'sharing without consent must be approved by an active manager of the sending team (approvedById)',
    ),
  familyInformedMissing: () =>
    because(
      'FAMILY_INFORMED_MISSING',
      'record whether the family has been told of the transfer (familyInformed): the date they were told, or why not',
    ),
  familyInformedIncomplete: (missing: string) =>
    because('FAMILY_INFORMED_INCOMPLETE', `whether the family was told needs ${missing}`),
  shortStayReasonMissing: () => because('SHORT_STAY_REASON_MISSING', 'say why you chose to record the stay this way'),
  shortStayNotShort: (days: number) =>
    because(
      'SHORT_STAY_NOT_SHORT',
      `only a temporary stay expected to last under ${days} days (moveDate to expectedUntil) may be recorded as a host notification instead of a transfer`,
    ),
  // --- PRECONDITION_FAILED: the transfer-in child protection conference and its written outcome
  conferenceAlreadyRecorded: () =>
    because('CONFERENCE_ALREADY_RECORDED', 'the transfer-in conference has already been recorded for this transfer'),
  conferenceDateInvalid: () =>
    because('CONFERENCE_DATE_INVALID', 'give the date the conference was held as YYYY-MM-DD'),
  conferenceBeforeInitiation: () =>
    because('CONFERENCE_BEFORE_INITIATION', 'the transfer-in conference must have been held after the transfer began'),
  conferenceInFuture: () =>
    because('CONFERENCE_IN_FUTURE', 'the conference cannot be in the future: record it once it has been held'),
  conferenceOutcomeInvalid: () =>
    because(
      'CONFERENCE_OUTCOME_INVALID',
      'give the conference outcome: plan_continues (the child protection plan continues) or plan_not_continued',
    ),
  chairRequired: () => because('CHAIR_REQUIRED', 'give who chaired the conference'),
  conferenceNotRecorded: () =>
    because(
      'CONFERENCE_NOT_RECORDED',
      'the receiving area must record its transfer-in conference before its written outcome can be confirmed',
    ),
  noInterimLead: () =>
    because(
      'NO_INTERIM_LEAD',
      'there is no interim lead to pass accountability to; the receiving team must accept first',
    ),
  confirmationDateInvalid: () =>
    because('CONFIRMATION_DATE_INVALID', 'give the date you received the written outcome as YYYY-MM-DD'),
  confirmationBeforeConference: () =>
    because('CONFIRMATION_BEFORE_CONFERENCE', 'the written outcome cannot have arrived before the conference was held'),
  confirmationInFuture: () =>
    because('CONFIRMATION_IN_FUTURE', 'record the written outcome once you have received it (not a future date)'),

  // --- PRECONDITION_FAILED: the child seen (issue 14 item 1)
  notAChildOfTransfer: (memberId: string) =>
    Object.assign(because('NOT_A_CHILD_OF_TRANSFER', 'this is not a child of this transfer'), {
      memberIds: [memberId],
    }),
  childAlreadySeen: (memberId: string) =>
    Object.assign(because('CHILD_ALREADY_SEEN', 'this child has already been recorded as seen'), {
      memberIds: [memberId],
    }),
  seenDateInvalid: () => because('SEEN_DATE_INVALID', 'give the date the child was seen as YYYY-MM-DD (seenOn)'),
  seenInFuture: () => because('SEEN_IN_FUTURE', 'the date the child was seen cannot be in the future'),
  seenBeforeMove: () =>
    because('SEEN_BEFORE_MOVE', 'the child is to be seen in the new area: the date cannot be before the move date'),
  seenByNotInReceivingTeam: () =>
    because(
      'SEEN_BY_NOT_IN_RECEIVING_TEAM',
      'the practitioner who saw the child must be in the receiving team (seenById)',
    ),
  seenByInactive: () => because('SEEN_BY_INACTIVE', 'the practitioner who saw the child is not active'),
  seenWhereInvalid: () => because('SEEN_WHERE_INVALID', 'say where the child was seen: home, clinic, school or other'),
  seenAloneMissing: () =>
    because('SEEN_ALONE_MISSING', 'say whether the child was seen alone (seenAlone: true or false)'),
  childSeenRecordedOnItsOwn: () =>
    because(
      'CHILD_SEEN_RECORDED_ON_ITS_OWN',
      'a child-seen item closes when the child is recorded as seen (POST /v1/transfers/:id/children/:memberId/seen); a manager may close it as no longer required',
    ),

  // --- chasing (chasing.ts)
  chaseItemClosed: () => because('NOT_ALLOWED_FROM_STATUS', 'this item is already closed'),
  notOnEitherTeam: (doing: 'close this item' | 'record an outcome') =>
    because('NOT_ON_EITHER_TEAM', `only a practitioner or manager of the sending or receiving team can ${doing}`),
  notManager: () => because('NOT_MANAGER', 'only a manager can close an item as no longer required'),
  noLongerRequiredReasonMissing: () => because('REASON_REQUIRED', 'say why this item is no longer required'),
  directContactClosesOnAcceptance: () =>
    because(
      'EVIDENCE_RESOLUTION_MISMATCH',
      'the direct-contact item closes when the transfer is accepted (a manager may close it as no longer required)',
    ),
  conferenceClosesWhenRecorded: () =>
    because(
      'EVIDENCE_RESOLUTION_MISMATCH',
      'the transfer-in conference item closes when the receiving side records the conference (POST /v1/transfers/:id/conference); a manager may close it as no longer required, with a reason',
    ),
  wrongResolution: (kind: ChaseKind, expected: string) =>
    because(
      'EVIDENCE_RESOLUTION_MISMATCH',
      `a ${kind.replace(/_/g, ' ')} item closes with resolution "${expected}" and its evidence`,
    ),
  practiceOdsMissing: () =>
    because('EVIDENCE_MISSING', 'give the practice ODS code: a capital letter then 5 digits, e.g. M88006'),
  moveReviewAnswer: () =>
    because(
      'EVIDENCE_RESOLUTION_MISMATCH',
      'a move review closes with the answer: resolution "now_permanent", or "still_temporary" with evidence.nextReviewOn',
    ),
  moveReviewNoteMissing: () => because('EVIDENCE_MISSING', 'say how you know (note)'),
  nextReviewNotAfterToday: () => because('EVIDENCE_MISSING', 'nextReviewOn must be after today'),
  practiceNameMissing: () => because('EVIDENCE_MISSING', 'give the practice name'),
  completionNoteMissing: () => because('EVIDENCE_MISSING', 'describe how the action was completed (note)'),
  dateMissing: (field: string) => because('EVIDENCE_MISSING', `give ${field} as YYYY-MM-DD`),
  dateInFuture: (field: string) => because('EVIDENCE_IN_FUTURE', `${field} cannot be in the future`),
  rebookedInPast: () => because('EVIDENCE_MISSING', 'rebookedFor must be today or later'),
  outcomeStatusInvalid: () =>
    because(
      'EVIDENCE_MISSING',
      'status must be attended, was_not_brought, no_access, cancelled_by_carer or rescheduled',
    ),
  rescheduledInPast: () => because('EVIDENCE_MISSING', 'rescheduledFor must be today or later'),
  outcomesOnlyInProgress: (status: TransferStatus | null) =>
    because(
      'NOT_ALLOWED_FROM_STATUS',
      `outcomes are recorded for transfers in progress; this one is ${status ?? 'not initiated yet'}`,
    ),
  appointmentNotRecorded: () => because('EVIDENCE_MISSING', 'this appointment is not recorded on the transfer'),

  // --- transfer requests (transfer-requests.ts)
  cannotRequestTransfer: () =>
    because('CANNOT_REQUEST_TRANSFER', 'only a practitioner or manager in a team can open a transfer request'),
  notOriginatingTeam: () =>
    because('NOT_ORIGINATING_TEAM', 'only a practitioner or manager in the originating team can answer this request'),
  originatingTeamInSameArea: () =>
    because(
      'ORIGINATING_TEAM_IN_SAME_AREA',
      'the originating team must be in another area: a transfer request asks another area to transfer a family',
    ),
  requestChildMissing: () => because('REQUEST_CHILD_MISSING', 'name at least one child the request is about'),
  requestChildNameMissing: (index: number) =>
    because('REQUEST_CHILD_NAME_MISSING', `give child ${index + 1}'s given name and family name`),
  requestChildBornInFuture: (index: number) =>
    because('REQUEST_CHILD_BORN_IN_FUTURE', `child ${index + 1}'s date of birth cannot be in the future`),
  howKnownRequired: () => because('HOW_KNOWN_REQUIRED', 'say how you know the family is known to the originating area'),
  concernRequired: () => because('CONCERN_REQUIRED', 'say what the concern is'),
  requestAlreadyAnswered: (status: string) =>
    because('NOT_ALLOWED_FROM_STATUS', `this request has already been answered (${status.replace(/_/g, ' ')})`),
  requestDecisionInvalid: () => because('REQUEST_DECISION_INVALID', 'decision must be will_transfer or declined'),
  declineReasonRequired: () => because('REASON_REQUIRED', 'say why the originating team will not transfer'),

  // --- the family not reached (family-not-reached.ts, issue 14 item 2)
  notOnEitherSide: () =>
    because(
      'NOT_ON_EITHER_SIDE',
      'only a practitioner or manager of the sending or receiving team, or a safeguarding lead of either area, can record this',
    ),
  notReachedOnlyInProgress: (status: TransferStatus) =>
    because(
      'NOT_ALLOWED_FROM_STATUS',
      `the family can be reported not reached while a transfer is in progress; this one is ${status.replace(/_/g, ' ')}`,
    ),
  familyNotReachedOpen: () =>
    because(
      'FAMILY_NOT_REACHED_OPEN',
      'the family has not been reached: the not-reached route is open until the family is found (record where and how)',
    ),
  noNotReachedRoute: () => because('NO_NOT_REACHED_ROUTE', 'the family has not been reported as not reached'),
  attemptsMissing: () => because('ATTEMPTS_MISSING', 'give at least one attempt to reach the family'),
  attemptInvalid: (index: number) =>
    because(
      'ATTEMPT_INVALID',
      `attempt ${index + 1}: give its date (YYYY-MM-DD, not in the future) and method (home_visit_no_access, phone_no_answer, not_at_address, letter_returned or other, with a note)`,
    ),
  locateCheckInvalid: () =>
    because(
      'LOCATE_CHECK_INVALID',
      'check must be family_members, education_setting, health_registration, police_welfare_check or strategy_discussion',
    ),
  locateCheckClosed: () => because('LOCATE_CHECK_CLOSED', 'this check has already been closed with what was found'),
  foundWhatRequired: () => because('FOUND_WHAT_REQUIRED', 'say what was found'),
  pupilFileAnswerRequired: () =>
    because('PUPIL_FILE_ANSWER_REQUIRED', 'say whether the pupil file moved (pupilFileMoved true or false)'),
  nationalAlertNotDue: () =>
    because(
      'NATIONAL_ALERT_NOT_DUE',
      'a national alert decision is recorded once it is due and the family is still not found',
    ),
  nationalAlertRecorded: () =>
    because('NATIONAL_ALERT_RECORDED', 'the national alert decision has already been recorded'),
  nationalAlertReferenceRequired: (raised: boolean) =>
    because(
      'NATIONAL_ALERT_REFERENCE_REQUIRED',
      raised ? 'give the national alert’s reference' : 'say why no national alert is raised',
    ),
  foundDateInvalid: () =>
    because(
      'FOUND_DATE_INVALID',
      'give the date the family was found as YYYY-MM-DD, not before the first attempt nor in the future',
    ),
  foundHowRequired: () => because('FOUND_HOW_REQUIRED', 'say how the family was found'),
} as const;

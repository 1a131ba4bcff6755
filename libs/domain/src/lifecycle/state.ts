/** What a transfer is, and who acts on it: the state every decision reads (DESIGN §3). */
import type { TransferFacts } from '../facts.js';
import type { FamilyNotReachedState } from '../family-not-reached.js';
import type {
  ConferenceOutcome,
  ContactMethod,
  PractitionerRole,
  RiskFlagCode,
  TransferStatus,
} from '../vocabulary.js';

/** An action agreed in the direct contact, chased from its due date once the contact is confirmed. */
export interface AgreedActionRef {
  /** The service's id for the stored agreed action (chase items point at it). */
  readonly id: string;
  readonly dueOn: string;
}

export type DirectContactRecordState = 'pending' | 'confirmed' | 'disputed';

export interface DirectContactState {
  /** The service's id for the stored contact record (given in the `recordContact` command). */
  readonly id: string;
  /** Who on the sending side took part in the conversation. */
  readonly sendingPractitionerId: string;
  /** The receiving-side practitioner who recorded it (and took part). */
  readonly recordedById: string;
  readonly occurredAt: Date;
  readonly acknowledgedFlagCodes: RiskFlagCode[];
  /** pending: awaiting check-back; confirmed: the sending side agreed; disputed: it did not. */
  readonly state: DirectContactRecordState;
  readonly method?: ContactMethod;
  readonly agreedActions?: readonly AgreedActionRef[];
}

/** The receiving area's transfer-in child protection conference, as recorded (issue 13 item 1). */
export interface ConferenceState {
  /** Local date it was held (YYYY-MM-DD). */
  readonly heldOn: string;
  readonly outcome: ConferenceOutcome;
  /** Local date the sending side received the written outcome; null until confirmed. */
  readonly confirmedOn: string | null;
}

export interface TransferState {
  readonly status: TransferStatus;
  readonly sendingTeamId: string;
  readonly sendingAreaId: string;
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  /**
   * Exactly one, always: a sending-team member until `accept` succeeds, then the receiving lead —
   * for child protection, only once the sending side confirms the conference's written outcome.
   * A host notification's is a sending-team member for good (it is never accepted).
   */
  readonly accountablePractitionerId: string;
  /**
   * Child protection, from `accept` to the written confirmation: the receiving lead who runs the
   * plan on the sending area's behalf (and owns its chase items) while the sending practitioner
   * stays accountable. null otherwise.
   */
  readonly interimLeadId: string | null;
  /** When the transfer-in conference is due, once its clock has started; null when none is needed. */
  readonly conferenceDueAt: Date | null;
  /** The transfer-in conference, once the receiving side has recorded it. */
  readonly conference: ConferenceState | null;
  /** The latest initiation (re-initiation moves it on); null while never initiated. */
  readonly initiatedAt: Date | null;
  readonly facts: TransferFacts;
  /** The latest direct-contact record of the current round; cleared by (re-)initiation. */
  readonly directContact: DirectContactState | null;
  /** Flags acknowledged with advice by a safeguarding lead; cleared by (re-)initiation. */
  readonly safeguardingAcknowledgements: RiskFlagCode[];
  /** A host notification's contact in the host (receiving) team, once acknowledged. */
  readonly hostContactPractitionerId?: string | null;
  /** The family not reached (issue 14 item 2): the latest route, open until the family is found. */
  readonly familyNotReached?: FamilyNotReachedState | null;
}

export type ActorRole = PractitionerRole | 'system';

export interface Actor {
  readonly id: string;
  /** The actor's team; null for someone without one (e.g. an area-wide safeguarding lead or admin). */
  readonly teamId: string | null;
  readonly areaId: string | null;
  readonly role: ActorRole;
}

/** The service itself (sweeps, jobs). It sees everything and may only close transfers. */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', teamId: null, areaId: null, role: 'system' });

/** A practitioner named in a command, as the directory knows them. */
export interface PractitionerRef {
  readonly id: string;
  readonly teamId: string;
  readonly active: boolean;
}

/**
 * What happened: the event each successful decision records, with the facts it decided. The event's
 * `type` is the audit action's event name and the key of EFFECTS; its payload is everything the
 * store needs to record it — the service writes rows from the event (apps/api/src/transfers/
 * decision-writer.ts) and never re-derives from the request what the decision already says.
 */
import type { TransferFacts } from '../facts.js';
import type { FamilyNotReachedState } from '../family-not-reached.js';
import type {
  BruisingProtocolItem,
  ChildSeenPlace,
  ConferenceOutcome,
  EscalationLevel,
  LocateCheck,
  RiskFlagCode,
} from '../vocabulary.js';
import type { AgreedActionRef, DirectContactRecordState } from './state.js';

export const TRANSFER_EVENTS = [
  'transfer.created',
  'transfer.updated',
  'transfer.initiated',
  'contact.recorded',
  'contact.confirmed',
  'contact.disputed',
  'flag.acknowledged',
  'transfer.accepted',
  'notification.acknowledged',
  'transfer.accepted_in', // child protection: accepted pending the transfer-in conference
  'conference.recorded',
  'conference.confirmed', // the written outcome received: accountability passes
  'child.seen', // issue 14 item 1: a receiving practitioner recorded a child seen
  'transfer.returned',
  'transfer.cancelled',
  'transfer.closed',
  'transfer.reassigned',
  'appointment.outcome', // an appointment's outcome, and what it does to the appointment's chase item
  // the family not reached (issue 14 item 2): each event carries the route as it now is
  'family.not_reached',
  'locate_check.closed',
  'national_alert.decided',
  'family.found',
] as const;
export type TransferEvent = (typeof TRANSFER_EVENTS)[number];

/** A direct contact as decided: pending check-back, its acknowledgements and agreed actions as given. */
export interface RecordedContact {
  readonly id: string;
  readonly occurredAt: Date;
  readonly method: string;
  readonly sendingPractitionerId: string;
  readonly recordedById: string;
  readonly state: Extract<DirectContactRecordState, 'pending'>;
  /** As the receiver gave them, one per flag, with what they understood. */
  readonly flagAcknowledgements: readonly { readonly code: string; readonly understanding: string }[];
  readonly agreedActions: readonly AgreedActionRef[];
}

/** An appointment's outcome as decided (the appointment row's new status and its date). */
export type AppointmentOutcome =
  | { readonly status: 'attended'; readonly attendedOn: string }
  | { readonly status: 'was_not_brought' | 'no_access'; readonly rebookedFor: string | null }
  /** carerCancellations: this appointment's cancellations and reschedules by the carer, this one included. */
  | { readonly status: 'cancelled_by_carer'; readonly rebookedFor: string | null; readonly carerCancellations: number }
  | { readonly status: 'rescheduled'; readonly rescheduledFor: string; readonly carerCancellations: number };

/**
 * What an outcome does to the appointment's chase item: close it with the attendance as evidence,
 * escalate the open one, or open one (owned by whoever owns the transfer's loose ends), or nothing.
 */
export type AppointmentChase =
  | {
      readonly action: 'close';
      readonly itemId: string;
      readonly resolution: 'attended';
      readonly evidence: { readonly attendedOn: string };
    }
  | {
      readonly action: 'escalate';
      readonly itemId: string;
      readonly escalationLevel: EscalationLevel;
      readonly nextChaseAt: Date;
    }
  | {
      readonly action: 'open';
      readonly kind: 'appointment';
      readonly memberId: string;
      readonly appointmentId: string;
      readonly escalationLevel: EscalationLevel;
      readonly nextChaseAt: Date;
    }
  | { readonly action: 'none' };

/** The events, with their payloads (a discriminated union on `type`). */
export type TransferEventRecord =
  | { readonly type: 'transfer.created' }
  | {
      readonly type: 'transfer.updated';
      /** The facts now recorded; the household and appointments they name are all that is kept. */
      readonly facts: TransferFacts;
      readonly receiving: { readonly teamId: string; readonly areaId: string };
    }
  | {
      readonly type: 'transfer.initiated';
      readonly initiatedAt: Date;
      /** When direct contact falls due (DESIGN §5), from the involvement and the clock policy. */
      readonly contactDueAt: Date;
    }
  | { readonly type: 'contact.recorded'; readonly contact: RecordedContact }
  | {
      readonly type: 'contact.confirmed';
      readonly contactId: string;
      readonly state: 'confirmed';
      readonly checkedById: string;
    }
  | {
      readonly type: 'contact.disputed';
      readonly contactId: string;
      readonly state: 'disputed';
      readonly checkedById: string;
      /** Why the sending side does not agree (trimmed). */
      readonly comment: string;
    }
  | {
      readonly type: 'flag.acknowledged';
      readonly code: RiskFlagCode;
      readonly advice: string;
      readonly by: string;
      /** What was done about each item the bruising protocol was missing (trimmed); [] when none was. */
      readonly actions: readonly { readonly item: BruisingProtocolItem; readonly action: string }[];
    }
  | { readonly type: 'transfer.accepted'; readonly at: Date; readonly lead: string }
  /** Child protection: transfer-in accepted; the lead is interim lead, accountability stays. */
  | { readonly type: 'transfer.accepted_in'; readonly at: Date; readonly interimLead: string }
  /** Child protection: the receiving area's transfer-in conference (chair trimmed). */
  | {
      readonly type: 'conference.recorded';
      readonly heldOn: string;
      readonly outcome: ConferenceOutcome;
      readonly chair: string;
      readonly recordedById: string;
    }
  /** Child protection: the sending side has the written outcome; accountability passed. */
  | { readonly type: 'conference.confirmed'; readonly receivedOn: string; readonly confirmedById: string }
  /** A child seen in the receiving area (the note is the request's content, sealed beside it). */
  | {
      readonly type: 'child.seen';
      /** When it was recorded (the service clock). */
      readonly at: Date;
      readonly memberId: string;
      readonly seenOn: string;
      readonly seenById: string;
      readonly where: ChildSeenPlace;
      readonly seenAlone: boolean;
      readonly recordedById: string;
    }
  /** A host notification acknowledged: the host team's contact; accountability stays. */
  | { readonly type: 'notification.acknowledged'; readonly at: Date; readonly contactPractitionerId: string }
  | { readonly type: 'transfer.returned'; readonly at: Date; readonly reason: string }
  | { readonly type: 'transfer.cancelled'; readonly at: Date; readonly reason: string }
  | { readonly type: 'transfer.closed'; readonly at: Date }
  | { readonly type: 'transfer.reassigned'; readonly from: string; readonly to: string }
  /** An appointment's outcome (issue 11 item 2): the appointment's new status and its chase item. */
  | {
      readonly type: 'appointment.outcome';
      readonly appointmentId: string;
      readonly memberId: string;
      readonly outcome: AppointmentOutcome;
      readonly chase: AppointmentChase;
      /** A child on a child protection plan not seen (not brought, no access): both areas' leads are told at once. */
      readonly leadsAlerted: boolean;
      readonly recordedById: string;
      readonly recordedAt: Date;
    }
  /**
   * The family not reached (issue 14 item 2): `opened` when this report opened a new route (the
   * first, or the first since the family was found), else the attempts were added to the open one.
   */
  | { readonly type: 'family.not_reached'; readonly opened: boolean; readonly route: FamilyNotReachedState }
  | { readonly type: 'locate_check.closed'; readonly check: LocateCheck; readonly route: FamilyNotReachedState }
  | { readonly type: 'national_alert.decided'; readonly raised: boolean; readonly route: FamilyNotReachedState }
  | { readonly type: 'family.found'; readonly route: FamilyNotReachedState };

/** The event of one type, with its payload. */
export type EventOf<K extends TransferEvent> = Extract<TransferEventRecord, { type: K }>;

/** Every event type has a payload shape (the compiler refuses this line otherwise). */
const _everyEventHasAPayload: Exclude<TransferEvent, TransferEventRecord['type']> extends never ? true : never = true;

/**
 * Whether writing the event recomputes the stored risk flags (and the kind). Flags are computed
 * from the facts alone (risk-flags.ts: no clock, no status — the one clock-raised flag,
 * CONFERENCE_OVERDUE, is computed where a transfer is read and never stored), so only an event that
 * changes the facts can change them: a new draft, an update (also written for a loose end that
 * changed a fact — a GP registration, an appointment outcome, a move now permanent). The initiation
 * recomputes too, so a transfer goes out with the flags today's rules raise even if its draft was
 * stored under older ones. Every other event keeps the stored flags; the property test checks that
 * each of them leaves the facts as they were. A new event must say which it is (the compiler asks).
 */
export const RECOMPUTES_FLAGS: Readonly<Record<TransferEvent, boolean>> = {
  'transfer.created': true,
  'transfer.updated': true,
  'transfer.initiated': true,
  'contact.recorded': false,
  'contact.confirmed': false,
  'contact.disputed': false,
  'flag.acknowledged': false,
  'transfer.accepted': false,
  'notification.acknowledged': false,
  'transfer.accepted_in': false,
  'conference.recorded': false,
  'conference.confirmed': false,
  'transfer.returned': false,
  'transfer.cancelled': false,
  'transfer.closed': false,
  'transfer.reassigned': false,
  // An outcome changes the appointment's status (e.g. was not brought: WAS_NOT_BROUGHT).
  'appointment.outcome': true,
  // A child seen closes its chase item; the facts (and so the flags) are as they were.
  'child.seen': false,
  // The route's flag (FAMILY_NOT_REACHED) follows from the route, not the facts: computed on read.
  'family.not_reached': false,
  'locate_check.closed': false,
  'national_alert.decided': false,
  'family.found': false,
};

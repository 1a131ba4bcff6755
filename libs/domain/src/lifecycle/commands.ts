/** What can be asked of a transfer: one command per transition (see transitions.ts). */
import type { TransferFacts } from '../facts.js';
import type { EscalationLevel } from '../vocabulary.js';
import type { AgreedActionRef, PractitionerRef } from './state.js';

/** An open chase item as a command names it: its id and how far it has been escalated. */
export interface OpenChaseItemRef {
  readonly id: string;
  readonly escalationLevel: EscalationLevel;
}

export type Command =
  /** Replace the facts (and optionally the receiving team) of a draft or returned transfer. */
  | {
      readonly type: 'update';
      readonly facts: TransferFacts;
      readonly receiving?: { readonly teamId: string; readonly areaId: string };
    }
  | { readonly type: 'initiate' }
  | {
      readonly type: 'recordContact';
      /** The id the service gives the stored contact record (the check-back names it). */
      readonly contactId: string;
      readonly occurredAt: Date;
      /** Validated here: must be a ContactMethod (a conversation). */
      readonly method: string;
      readonly sendingPractitioner: PractitionerRef;
      /** One per active risk flag, with what the receiver understood of its significance. */
      readonly flagAcknowledgements: readonly { readonly code: string; readonly understanding: string }[];
      /** Agreed actions already given ids by the service; chased once the contact is confirmed. */
      readonly agreedActions?: readonly AgreedActionRef[];
    }
  | { readonly type: 'confirmContact'; readonly agree: boolean; readonly comment?: string | null }
  | {
      readonly type: 'acknowledgeFlag';
      readonly code: string;
      readonly advice: string;
      /**
       * NON_MOBILE_INFANT_BRUISING while the bruising protocol is incomplete: what was done about
       * each missing item, one entry per item (issue 14 item 4). `item` is checked here.
       */
      readonly actions?: readonly ProtocolActionInput[];
    }
  | { readonly type: 'accept'; readonly leadPractitioner: PractitionerRef }
  /** A host notification: the host (receiving) team names its contact; accountability stays with the sending side. */
  | { readonly type: 'acknowledgeNotification'; readonly contactPractitioner: PractitionerRef }
  /** Child protection: the receiving side records its transfer-in conference (validated here). */
  | {
      readonly type: 'recordConference';
      readonly heldOn: string;
      readonly outcome: string;
      readonly chair: string;
    }
  /** Child protection: the sending side has the conference's written outcome; accountability passes. */
  | { readonly type: 'confirmConference'; readonly receivedOn: string }
  /**
   * The child seen (issue 14 item 1): a receiving practitioner records that a child of the transfer
   * was seen (validated here). `itemOpen` is whether the child's child_seen item is still open — a
   * fact of the store, as `close` is given the number of open items.
   */
  | {
      readonly type: 'recordChildSeen';
      readonly memberId: string;
      readonly seenOn: string;
      readonly seenBy: PractitionerRef;
      readonly where: string;
      readonly seenAlone: unknown;
      readonly itemOpen: boolean;
    }
  | { readonly type: 'return'; readonly reason: string }
  | { readonly type: 'cancel'; readonly reason: string }
  | { readonly type: 'close'; readonly openChaseItems: number }
  /**
   * An appointment's outcome (POST /v1/appointments/:id/outcome), validated here; `chase` is the
   * appointment's open chase item as the service found it (null when none is open).
   */
  | {
      readonly type: 'recordOutcome';
      readonly appointmentId: string;
      readonly status: string;
      readonly attendedOn?: string;
      readonly rebookedFor?: string;
      /** rescheduled: the new date. */
      readonly rescheduledFor?: string;
      readonly chase: OpenChaseItemRef | null;
    }
  /** A manager hands accountability to another practitioner of the same (accountable) side's team. */
  | { readonly type: 'reassign'; readonly to: PractitionerRef }
  /**
   * The family not reached (issue 14 item 2, family-not-reached.ts), validated there: either side
   * reports its failed attempts (opens the route, or adds to the open one)…
   */
  | {
      readonly type: 'reportNotReached';
      readonly attempts: readonly { readonly on: unknown; readonly method: unknown; readonly note?: unknown }[];
    }
  /** …closes a locate check with what was found (the education setting: and whether the pupil file moved)… */
  | {
      readonly type: 'closeLocateCheck';
      readonly check: string;
      readonly found: unknown;
      readonly pupilFileMoved?: unknown;
    }
  /** …a safeguarding lead records the national alert decision (raised with its reference, or not with the reason)… */
  | {
      readonly type: 'recordNationalAlert';
      readonly raised: unknown;
      readonly reference?: unknown;
      readonly reason?: unknown;
    }
  /** …and the family found (when, how) ends the route, which stays in the history. */
  | { readonly type: 'recordFamilyFound'; readonly on: unknown; readonly how: unknown };

export type CommandType = Command['type'];

/** What a safeguarding lead says was done about one missing item of the bruising protocol. */
export interface ProtocolActionInput {
  readonly item: string;
  readonly action: string;
}

export interface NewTransfer {
  readonly receivingTeamId: string;
  readonly receivingAreaId: string;
  readonly facts: TransferFacts;
}

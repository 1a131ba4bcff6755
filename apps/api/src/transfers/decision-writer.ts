import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { chaseOwnerFor, receivingChaseOwnerId } from '@fh/domain';
import type { ChaseCloseEffect, Effect, EventOf, TransferEventRecord, TransferState } from '@fh/domain';
import { queueNotification } from '@fh/notifications';
import type { MailSettings } from '@fh/notifications';
import { addToOutbox, ChaseItemRepository, TransferRepository } from '@fh/persistence';
import type { EmailFactsRow, FamilyRecords, NewAgreedAction, TransferFields, TransferRecord } from '@fh/persistence';
import { EntityManager } from 'typeorm';

/** A decision to write: the domain's new state, its event (with the facts it decided) and its effects. */
export interface DecisionToWrite {
  readonly state: TransferState;
  readonly event: TransferEventRecord;
  readonly effects: readonly Effect[];
}

/**
 * What a request says that the domain does not model — names, addresses, free text — stored beside
 * the event's facts. Never a decision: whatever the domain decided comes from the event.
 */
export interface RequestContent {
  /** transfer.created / transfer.updated: the transfer's fields and family records, as the input mapper built them. */
  readonly family?: { readonly fields: TransferFields; readonly records: FamilyRecords };
  /** contact.recorded: what was said, and what each agreed action (by the id the command gave it) is. */
  readonly contact?: {
    readonly summary: string;
    readonly agreedActions: readonly Omit<NewAgreedAction, 'dueOn'>[];
  };
  /** conference.recorded: the conference's notes (free text), beside what the domain decided. */
  readonly conference?: { readonly notes: string | null };
  /** child.seen: the practitioner's note (free text), sealed with the record. */
  readonly childSeen?: { readonly note: string | null };
}

/**
 * Writes a decision as rows, inside the transition's transaction, so the change and everything it
 * sets in motion commit together: the event (one exhaustive switch — the compiler refuses an event
 * without its case), the new state, then the effects (libs/domain/src/lifecycle/effects.ts →
 * EFFECTS: chase items, emails, outbox jobs). The one place where a decision becomes rows.
 */
@Injectable()
export class DecisionWriter {
  private readonly mail: MailSettings;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
  }

  /**
   * Writes the decision about the transfer `before` (null for a new draft) and returns the
   * transfer's id.
   */
  async write(
    manager: EntityManager,
    before: TransferRecord | null,
    decision: DecisionToWrite,
    content: RequestContent = {},
  ): Promise<string> {
    const transfers = new TransferRepository(manager);
    const { event, state } = decision;
    if (event.type === 'transfer.created') {
      const family = required(content.family, event);
      const id = await transfers.insertDraft(family.fields, state, state.accountablePractitionerId);
      await transfers.replaceFamily(id, family.records);
      await this.carryOut(manager, id, state, decision.effects, undefined);
      return id;
    }
    if (!before) throw new Error(`${event.type} needs the transfer it changes`);
    const id = before.transfer.id;
    const round = before.transfer.round;
    switch (event.type) {
      case 'transfer.updated': {
        const family = required(content.family, event);
        await transfers.updateDraft(id, family.fields, event.receiving);
        await transfers.replaceFamily(id, family.records);
        break;
      }
      case 'transfer.initiated':
        await transfers.markInitiated(id, event.initiatedAt, event.contactDueAt);
        break;
      case 'contact.recorded': {
        const said = required(content.contact, event);
        const what = new Map(said.agreedActions.map((a) => [a.id, a]));
        await transfers.insertContact(id, {
          ...event.contact,
          round,
          summary: said.summary,
          agreedActions: event.contact.agreedActions.map((a) => ({
            ...required(what.get(a.id), event),
            dueOn: a.dueOn,
          })),
        });
        break;
      }
      case 'contact.confirmed':
        await transfers.checkContact(id, event.contactId, event.state, event.checkedById, null);
        break;
      case 'contact.disputed':
        await transfers.checkContact(id, event.contactId, event.state, event.checkedById, event.comment);
        break;
      case 'flag.acknowledged':
        await transfers.acknowledgeFlag(id, round, event.code, event.advice, event.by, event.actions);
        break;
      case 'transfer.accepted':
        await transfers.markAccepted(id, event.at);
        break;
      case 'transfer.accepted_in':
        // Child protection: the transfer-in's acceptance time; the interim lead is the state's.
        await transfers.markAccepted(id, event.at);
        break;
      case 'conference.recorded':
        await transfers.recordConference(id, {
          heldOn: event.heldOn,
          outcome: event.outcome,
          chair: event.chair,
          notes: required(content.conference, event).notes,
          recordedById: event.recordedById,
        });
        break;
      case 'conference.confirmed':
        await transfers.confirmConference(id, event.receivedOn, event.confirmedById);
        break;
      case 'child.seen': {
        // The record is the child's child_seen item's evidence (sealed): it closes the item.
        const closed = await new ChaseItemRepository(manager).recordChildSeen(
          id,
          event.memberId,
          event.at,
          event.recordedById,
          {
            seenOn: event.seenOn,
            seenById: event.seenById,
            where: event.where,
            seenAlone: event.seenAlone,
            note: required(content.childSeen, event).note,
          },
        );
        if (!closed) throw new Error(`child.seen: no open child_seen item for member ${event.memberId}`);
        break;
      }
      case 'transfer.returned':
        await transfers.markReturned(id, event.at, event.reason);
        break;
      case 'transfer.cancelled':
        await transfers.markCancelled(id, event.at, event.reason);
        break;
      case 'appointment.outcome':
        await this.writeOutcome(manager, id, decision.state, event);
        break;
      // The family not reached: the route as the decision left it (a new row when the report opened one).
      case 'family.not_reached':
        await transfers.saveRoute(id, event.route, event.opened);
        break;
      case 'locate_check.closed':
      case 'national_alert.decided':
      case 'family.found':
        await transfers.saveRoute(id, event.route, false);
        break;
      case 'transfer.closed':
      case 'transfer.reassigned':
      case 'notification.acknowledged':
        // Status, accountability, the host's contact and the closing / acknowledging time are the
        // state applyDecision writes.
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
      }
    }
    const written = await transfers.applyDecision(
      id,
      state,
      event.type,
      event.type === 'transfer.closed' || event.type === 'notification.acknowledged' ? event.at : null,
    );
    await this.carryOut(manager, id, state, decision.effects, emailFactsOf(before, state, written));
    return id;
  }

  /** An appointment's outcome: the appointment's new status, and what the domain decided for its chase item. */
  private async writeOutcome(
    manager: EntityManager,
    transferId: string,
    after: TransferState,
    event: EventOf<'appointment.outcome'>,
  ): Promise<void> {
    const transfers = new TransferRepository(manager);
    const chaseItems = new ChaseItemRepository(manager);
    const { outcome, chase } = event;
    switch (outcome.status) {
      case 'attended':
        await transfers.recordAttendance(event.appointmentId, outcome.attendedOn);
        break;
      case 'was_not_brought':
      case 'no_access':
        await transfers.recordNotSeen(event.appointmentId, outcome.status, outcome.rebookedFor);
        break;
      case 'cancelled_by_carer':
        await transfers.recordCarerCancellation(event.appointmentId, {
          status: outcome.status,
          rebookedFor: outcome.rebookedFor,
          rescheduledFor: null,
          carerCancellations: outcome.carerCancellations,
        });
        break;
      case 'rescheduled':
        await transfers.recordCarerCancellation(event.appointmentId, {
          status: outcome.status,
          rebookedFor: null,
          rescheduledFor: outcome.rescheduledFor,
          carerCancellations: outcome.carerCancellations,
        });
        break;
      default: {
        const unknown: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(unknown)}`);
      }
    }
    switch (chase.action) {
      case 'close':
        await chaseItems.closeWithEvidence(chase.itemId, event.recordedAt, event.recordedById, chase.resolution, {
          ...chase.evidence,
        });
        break;
      case 'escalate':
        await chaseItems.escalate(chase.itemId, chase.escalationLevel, chase.nextChaseAt);
        break;
      case 'open':
        await chaseItems.open(transferId, {
          kind: chase.kind,
          memberId: chase.memberId,
          appointmentId: chase.appointmentId,
          ownerId: chaseOwnerFor(chase.kind, after),
          nextChaseAt: chase.nextChaseAt,
          escalationLevel: chase.escalationLevel,
        });
        break;
      case 'none':
        break;
      default: {
        const unknown: never = chase;
        throw new Error(`unhandled chase ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The effects, in order, as rows: chase items, emails and outbox jobs. */
  private async carryOut(
    manager: EntityManager,
    transferId: string,
    after: TransferState,
    effects: readonly Effect[],
    /** What emails name, from what the transition already read and wrote (undefined: queried). */
    known: EmailFactsRow | undefined,
  ): Promise<void> {
    const chaseItems = new ChaseItemRepository(manager);
    for (const effect of effects) {
      switch (effect.type) {
        case 'packet.generate':
          await addToOutbox(manager, 'packet.generate', { transferId });
          break;
        case 'notify':
          await queueNotification(
            manager,
            this.mail,
            transferId,
            {
              message: effect.message,
              to: effect.to,
              flagCodes: effect.flagCodes,
              sendingParticipantId: after.directContact?.sendingPractitionerId ?? null,
            },
            known,
          );
          break;
        case 'chase.open':
          await chaseItems.open(transferId, {
            kind: effect.kind,
            memberId: effect.memberId,
            appointmentId: effect.appointmentId,
            agreedActionId: effect.agreedActionId,
            ownerId: chaseOwnerFor(effect.kind, after),
            dueOn: effect.dueOn ?? null,
            nextChaseAt: effect.firstChaseAt,
            escalationLevel: effect.escalationLevel,
          });
          break;
        case 'chase.transfer_ownership':
          await chaseItems.moveOwnership(transferId, effect.to, receivingChaseOwnerId(after));
          break;
        case 'chase.close_all':
          await chaseItems.closeAll(transferId, effect.resolution);
          break;
        case 'chase.close_unrecorded':
          await chaseItems.closeNoLongerRecorded(transferId, effect.appointmentIds, effect.memberIds);
          break;
        case 'chase.close':
          await chaseItems.closeByKind(transferId, effect.kind, effect.resolution);
          break;
        default: {
          const unknown: never = effect;
          throw new Error(`unhandled effect ${JSON.stringify(unknown)}`);
        }
      }
    }
  }

  /**
   * Writes what closing a chase item set in motion (libs/domain/src/chasing.ts → closeEffects), in the
   * close's transaction: one exhaustive switch, as for a transfer's effects.
   */
  async writeCloseEffects(
    manager: EntityManager,
    transferId: string,
    effects: readonly ChaseCloseEffect[],
  ): Promise<void> {
    const transfers = new TransferRepository(manager);
    for (const effect of effects) {
      switch (effect.type) {
        case 'gp.registered':
          await transfers.recordGpRegistration(effect.memberId, effect.practiceOds, effect.practiceName);
          break;
        case 'appointment.attended':
          await transfers.recordAttendance(effect.appointmentId, effect.attendedOn);
          break;
        case 'move.permanent':
          await transfers.recordMovePermanent(transferId);
          break;
        case 'move_review.open':
          await new ChaseItemRepository(manager).open(transferId, {
            kind: 'move_review',
            ownerId: await transfers.chaseOwnerId(transferId),
            nextChaseAt: effect.firstChaseAt,
            escalationLevel: 0,
          });
          break;
        default: {
          const unknown: never = effect;
          throw new Error(`unhandled close effect ${JSON.stringify(unknown)}`);
        }
      }
    }
  }
}

/** Content an event cannot be written without: its absence is a programming error, never the caller's. */
function required<T>(value: T | undefined, event: TransferEventRecord): T {
  if (value === undefined) throw new Error(`${event.type}: the request's content is missing`);
  return value;
}

/**
 * What an email about the transfer names, without reading it again: the reference and the sending
 * side from the record the decision was made on, the receiving side from it too unless the decision
 * moved the transfer to another team (then undefined, and the email's facts are queried), the new
 * version and the contact deadline as the decision's UPDATE returned them.
 */
function emailFactsOf(
  before: TransferRecord,
  after: TransferState,
  written: { version: number; contactDueAt: Date | null },
): EmailFactsRow | undefined {
  const t = before.transfer;
  if (after.receivingTeamId !== t.receivingTeamId || after.sendingTeamId !== t.sendingTeamId) return undefined;
  return {
    reference: t.reference,
    version: written.version,
    contactDueAt: written.contactDueAt,
    sendingTeam: t.sendingTeamName,
    sendingArea: t.sendingAreaName,
    receivingTeam: t.receivingTeamName,
    receivingArea: t.receivingAreaName,
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { Effect, TransferState } from '@fh/domain';
import { queueNotification } from '@fh/notifications';
import type { MailSettings } from '@fh/notifications';
import { addToOutbox, ChaseItemRepository } from '@fh/persistence';
import { EntityManager } from 'typeorm';

/**
 * Carries out the effects a transition decided (libs/domain/src/lifecycle/effects.ts → EFFECTS), inside the
 * transition's transaction, so the change and everything it sets in motion commit together.
 * This is the one place where an effect becomes rows: chase items, emails and outbox jobs.
 */
@Injectable()
export class TransitionEffects {
  private readonly mail: MailSettings;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
  }

  async apply(manager: EntityManager, transferId: string, after: TransferState, effects: Effect[]): Promise<void> {
    const chaseItems = new ChaseItemRepository(manager);
    for (const effect of effects) {
      switch (effect.type) {
        case 'packet.generate':
          await addToOutbox(manager, 'packet.generate', { transferId });
          break;
        case 'notify':
          await queueNotification(manager, this.mail, transferId, {
            message: effect.message,
            to: effect.to,
            flagCodes: effect.flagCodes,
            sendingParticipantId: after.directContact?.sendingPractitionerId ?? null,
          });
          break;
        case 'chase.open':
          await chaseItems.open(transferId, {
            kind: effect.kind,
            memberId: effect.memberId,
            appointmentId: effect.appointmentId,
            agreedActionId: effect.agreedActionId,
            ownerId: after.accountablePractitionerId,
            nextChaseAt: effect.firstChaseAt,
            escalationLevel: effect.escalationLevel,
          });
          break;
        case 'chase.transfer_ownership':
          await chaseItems.moveOwnership(transferId, effect.to);
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
}

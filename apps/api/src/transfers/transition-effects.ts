import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { Effect, TransferState } from '@fh/domain';
import { queueNotification } from '@fh/notifications';
import type { MailSettings } from '@fh/notifications';
import { addToOutbox } from '@fh/persistence';
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
          await manager.query(
            `INSERT INTO chase_items (transfer_id, kind, member_id, appointment_id, agreed_action_id, owner_id, next_chase_at, escalation_level)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8
             WHERE NOT EXISTS (
               SELECT 1 FROM chase_items WHERE transfer_id = $1 AND kind = $2 AND status = 'open'
                 AND member_id IS NOT DISTINCT FROM $3::uuid AND appointment_id IS NOT DISTINCT FROM $4::uuid
                 AND agreed_action_id IS NOT DISTINCT FROM $5::uuid)`,
            [
              transferId,
              effect.kind,
              effect.memberId ?? null,
              effect.appointmentId ?? null,
              effect.agreedActionId ?? null,
              after.accountablePractitionerId,
              effect.firstChaseAt,
              effect.escalationLevel,
            ],
          );
          break;
        case 'chase.transfer_ownership':
          await manager.query(`UPDATE chase_items SET owner_id = $2 WHERE transfer_id = $1 AND status = 'open'`, [
            transferId,
            effect.to,
          ]);
          break;
        case 'chase.close_all':
          await manager.query(
            `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = $2 WHERE transfer_id = $1 AND status = 'open'`,
            [transferId, effect.resolution],
          );
          break;
        case 'chase.close':
          await manager.query(
            `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = $3 WHERE transfer_id = $1 AND kind = $2 AND status = 'open'`,
            [transferId, effect.kind, effect.resolution],
          );
          break;
        default: {
          const unknown: never = effect;
          throw new Error(`unhandled effect ${JSON.stringify(unknown)}`);
        }
      }
    }
  }
}

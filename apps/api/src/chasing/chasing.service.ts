import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { canSee, Clock, decideAppointmentOutcome, decideClose, firstChaseAt } from '@fh/domain';
import type { ClockPolicy } from '@fh/domain';
import { ChaseItemRepository, loadVisibilityFacts, TransferRepository } from '@fh/persistence';
import type { ChaseItemRow } from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { refusal } from '../common/refusal.js';
import { claimIdempotencyKey } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { TransferCommandsService } from '../transfers/transfer-commands.service.js';
import { actorOf, canSeeTransfer } from '../transfers/visibility.js';
import type { AppointmentOutcomeDto, CloseChaseItemDto } from './chasing.dto.js';

/** Chase items: listed per transfer, closed only with evidence, and appointment outcomes. */
@Injectable()
export class ChasingService {
  /** The one clock policy, from configuration (when a re-asked move review or a rebooked appointment is chased). */
  private readonly clocks: ClockPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
    private readonly transfers: TransferCommandsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clocks = config.clocks;
  }

  async list(ctx: RequestContext, transferId: string): Promise<ChaseItemRow[]> {
    const target = { action: 'chase_item.list_view', entityType: 'transfer', entityId: transferId, transferId };
    const items = await this.dataSource.transaction(async (manager) => {
      const transfer = await loadVisibilityFacts(manager, transferId);
      if (!transfer || !canSee(actorOf(ctx.actor), transfer)) return null;
      await this.audited.view(manager, ctx, target);
      return new ChaseItemRepository(manager).listOf(transferId);
    });
    if (!items) {
      await this.audited.refused(ctx, target, 'NOT_FOUND');
      throw ApiError.notFound('transfer');
    }
    return items;
  }

  close(ctx: RequestContext, itemId: string, dto: CloseChaseItemDto, write: WriteOptions): Promise<ChaseItemRow> {
    return this.audited.write(
      ctx,
      { action: 'chase_item.close', entityType: 'chase_item', entityId: itemId },
      async (manager) => {
        const store = await claimIdempotencyKey(
          manager,
          ctx.actor.id,
          write.idempotency,
          (body) => (body as { transferId?: unknown } | null)?.transferId,
          (transferId) => canSeeTransfer(manager, ctx.actor, transferId),
          (id) => new ChaseItemRepository(manager).get(id),
        );
        const chaseItems = new ChaseItemRepository(manager);
        const transfers = new TransferRepository(manager);
        const locked = await chaseItems.lockForDecision('id', itemId);
        const item = locked && canSee(actorOf(ctx.actor), locked) ? locked : null;
        if (!item) throw ApiError.notFound('chase item');
        const now = this.clock.now();
        const decision = decideClose(item, item, actorOf(ctx.actor), dto, now);
        if (!decision.ok) throw refusal(decision);
        await chaseItems.closeWithEvidence(itemId, now, ctx.actor.id, decision.resolution, decision.evidence);
        // Evidence that changes what is known about the family is written where the family is recorded.
        if (decision.resolution === 'registered' && item.memberId) {
          await transfers.recordGpRegistration(
            item.memberId,
            decision.evidence.practiceOds,
            decision.evidence.practiceName,
          );
        }
        if (decision.resolution === 'attended' && item.appointmentId) {
          await transfers.recordAttendance(item.appointmentId, decision.evidence.attendedOn);
        }
        // A move review's answer (issue 13 item 3): the move is now permanent, or the question is asked again.
        if (decision.resolution === 'now_permanent') await transfers.recordMovePermanent(item.transferId);
        if (decision.resolution === 'still_temporary') {
          await chaseItems.open(item.transferId, {
            kind: 'move_review',
            ownerId: await transfers.chaseOwnerId(item.transferId),
            nextChaseAt: firstChaseAt('move_review', { dueOn: decision.evidence.nextReviewOn }, this.clocks),
            escalationLevel: 0,
          });
        }
        await this.transfers.afterChaseChange(manager, ctx, item.transferId);
        const view = (await chaseItems.get(itemId))!;
        await store(HttpStatus.OK, view);
        return {
          result: view,
          transferId: item.transferId,
          details: { kind: item.kind, resolution: decision.resolution },
        };
      },
    );
  }

  outcome(ctx: RequestContext, appointmentId: string, dto: AppointmentOutcomeDto, write: WriteOptions) {
    return this.audited.write(
      ctx,
      { action: 'appointment.outcome', entityType: 'appointment', entityId: appointmentId },
      async (manager) => {
        const store = await claimIdempotencyKey(
          manager,
          ctx.actor.id,
          write.idempotency,
          (body) => (body as { transferId?: unknown } | null)?.transferId,
          (transferId) => canSeeTransfer(manager, ctx.actor, transferId),
          (id) => this.appointmentView(manager, id),
        );
        const chaseItems = new ChaseItemRepository(manager);
        const transfers = new TransferRepository(manager);
        const appointment = await transfers.lockAppointmentForDecision(appointmentId);
        if (!appointment || !canSee(actorOf(ctx.actor), appointment)) throw ApiError.notFound('appointment');
        if (
          !appointment.initiatedAt ||
          appointment.transferStatus === 'cancelled' ||
          appointment.transferStatus === 'closed'
        ) {
          throw new ApiError(HttpStatus.CONFLICT, 'INVALID_STATE', [
            `outcomes are recorded for transfers in progress; this one is ${appointment.initiatedAt ? appointment.transferStatus : 'not initiated yet'}`,
          ]);
        }
        const lockedItem = await chaseItems.lockForDecision('openOfAppointment', appointmentId);
        const item = lockedItem && canSee(actorOf(ctx.actor), lockedItem) ? lockedItem : null;
        const now = this.clock.now();
        const decision = decideAppointmentOutcome(
          appointment,
          actorOf(ctx.actor),
          dto,
          item?.escalationLevel ?? 0,
          now,
          this.clocks,
        );
        if (!decision.ok) throw refusal(decision);
        if (decision.status === 'attended') {
          await transfers.recordAttendance(appointmentId, decision.attendedOn);
          if (item) {
            await chaseItems.closeWithEvidence(item.id, now, ctx.actor.id, 'attended', {
              attendedOn: decision.attendedOn,
            });
          }
        } else {
          await transfers.recordNotBrought(appointmentId, decision.rebookedFor);
          if (item) {
            await chaseItems.escalate(item.id, decision.escalationLevel, decision.nextChaseAt);
          } else if (appointment.initiatedAt) {
            await chaseItems.open(appointment.transferId, {
              kind: 'appointment',
              memberId: appointment.memberId,
              appointmentId,
              ownerId: await transfers.chaseOwnerId(appointment.transferId),
              nextChaseAt: decision.nextChaseAt,
              escalationLevel: decision.escalationLevel,
            });
          }
        }
        await this.transfers.afterChaseChange(manager, ctx, appointment.transferId);
        const result = await this.appointmentView(manager, appointmentId);
        await store(HttpStatus.OK, result);
        return { result, transferId: appointment.transferId, details: { status: decision.status } };
      },
    );
  }

  /** An appointment as the outcome endpoint shows it, with its latest chase item. */
  private async appointmentView(manager: EntityManager, appointmentId: string) {
    const view = await new TransferRepository(manager).appointment(appointmentId);
    const chaseItem = await new ChaseItemRepository(manager).latestOfAppointment(appointmentId);
    return { ...view, chaseItem: chaseItem ?? null };
  }
}

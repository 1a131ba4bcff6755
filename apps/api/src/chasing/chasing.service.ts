import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { canSee, Clock, closeEffects, decide, decideClose } from '@fh/domain';
import type { ClockPolicy } from '@fh/domain';
import { ChaseItemRepository, loadVisibilityFacts, stateOf, TransferRepository } from '@fh/persistence';
import type { ChaseItemRow } from '@fh/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { refusal } from '../common/refusal.js';
import { claimIdempotencyKey } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { DecisionWriter } from '../transfers/decision-writer.js';
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
    private readonly writer: DecisionWriter,
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
        const store = await this.claimKey(manager, ctx, write, (id) => new ChaseItemRepository(manager).get(id));
        const chaseItems = new ChaseItemRepository(manager);
        const locked = await chaseItems.lockForDecision('id', itemId);
        const item = locked && canSee(actorOf(ctx.actor), locked) ? locked : null;
        if (!item) throw ApiError.notFound('chase item');
        const now = this.clock.now();
        const decision = decideClose(item, item, actorOf(ctx.actor), dto, now);
        if (!decision.ok) throw refusal(decision);
        await chaseItems.closeWithEvidence(itemId, now, ctx.actor.id, decision.resolution, decision.evidence);
        await this.writer.writeCloseEffects(manager, item.transferId, closeEffects(item, decision, this.clocks));
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

  /**
   * An appointment's outcome: the domain decides it (the lifecycle's `recordOutcome`: outcomes only
   * while the transfer is in progress, by either team, and what happens to the appointment's chase
   * item), and the one writer (DecisionWriter) turns the decision into rows.
   */
  outcome(ctx: RequestContext, appointmentId: string, dto: AppointmentOutcomeDto, write: WriteOptions) {
    return this.audited.write(
      ctx,
      { action: 'appointment.outcome', entityType: 'appointment', entityId: appointmentId },
      async (manager) => {
        const store = await this.claimKey(manager, ctx, write, (id) => this.appointmentView(manager, id));
        const transfers = new TransferRepository(manager);
        const actor = actorOf(ctx.actor);
        // The transfer first, then the appointment: the one lock order every writer follows.
        const appointment = await transfers.lockAppointmentForDecision(appointmentId);
        if (!appointment || !canSee(actor, appointment)) throw ApiError.notFound('appointment');
        const record = (await transfers.loadForDecision(appointment.transferId, { lock: true }))!;
        const item = await new ChaseItemRepository(manager).lockForDecision('openOfAppointment', appointmentId);
        const decision = decide(
          stateOf(record),
          actor,
          {
            type: 'recordOutcome',
            appointmentId,
            status: dto.status,
            attendedOn: dto.attendedOn,
            rebookedFor: dto.rebookedFor,
            rescheduledFor: dto.rescheduledFor,
            chase: item ? { id: item.id, escalationLevel: item.escalationLevel } : null,
          },
          this.clock.now(),
          { clocks: this.clocks },
        );
        if (!decision.ok) throw refusal(decision);
        await this.writer.write(manager, record, decision);
        await this.transfers.closeIfDone(manager, ctx, record, decision.state);
        const result = await this.appointmentView(manager, appointmentId);
        await store(HttpStatus.OK, result);
        return { result, transferId: appointment.transferId, details: { status: dto.status } };
      },
    );
  }

  /**
   * Claims the request's Idempotency-Key for a chase-side response (a chase item or an appointment,
   * each showing its transferId): a replay is allowed while the caller can still see the transfer,
   * and renders the resource again as it is now.
   */
  private claimKey(
    manager: EntityManager,
    ctx: RequestContext,
    write: WriteOptions,
    render: (resourceId: string) => Promise<unknown>,
  ) {
    return claimIdempotencyKey(
      manager,
      ctx.actor.id,
      write.idempotency,
      (body) => (body as { transferId?: unknown } | null)?.transferId,
      (transferId) => canSeeTransfer(manager, ctx.actor, transferId),
      render,
    );
  }

  /** An appointment as the outcome endpoint shows it, with its latest chase item. */
  private async appointmentView(manager: EntityManager, appointmentId: string) {
    const view = await new TransferRepository(manager).appointment(appointmentId);
    const chaseItem = await new ChaseItemRepository(manager).latestOfAppointment(appointmentId);
    return { ...view, chaseItem: chaseItem ?? null };
  }
}

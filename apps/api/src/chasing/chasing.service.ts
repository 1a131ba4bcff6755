import { HttpStatus, Injectable } from '@nestjs/common';
import { canSee, Clock, decideAppointmentOutcome, decideClose } from '@fh/domain';
import type { ChaseKind, EscalationLevel, TransferStatus, VisibilityFacts } from '@fh/domain';
import { loadVisibilityFacts, lockTransfer, visibilityColumns } from '@fh/persistence';
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

const ITEM_COLUMNS = `c.id, c.transfer_id AS "transferId", c.kind, c.member_id AS "memberId", c.appointment_id AS "appointmentId",
  c.agreed_action_id AS "agreedActionId", c.status, c.owner_id AS "ownerId", c.opened_at AS "openedAt", c.next_chase_at AS "nextChaseAt",
  c.reminders, c.escalation_level AS "escalationLevel", c.closed_at AS "closedAt", c.closed_by_id AS "closedById", c.resolution, c.evidence`;

interface ChaseItemView {
  id: string;
  transferId: string;
  kind: ChaseKind;
  memberId: string | null;
  appointmentId: string | null;
  status: 'open' | 'closed';
  escalationLevel: EscalationLevel;
  [key: string]: unknown;
}

/** The facts the visibility rule reads, from the joined transfer (`t`). */
const VISIBILITY_COLUMNS = visibilityColumns('t');

/** Chase items: listed per transfer, closed only with evidence, and appointment outcomes. */
@Injectable()
export class ChasingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audited: Audited,
    private readonly transfers: TransferCommandsService,
    private readonly clock: Clock,
  ) {}

  async list(ctx: RequestContext, transferId: string): Promise<ChaseItemView[]> {
    const target = { action: 'chase_item.list_view', entityType: 'transfer', entityId: transferId, transferId };
    const items = await this.dataSource.transaction(async (manager) => {
      const transfer = await loadVisibilityFacts(manager, transferId);
      if (!transfer || !canSee(actorOf(ctx.actor), transfer)) return null;
      await this.audited.view(manager, ctx, target);
      return manager.query(
        `SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.transfer_id = $1 ORDER BY c.opened_at, c.id`,
        [transferId],
      );
    });
    if (!items) {
      await this.audited.refused(ctx, target, 'NOT_FOUND');
      throw ApiError.notFound('transfer');
    }
    return items;
  }

  close(ctx: RequestContext, itemId: string, dto: CloseChaseItemDto, write: WriteOptions): Promise<ChaseItemView> {
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
        );
        const item = await this.lockItem(manager, ctx, `c.id = $1`, [itemId]);
        if (!item) throw ApiError.notFound('chase item');
        const now = this.clock.now();
        const decision = decideClose(item, item, actorOf(ctx.actor), dto, now);
        if (!decision.ok) throw refusal(decision);
        await manager.query(
          `UPDATE chase_items SET status = 'closed', closed_at = $2, closed_by_id = $3, resolution = $4, evidence = $5 WHERE id = $1`,
          [itemId, now, ctx.actor.id, decision.resolution, JSON.stringify(decision.evidence)],
        );
        // Evidence that changes what is known about the family is written where the family is recorded.
        if (decision.resolution === 'registered' && item.memberId) {
          await manager.query(
            `UPDATE household_members SET gp_status = 'registered', gp_practice_ods = $2, gp_practice_name = $3 WHERE id = $1`,
            [item.memberId, decision.evidence.practiceOds, decision.evidence.practiceName],
          );
        }
        if (decision.resolution === 'attended' && item.appointmentId) {
          await manager.query(`UPDATE appointments SET status = 'attended', attended_on = $2 WHERE id = $1`, [
            item.appointmentId,
            decision.evidence.attendedOn,
          ]);
        }
        await this.transfers.afterChaseChange(manager, ctx, item.transferId);
        const [view] = await manager.query(`SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.id = $1`, [itemId]);
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
        );
        // The transfer first, then what hangs off it: the one lock order every writer follows.
        const [owner]: { transferId: string }[] = await manager.query(
          `SELECT transfer_id AS "transferId" FROM appointments WHERE id = $1`,
          [appointmentId],
        );
        if (owner) await lockTransfer(manager, owner.transferId);
        const rows: (VisibilityFacts & { transferId: string; memberId: string; transferStatus: TransferStatus })[] =
          await manager.query(
            `SELECT a.transfer_id AS "transferId", a.member_id AS "memberId", t.status AS "transferStatus", ${VISIBILITY_COLUMNS}
         FROM appointments a JOIN transfers t ON t.id = a.transfer_id WHERE a.id = $1 FOR UPDATE OF a`,
            [appointmentId],
          );
        const appointment = rows[0];
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
        const item = await this.lockItem(manager, ctx, `c.appointment_id = $1 AND c.status = 'open'`, [appointmentId]);
        const now = this.clock.now();
        const decision = decideAppointmentOutcome(
          appointment,
          actorOf(ctx.actor),
          dto,
          item?.escalationLevel ?? 0,
          now,
        );
        if (!decision.ok) throw refusal(decision);
        if (decision.status === 'attended') {
          await manager.query(`UPDATE appointments SET status = 'attended', attended_on = $2 WHERE id = $1`, [
            appointmentId,
            decision.attendedOn,
          ]);
          if (item) {
            await manager.query(
              `UPDATE chase_items SET status = 'closed', closed_at = $2, closed_by_id = $3, resolution = 'attended', evidence = $4 WHERE id = $1`,
              [item.id, now, ctx.actor.id, JSON.stringify({ attendedOn: decision.attendedOn })],
            );
          }
        } else {
          await manager.query(`UPDATE appointments SET status = 'was_not_brought', rebooked_for = $2 WHERE id = $1`, [
            appointmentId,
            decision.rebookedFor,
          ]);
          if (item) {
            await manager.query(`UPDATE chase_items SET escalation_level = $2, next_chase_at = $3 WHERE id = $1`, [
              item.id,
              decision.escalationLevel,
              decision.nextChaseAt,
            ]);
          } else if (appointment.initiatedAt) {
            const [{ owner }]: { owner: string }[] = await manager.query(
              `SELECT accountable_practitioner_id AS owner FROM transfers WHERE id = $1`,
              [appointment.transferId],
            );
            await manager.query(
              `INSERT INTO chase_items (transfer_id, kind, member_id, appointment_id, owner_id, next_chase_at, escalation_level) VALUES ($1, 'appointment', $2, $3, $4, $5, $6)`,
              [
                appointment.transferId,
                appointment.memberId,
                appointmentId,
                owner,
                decision.nextChaseAt,
                decision.escalationLevel,
              ],
            );
          }
        }
        await this.transfers.afterChaseChange(manager, ctx, appointment.transferId);
        const [view] = await manager.query(
          `SELECT id, transfer_id AS "transferId", member_id AS "memberId", kind, provider, due_on AS "dueOn", status, attended_on AS "attendedOn", rebooked_for AS "rebookedFor"
         FROM appointments WHERE id = $1`,
          [appointmentId],
        );
        const [chaseItem] = await manager.query(
          `SELECT ${ITEM_COLUMNS} FROM chase_items c WHERE c.appointment_id = $1 ORDER BY c.opened_at DESC LIMIT 1`,
          [appointmentId],
        );
        const result = { ...view, chaseItem: chaseItem ?? null };
        await store(HttpStatus.OK, result);
        return { result, transferId: appointment.transferId, details: { status: decision.status } };
      },
    );
  }

  /** The item (locked with its transfer), or null if it does not exist or the caller may not see it. */
  private async lockItem(manager: EntityManager, ctx: RequestContext, where: string, params: unknown[]) {
    // The transfer first, then the item: the one lock order every writer follows.
    const [owner]: { transferId: string }[] = await manager.query(
      `SELECT c.transfer_id AS "transferId" FROM chase_items c WHERE ${where} LIMIT 1`,
      params,
    );
    if (owner) await lockTransfer(manager, owner.transferId);
    const rows: (ChaseItemView & VisibilityFacts & { transferId: string })[] = await manager.query(
      `SELECT ${ITEM_COLUMNS}, ${VISIBILITY_COLUMNS} FROM chase_items c JOIN transfers t ON t.id = c.transfer_id WHERE ${where} FOR UPDATE OF c`,
      params,
    );
    const item = rows[0];
    return item && canSee(actorOf(ctx.actor), item) ? item : null;
  }
}

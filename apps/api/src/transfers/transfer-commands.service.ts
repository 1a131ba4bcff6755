import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { canSee, Clock, closeIfDone, computeRiskFlags, contactDueAt, createTransfer, decide } from '@fh/domain';
import type { Command, PractitionerRef, TransferEvent, TransferState } from '@fh/domain';
import { appendAudit, factsOf, flagColumns, loadTransfer, replaceFacts, stateOf } from '@fh/persistence';
import type { TransferRecord } from '@fh/persistence';
import { randomUUID } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { EntityManager } from 'typeorm';
import { METRICS_REGISTRY } from '../health/health.controller.js';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { refusal } from '../common/refusal.js';
import { claimIdempotencyKey } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { draftOf, revisionOf } from './transfer-input.mapper.js';
import type { FamilyRecords, TransferFields } from './transfer-input.mapper.js';
import { TransitionEffects } from './transition-effects.js';
import { transferView } from './transfer.view.js';
import type { TransferView } from './transfer.view.js';
import { actorOf, canSeeTransfer } from './visibility.js';
import type {
  AcceptTransferDto,
  AcknowledgeFlagDto,
  ConfirmContactDto,
  CreateTransferDto,
  DirectContactDto,
  ReasonDto,
  ReassignDto,
  UpdateTransferDto,
} from './transfers.dto.js';

interface TransitionSpec {
  action: string;
  command: (manager: EntityManager, record: TransferRecord) => Promise<Command>;
  /** Writes what the event adds beyond status and accountability (a contact, an acknowledgement…). */
  persist?: (manager: EntityManager, record: TransferRecord, after: TransferState, now: Date) => Promise<void>;
}

/**
 * Transfer commands: every write is one transaction holding the change, its audit event, its effects
 * (chase items, outbox rows) and the stored idempotent response.
 */
@Injectable()
export class TransferCommandsService {
  private readonly transitions: Counter;

  constructor(
    private readonly audited: Audited,
    private readonly effects: TransitionEffects,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.transitions = new Counter({
      name: 'fh_transfer_transitions_total',
      help: 'Transfer state changes, by event',
      labelNames: ['event'],
      registers: [registry],
    });
  }

  create(ctx: RequestContext, dto: CreateTransferDto, write: WriteOptions): Promise<TransferView> {
    return this.audited.write(ctx, { action: 'transfer.create', entityType: 'transfer' }, async (manager) => {
      const store = await claimIdempotencyKey(
        manager,
        ctx.actor.id,
        write.idempotency,
        (body) => (body as { id?: unknown } | null)?.id,
        (transferId) => canSeeTransfer(manager, ctx.actor, transferId),
      );
      const receiving = await this.team(manager, dto.receivingTeamId);
      const { fields: row, members, concerns, appointments } = draftOf(dto);
      const facts = factsOf(row, members, concerns, appointments);
      const decision = createTransfer(actorOf(ctx.actor), {
        receivingTeamId: receiving.id,
        receivingAreaId: receiving.areaId,
        facts,
      });
      // Nothing exists yet to hide, so an admin is told plainly (403), not "not found".
      if (!decision.ok && decision.reasons.some((r) => r.code === 'ADMIN_NO_FAMILY_DATA'))
        throw ApiError.forbidden(decision.reasons[0].message);
      if (!decision.ok) throw refusal(decision);
      const flags = flagColumns(computeRiskFlags(facts));
      const s = decision.state;
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO transfers (reference, status, involvement, move_date, move_type, reason, previous_address_area, new_address,
           left_support_network, support_network_note, household_confirmed, no_male_carer_reason,
           sending_team_id, sending_area_id, receiving_team_id, receiving_area_id, accountable_practitioner_id, created_by_id,
           risk_flags, critical_flag_codes)
         VALUES ('HT-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(nextval('transfer_reference_seq')::text, 6, '0'),
           $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)
         RETURNING id`,
        [
          s.status,
          row.involvement,
          row.moveDate,
          row.moveType,
          row.reason,
          row.previousAddressArea,
          row.newAddress ? JSON.stringify(row.newAddress) : null,
          row.leftSupportNetwork,
          row.supportNetworkNote,
          row.householdConfirmed,
          row.noMaleCarerReason,
          s.sendingTeamId,
          s.sendingAreaId,
          s.receivingTeamId,
          s.receivingAreaId,
          s.accountablePractitionerId,
          flags.riskFlags,
          flags.criticalFlagCodes,
        ],
      );
      await replaceFacts(manager, id, members, concerns, appointments);
      await this.effects.apply(manager, id, s, decision.effects);
      const view = transferView((await loadTransfer(manager, id))!, this.clock.now(), actorOf(ctx.actor));
      await store(HttpStatus.CREATED, view);
      return { result: view, entityId: id, transferId: id, details: { event: decision.event } };
    });
  }

  update(ctx: RequestContext, id: string, dto: UpdateTransferDto, write: WriteOptions): Promise<TransferView> {
    let replaced: FamilyRecords | null = null;
    let fields: TransferFields | null = null;
    return this.transition(ctx, id, write, {
      action: 'transfer.update',
      command: async (manager, record) => {
        const revision = revisionOf(dto, record);
        const { members, concerns, appointments } = revision;
        replaced = revision;
        fields = revision.fields;
        const receiving = dto.receivingTeamId ? await this.team(manager, dto.receivingTeamId) : null;
        return {
          type: 'update',
          facts: factsOf(revision.fields, members, concerns, appointments),
          receiving: receiving ? { teamId: receiving.id, areaId: receiving.areaId } : undefined,
        };
      },
      persist: async (manager, record, after) => {
        const f = fields!;
        await manager.query(
          `UPDATE transfers SET involvement = $2, move_date = $3, move_type = $4, reason = $5, previous_address_area = $6, new_address = $7,
             left_support_network = $8, support_network_note = $9, household_confirmed = $10, no_male_carer_reason = $11,
             receiving_team_id = $12, receiving_area_id = $13
           WHERE id = $1`,
          [
            id,
            f.involvement,
            f.moveDate,
            f.moveType,
            f.reason,
            f.previousAddressArea,
            f.newAddress ? JSON.stringify(f.newAddress) : null,
            f.leftSupportNetwork,
            f.supportNetworkNote,
            f.householdConfirmed,
            f.noMaleCarerReason,
            after.receivingTeamId,
            after.receivingAreaId,
          ],
        );
        const next = replaced!;
        // Loose ends about appointments or people no longer recorded are superseded by this update.
        await manager.query(
          `UPDATE chase_items SET status = 'closed', closed_at = now(), resolution = 'superseded'
           WHERE transfer_id = $1 AND status = 'open' AND (
             (kind = 'appointment' AND NOT (appointment_id = ANY($2::uuid[]))) OR
             (kind = 'gp_registration' AND NOT (member_id = ANY($3::uuid[]))))`,
          [id, next.appointments.map((a) => a.id), next.members.map((m) => m.id)],
        );
        await replaceFacts(manager, id, next.members, next.concerns, next.appointments);
        void record;
      },
    });
  }

  initiate(ctx: RequestContext, id: string, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.initiate',
      command: async () => ({ type: 'initiate' }),
      persist: async (manager, _record, after, now) => {
        await manager.query(
          `UPDATE transfers SET initiated_at = $2, contact_due_at = $3, round = round + 1 WHERE id = $1`,
          [id, now, contactDueAt(now, after.facts.involvement)],
        );
      },
    });
  }

  recordContact(ctx: RequestContext, id: string, dto: DirectContactDto, write: WriteOptions) {
    const contactId = randomUUID();
    const actions = (dto.agreedActions ?? []).map((a) => ({ ...a, id: randomUUID() }));
    return this.transition(ctx, id, write, {
      action: 'transfer.record_contact',
      command: async (manager) => ({
        type: 'recordContact',
        occurredAt: new Date(dto.occurredAt),
        method: dto.method,
        sendingPractitioner: await this.practitionerRef(manager, dto.sendingPractitionerId),
        flagAcknowledgements: dto.flagAcknowledgements,
        agreedActions: actions.map((a) => ({ id: a.id, dueOn: a.dueOn })),
      }),
      persist: async (manager, record) => {
        await manager.query(
          `INSERT INTO direct_contacts (id, transfer_id, round, occurred_at, method, sending_practitioner_id, recorded_by_id, summary, flag_acknowledgements, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending')`,
          [
            contactId,
            id,
            record.transfer.round,
            new Date(dto.occurredAt),
            dto.method,
            dto.sendingPractitionerId,
            ctx.actor.id,
            dto.summary,
            JSON.stringify(dto.flagAcknowledgements.map((f) => ({ code: f.code, understanding: f.understanding }))),
          ],
        );
        for (const [position, a] of actions.entries()) {
          await manager.query(
            `INSERT INTO agreed_actions (id, transfer_id, direct_contact_id, position, description, owner, due_on, review_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [a.id, id, contactId, position, a.description, a.owner, a.dueOn, a.reviewOn ?? null],
          );
        }
      },
    });
  }

  confirmContact(ctx: RequestContext, id: string, dto: ConfirmContactDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.confirm_contact',
      command: async () => ({ type: 'confirmContact', agree: dto.agree, comment: dto.comment ?? null }),
      persist: async (manager, record) => {
        const contact = record.contacts.at(-1)!;
        await manager.query(
          `UPDATE direct_contacts SET state = $2, checked_by_id = $3, checked_at = now(), dispute_comment = $4 WHERE id = $1`,
          [contact.id, dto.agree ? 'confirmed' : 'disputed', ctx.actor.id, dto.agree ? null : dto.comment],
        );
      },
    });
  }

  acknowledgeFlag(ctx: RequestContext, id: string, code: string, dto: AcknowledgeFlagDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.acknowledge_flag',
      command: async () => ({ type: 'acknowledgeFlag', code, advice: dto.advice }),
      persist: async (manager, record) => {
        await manager.query(
          `INSERT INTO flag_acknowledgements (transfer_id, round, code, advice, acknowledged_by_id) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (transfer_id, round, code) DO UPDATE SET advice = EXCLUDED.advice, acknowledged_by_id = EXCLUDED.acknowledged_by_id, acknowledged_at = now()`,
          [id, record.transfer.round, code, dto.advice.trim(), ctx.actor.id],
        );
      },
    });
  }

  accept(ctx: RequestContext, id: string, dto: AcceptTransferDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.accept',
      command: async (manager) => ({
        type: 'accept',
        leadPractitioner: await this.practitionerRef(manager, dto.leadPractitionerId),
      }),
      persist: (manager, _r, _a, now) =>
        manager.query(`UPDATE transfers SET accepted_at = $2 WHERE id = $1`, [id, now]),
    });
  }

  returnTransfer(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.return',
      command: async () => ({ type: 'return', reason: dto.reason }),
      persist: (manager, _r, _a, now) =>
        manager.query(`UPDATE transfers SET returned_at = $2, return_reason = $3 WHERE id = $1`, [
          id,
          now,
          dto.reason.trim(),
        ]),
    });
  }

  cancel(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.cancel',
      command: async () => ({ type: 'cancel', reason: dto.reason }),
      persist: (manager, _r, _a, now) =>
        manager.query(`UPDATE transfers SET cancelled_at = $2, cancel_reason = $3 WHERE id = $1`, [
          id,
          now,
          dto.reason.trim(),
        ]),
    });
  }

  reassign(ctx: RequestContext, id: string, dto: ReassignDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.reassign',
      command: async (manager) => ({ type: 'reassign', to: await this.practitionerRef(manager, dto.practitionerId) }),
    });
  }

  /**
   * One transition: lock the transfer, check visibility and version, let the domain decide, then
   * write the new state, what the event adds, its effects and the new version — all or nothing.
   */
  private async transition(
    ctx: RequestContext,
    id: string,
    write: WriteOptions,
    spec: TransitionSpec,
  ): Promise<TransferView> {
    let committed: TransferEvent | null = null;
    const view = await this.audited.write(
      ctx,
      { action: spec.action, entityType: 'transfer', entityId: id, transferId: id },
      async (manager) => {
        const store = await claimIdempotencyKey(
          manager,
          ctx.actor.id,
          write.idempotency,
          (body) => (body as { id?: unknown } | null)?.id,
          (transferId) => canSeeTransfer(manager, ctx.actor, transferId),
        );
        const record = await loadTransfer(manager, id, { lock: true });
        const actor = actorOf(ctx.actor);
        if (!record || !canSee(actor, stateOf(record))) throw ApiError.notFound('transfer');
        if (write.ifMatch !== null && write.ifMatch !== record.transfer.version) {
          throw new ApiError(HttpStatus.CONFLICT, 'VERSION_CONFLICT', [
            `the transfer has changed since you read it (you sent version ${write.ifMatch}, it is now ${record.transfer.version}); reload and try again`,
          ]);
        }
        const command = await spec.command(manager, record);
        const now = this.clock.now();
        const decision = decide(stateOf(record), actor, command, now);
        if (!decision.ok) throw refusal(decision);
        await spec.persist?.(manager, record, decision.state, now);
        await this.saveState(manager, id, decision.state, decision.event);
        await this.effects.apply(manager, id, decision.state, decision.effects);
        await this.closeIfDone(manager, ctx, id, decision.state);
        committed = decision.event;
        const view = transferView((await loadTransfer(manager, id))!, now, actor);
        await store(HttpStatus.OK, view);
        return {
          result: view,
          details: {
            event: decision.event,
            from: record.transfer.status,
            to: decision.state.status,
            version: view.version,
          },
        };
      },
    );
    // Counted once committed (a replayed idempotent request changes nothing and is not counted).
    if (committed) this.transitions.inc({ event: committed });
    return view;
  }

  /**
   * After a loose end changed the transfer's facts (a GP registration, an appointment outcome):
   * recompute its flags as a new version, and close it if it is accepted with nothing left open.
   */
  async afterChaseChange(manager: EntityManager, ctx: RequestContext, transferId: string): Promise<void> {
    const record = (await loadTransfer(manager, transferId))!;
    const state = stateOf(record);
    await this.saveState(manager, transferId, state, 'transfer.updated');
    await this.closeIfDone(manager, ctx, transferId, state);
  }

  /** An accepted transfer with no open chase item closes itself (the system's act, audited). */
  private async closeIfDone(
    manager: EntityManager,
    ctx: RequestContext,
    transferId: string,
    state: TransferState,
  ): Promise<void> {
    if (state.status !== 'accepted') return;
    const [{ open }]: { open: number }[] = await manager.query(
      `SELECT count(*)::int AS open FROM chase_items WHERE transfer_id = $1 AND status = 'open'`,
      [transferId],
    );
    const decision = closeIfDone(state, open, this.clock.now());
    if (!decision.ok) return;
    await this.saveState(manager, transferId, decision.state, decision.event);
    await appendAudit(manager, {
      actorId: null,
      action: 'transfer.close',
      entityType: 'transfer',
      entityId: transferId,
      transferId,
      outcome: 'succeeded',
      requestId: ctx.requestId,
      clientRequestId: ctx.clientRequestId ?? null,
      details: { event: decision.event, trigger: ctx.actor.id },
    });
  }

  private async saveState(
    manager: EntityManager,
    id: string,
    state: TransferState,
    event: TransferEvent,
  ): Promise<void> {
    const flags = flagColumns(computeRiskFlags(state.facts));
    await manager.query(
      `UPDATE transfers SET status = $2, accountable_practitioner_id = $3, risk_flags = $4, critical_flag_codes = $5,
         version = version + 1, updated_at = now(), closed_at = CASE WHEN $6 = 'transfer.closed' THEN now() ELSE closed_at END
       WHERE id = $1`,
      [id, state.status, state.accountablePractitionerId, flags.riskFlags, flags.criticalFlagCodes, event],
    );
  }

  private async team(manager: EntityManager, teamId: string): Promise<{ id: string; areaId: string }> {
    const rows: { id: string; areaId: string }[] = await manager.query(
      `SELECT id, area_id AS "areaId" FROM teams WHERE id = $1`,
      [teamId],
    );
    if (!rows[0]) throw ApiError.invalid([`receivingTeamId: no team ${teamId}`]);
    return rows[0];
  }

  /** A practitioner named in a request; an unknown id becomes one that fits no team, so the rules refuse it. */
  private async practitionerRef(manager: EntityManager, id: string): Promise<PractitionerRef> {
    const rows: PractitionerRef[] = await manager.query(
      `SELECT id, team_id AS "teamId", active FROM practitioners WHERE id = $1`,
      [id],
    );
    return rows[0] ?? { id, teamId: '', active: false };
  }
}

import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { canSee, Clock, closeIfDone, contactDueAt, createTransfer, decide } from '@fh/domain';
import type { Command, PractitionerRef, TransferEvent, TransferState } from '@fh/domain';
import { appendAudit, ChaseItemRepository, factsOf, loadTransfer, stateOf, TransferRepository } from '@fh/persistence';
import type { FamilyRecords, TransferFields, TransferRecord } from '@fh/persistence';
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
import { TransitionEffects } from './transition-effects.js';
import { shownTransfer } from './transfer-read.js';
import type { TransferView } from './transfer.view.js';
import { actorOf, canSeeTransfer } from './visibility.js';
import type {
  AcceptTransferDto,
  AcknowledgeFlagDto,
  AcknowledgeNotificationDto,
  ConfirmContactDto,
  CreateTransferDto,
  DirectContactDto,
  ReasonDto,
  ReassignDto,
  UpdateTransferDto,
} from './transfers.dto.js';

/** The repositories a transition writes through, bound to its transaction. */
interface Repositories {
  transfers: TransferRepository;
  chaseItems: ChaseItemRepository;
}

interface TransitionSpec {
  action: string;
  command: (repos: Repositories, record: TransferRecord) => Promise<Command>;
  /** Writes what the event adds beyond status and accountability (a contact, an acknowledgement…). */
  persist?: (repos: Repositories, record: TransferRecord, after: TransferState, now: Date) => Promise<void>;
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
        async (transferId) =>
          shownTransfer(
            this.audited,
            manager,
            ctx,
            (await loadTransfer(manager, transferId))!,
            this.clock.now(),
            actorOf(ctx.actor),
          ),
      );
      const transfers = new TransferRepository(manager);
      const receiving = await this.team(transfers, dto.receivingTeamId);
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
      const s = decision.state;
      const id = await transfers.insertDraft(row, s, s.accountablePractitionerId);
      await transfers.replaceFamily(id, { members, concerns, appointments });
      await this.effects.apply(manager, id, s, decision.effects);
      const record = (await loadTransfer(manager, id))!;
      const view = await shownTransfer(this.audited, manager, ctx, record, this.clock.now(), actorOf(ctx.actor));
      await store(HttpStatus.CREATED, view);
      return { result: view, entityId: id, transferId: id, details: { event: decision.event } };
    });
  }

  update(ctx: RequestContext, id: string, dto: UpdateTransferDto, write: WriteOptions): Promise<TransferView> {
    let replaced: FamilyRecords | null = null;
    let fields: TransferFields | null = null;
    return this.transition(ctx, id, write, {
      action: 'transfer.update',
      command: async ({ transfers }, record) => {
        const revision = revisionOf(dto, record);
        const { members, concerns, appointments } = revision;
        replaced = revision;
        fields = revision.fields;
        const receiving = dto.receivingTeamId ? await this.team(transfers, dto.receivingTeamId) : null;
        return {
          type: 'update',
          facts: factsOf(revision.fields, members, concerns, appointments),
          receiving: receiving ? { teamId: receiving.id, areaId: receiving.areaId } : undefined,
        };
      },
      persist: async ({ transfers }, _record, after) => {
        const next = replaced!;
        await transfers.updateDraft(id, fields!, { teamId: after.receivingTeamId, areaId: after.receivingAreaId });
        await transfers.replaceFamily(id, next);
      },
    });
  }

  initiate(ctx: RequestContext, id: string, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.initiate',
      command: async () => ({ type: 'initiate' }),
      persist: ({ transfers }, _record, after, now) =>
        transfers.markInitiated(id, now, contactDueAt(now, after.facts.involvement)),
    });
  }

  recordContact(ctx: RequestContext, id: string, dto: DirectContactDto, write: WriteOptions) {
    const contactId = randomUUID();
    const actions = (dto.agreedActions ?? []).map((a) => ({ ...a, id: randomUUID() }));
    return this.transition(ctx, id, write, {
      action: 'transfer.record_contact',
      command: async ({ transfers }) => ({
        type: 'recordContact',
        occurredAt: new Date(dto.occurredAt),
        method: dto.method,
        sendingPractitioner: await this.practitionerRef(transfers, dto.sendingPractitionerId),
        flagAcknowledgements: dto.flagAcknowledgements,
        agreedActions: actions.map((a) => ({ id: a.id, dueOn: a.dueOn })),
      }),
      persist: ({ transfers }, record) =>
        transfers.insertContact(id, {
          id: contactId,
          round: record.transfer.round,
          occurredAt: new Date(dto.occurredAt),
          method: dto.method,
          sendingPractitionerId: dto.sendingPractitionerId,
          recordedById: ctx.actor.id,
          summary: dto.summary,
          flagAcknowledgements: dto.flagAcknowledgements,
          agreedActions: actions,
        }),
    });
  }

  confirmContact(ctx: RequestContext, id: string, dto: ConfirmContactDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.confirm_contact',
      command: async () => ({ type: 'confirmContact', agree: dto.agree, comment: dto.comment ?? null }),
      persist: ({ transfers }, record) =>
        transfers.checkContact(
          record.contacts.at(-1)!.id,
          dto.agree ? 'confirmed' : 'disputed',
          ctx.actor.id,
          dto.agree ? null : (dto.comment ?? null),
        ),
    });
  }

  acknowledgeFlag(ctx: RequestContext, id: string, code: string, dto: AcknowledgeFlagDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.acknowledge_flag',
      command: async () => ({ type: 'acknowledgeFlag', code, advice: dto.advice }),
      persist: ({ transfers }, record) =>
        transfers.acknowledgeFlag(id, record.transfer.round, code, dto.advice.trim(), ctx.actor.id),
    });
  }

  accept(ctx: RequestContext, id: string, dto: AcceptTransferDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.accept',
      command: async ({ transfers }) => ({
        type: 'accept',
        leadPractitioner: await this.practitionerRef(transfers, dto.leadPractitionerId),
      }),
      persist: ({ transfers }, _r, _a, now) => transfers.markAccepted(id, now),
    });
  }

  /** A host notification: the host team names its contact (issue 13 item 2); accountability stays. */
  acknowledgeNotification(ctx: RequestContext, id: string, dto: AcknowledgeNotificationDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.acknowledge_notification',
      command: async ({ transfers }) => ({
        type: 'acknowledgeNotification',
        contactPractitioner: await this.practitionerRef(transfers, dto.contactPractitionerId),
      }),
    });
  }

  returnTransfer(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.return',
      command: async () => ({ type: 'return', reason: dto.reason }),
      persist: ({ transfers }, _r, _a, now) => transfers.markReturned(id, now, dto.reason.trim()),
    });
  }

  cancel(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.cancel',
      command: async () => ({ type: 'cancel', reason: dto.reason }),
      persist: ({ transfers }, _r, _a, now) => transfers.markCancelled(id, now, dto.reason.trim()),
    });
  }

  reassign(ctx: RequestContext, id: string, dto: ReassignDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.reassign',
      command: async ({ transfers }) => ({
        type: 'reassign',
        to: await this.practitionerRef(transfers, dto.practitionerId),
      }),
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
          async (transferId) =>
            shownTransfer(
              this.audited,
              manager,
              ctx,
              (await loadTransfer(manager, transferId))!,
              this.clock.now(),
              actorOf(ctx.actor),
            ),
        );
        const repos: Repositories = {
          transfers: new TransferRepository(manager),
          chaseItems: new ChaseItemRepository(manager),
        };
        const record = await repos.transfers.loadForDecision(id, { lock: true });
        const actor = actorOf(ctx.actor);
        if (!record || !canSee(actor, stateOf(record))) throw ApiError.notFound('transfer');
        if (write.ifMatch !== null && write.ifMatch !== record.transfer.version) {
          throw new ApiError(HttpStatus.CONFLICT, 'VERSION_CONFLICT', [
            `the transfer has changed since you read it (you sent version ${write.ifMatch}, it is now ${record.transfer.version}); reload and try again`,
          ]);
        }
        const command = await spec.command(repos, record);
        const now = this.clock.now();
        const decision = decide(stateOf(record), actor, command, now);
        if (!decision.ok) throw refusal(decision);
        await spec.persist?.(repos, record, decision.state, now);
        await repos.transfers.applyDecision(id, decision.state, decision.event);
        await this.effects.apply(manager, id, decision.state, decision.effects);
        await this.closeIfDone(manager, ctx, id, decision.state);
        committed = decision.event;
        const view = await shownTransfer(this.audited, manager, ctx, (await loadTransfer(manager, id))!, now, actor);
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
    const transfers = new TransferRepository(manager);
    const record = (await transfers.loadForDecision(transferId))!;
    const state = stateOf(record);
    await transfers.applyDecision(transferId, state, 'transfer.updated');
    await this.closeIfDone(manager, ctx, transferId, state);
  }

  /**
   * An accepted transfer, or an acknowledged host notification, with no open chase item closes
   * itself (the system's act, audited).
   */
  private async closeIfDone(
    manager: EntityManager,
    ctx: RequestContext,
    transferId: string,
    state: TransferState,
  ): Promise<void> {
    if (state.status !== 'accepted' && state.status !== 'notification_acknowledged') return;
    const open = await new ChaseItemRepository(manager).countOpen(transferId);
    const decision = closeIfDone(state, open, this.clock.now());
    if (!decision.ok) return;
    await new TransferRepository(manager).applyDecision(transferId, decision.state, decision.event);
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

  private async team(transfers: TransferRepository, teamId: string): Promise<{ id: string; areaId: string }> {
    const team = await transfers.team(teamId);
    if (!team) throw ApiError.invalid([`receivingTeamId: no team ${teamId}`]);
    return team;
  }

  /** A practitioner named in a request; an unknown id becomes one that fits no team, so the rules refuse it. */
  private async practitionerRef(transfers: TransferRepository, id: string): Promise<PractitionerRef> {
    return (await transfers.practitioner(id)) ?? { id, teamId: '', active: false };
  }
}

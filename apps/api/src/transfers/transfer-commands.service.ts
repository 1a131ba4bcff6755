import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { canSee, Clock, closeIfDone, createTransfer, decide } from '@fh/domain';
import type { ClockPolicy, Command, PractitionerRef, TransferEvent, TransferState } from '@fh/domain';
import { appendAudit, ChaseItemRepository, factsOf, stateOf, TransferRepository } from '@fh/persistence';
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
import { DecisionWriter } from './decision-writer.js';
import type { RequestContent } from './decision-writer.js';
import { shownTransfer } from './transfer-read.js';
import type { TransferView } from './transfer.view.js';
import { actorOf, canSeeTransfer } from './visibility.js';
import type {
  AcceptTransferDto,
  AcknowledgeFlagDto,
  AcknowledgeNotificationDto,
  CloseLocateCheckDto,
  ConfirmConferenceDto,
  ConfirmContactDto,
  CreateTransferDto,
  DirectContactDto,
  FamilyFoundDto,
  FamilyNotReachedDto,
  NationalAlertDto,
  ReasonDto,
  ReassignDto,
  RecordChildSeenDto,
  RecordConferenceDto,
  UpdateTransferDto,
} from './transfers.dto.js';

/** The repositories a transition writes through, bound to its transaction. */
interface Repositories {
  transfers: TransferRepository;
  chaseItems: ChaseItemRepository;
}

interface TransitionSpec {
  action: string;
  /** The command, and what the request says that the domain does not model (stored beside the event). */
  command: (
    repos: Repositories,
    record: TransferRecord,
  ) => Promise<Command | { command: Command; content: RequestContent }>;
}

/**
 * Transfer commands: every write is one transaction holding the change, its audit event, its effects
 * (chase items, outbox rows) and the stored idempotent response.
 */
@Injectable()
export class TransferCommandsService {
  private readonly transitions: Counter;
  /** The one clock policy, from configuration (the conference's clock, the temporary-move thresholds). */
  private readonly clocks: ClockPolicy;

  constructor(
    private readonly audited: Audited,
    private readonly writer: DecisionWriter,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clocks = config.clocks;
    this.transitions = new Counter({
      name: 'fh_transfer_transitions_total',
      help: 'Transfer state changes, by event',
      labelNames: ['event'],
      registers: [registry],
    });
  }

  create(ctx: RequestContext, dto: CreateTransferDto, write: WriteOptions): Promise<TransferView> {
    return this.audited.write(ctx, { action: 'transfer.create', entityType: 'transfer' }, async (manager) => {
      const store = await this.claimKey(manager, ctx, write);
      const transfers = new TransferRepository(manager);
      const receiving = await this.team(transfers, dto.receivingTeamId);
      const { fields, members, concerns, appointments } = draftOf(dto);
      const facts = factsOf(fields, members, concerns, appointments);
      const decision = createTransfer(actorOf(ctx.actor), {
        receivingTeamId: receiving.id,
        receivingAreaId: receiving.areaId,
        facts,
      });
      // Nothing exists yet to hide, so an admin is told plainly (403), not "not found".
      if (!decision.ok && decision.reasons.some((r) => r.code === 'ADMIN_NO_FAMILY_DATA'))
        throw ApiError.forbidden(decision.reasons[0].message);
      if (!decision.ok) throw refusal(decision);
      const id = await this.writer.write(manager, null, decision, {
        family: { fields, records: { members, concerns, appointments } },
      });
      const record = (await transfers.view(id))!;
      const view = await shownTransfer(
        this.audited,
        manager,
        ctx,
        record,
        this.clock.now(),
        actorOf(ctx.actor),
        this.clocks,
      );
      await store(HttpStatus.CREATED, view);
      return { result: view, entityId: id, transferId: id, details: { event: decision.event.type } };
    });
  }

  update(ctx: RequestContext, id: string, dto: UpdateTransferDto, write: WriteOptions): Promise<TransferView> {
    return this.transition(ctx, id, write, {
      action: 'transfer.update',
      command: async ({ transfers }, record) => {
        const { fields, members, concerns, appointments } = revisionOf(dto, record);
        const receiving = dto.receivingTeamId ? await this.team(transfers, dto.receivingTeamId) : null;
        return {
          command: {
            type: 'update',
            facts: factsOf(fields, members, concerns, appointments),
            receiving: receiving ? { teamId: receiving.id, areaId: receiving.areaId } : undefined,
          },
          content: { family: { fields, records: { members, concerns, appointments } } },
        };
      },
    });
  }

  initiate(ctx: RequestContext, id: string, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.initiate',
      command: async () => ({ type: 'initiate' }),
    });
  }

  recordContact(ctx: RequestContext, id: string, dto: DirectContactDto, write: WriteOptions) {
    const actions = (dto.agreedActions ?? []).map((a) => ({ ...a, id: randomUUID() }));
    return this.transition(ctx, id, write, {
      action: 'transfer.record_contact',
      command: async ({ transfers }) => ({
        command: {
          type: 'recordContact',
          contactId: randomUUID(),
          occurredAt: new Date(dto.occurredAt),
          method: dto.method,
          sendingPractitioner: await this.practitionerRef(transfers, dto.sendingPractitionerId),
          flagAcknowledgements: dto.flagAcknowledgements,
          agreedActions: actions.map((a) => ({ id: a.id, dueOn: a.dueOn })),
        },
        content: {
          contact: {
            summary: dto.summary,
            agreedActions: actions.map(({ id, description, owner, reviewOn }) => ({
              id,
              description,
              owner,
              reviewOn,
            })),
          },
        },
      }),
    });
  }

  confirmContact(ctx: RequestContext, id: string, dto: ConfirmContactDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.confirm_contact',
      command: async () => ({ type: 'confirmContact', agree: dto.agree, comment: dto.comment ?? null }),
    });
  }

  acknowledgeFlag(ctx: RequestContext, id: string, code: string, dto: AcknowledgeFlagDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.acknowledge_flag',
      command: async () => ({ type: 'acknowledgeFlag', code, advice: dto.advice, actions: dto.actions ?? [] }),
    });
  }

  accept(ctx: RequestContext, id: string, dto: AcceptTransferDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.accept',
      command: async ({ transfers }) => ({
        type: 'accept',
        leadPractitioner: await this.practitionerRef(transfers, dto.leadPractitionerId),
      }),
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

  /** Child protection: the receiving side records the transfer-in conference (its notes travel as content). */
  recordConference(ctx: RequestContext, id: string, dto: RecordConferenceDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.record_conference',
      command: async () => ({
        command: { type: 'recordConference', heldOn: dto.heldOn, outcome: dto.outcome, chair: dto.chair },
        content: { conference: { notes: dto.notes?.trim() || null } },
      }),
    });
  }

  /** Child protection: the sending side has the written outcome; accountability passes to the interim lead. */
  confirmConference(ctx: RequestContext, id: string, dto: ConfirmConferenceDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.confirm_conference',
      command: async () => ({ type: 'confirmConference', receivedOn: dto.receivedOn }),
    });
  }

  /** The child seen (issue 14 item 1): closes the child's child_seen item; the note travels as content (sealed). */
  recordChildSeen(ctx: RequestContext, id: string, memberId: string, dto: RecordChildSeenDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.record_child_seen',
      command: async ({ transfers }, record) => ({
        command: {
          type: 'recordChildSeen',
          memberId,
          seenOn: dto.seenOn,
          seenBy: await this.practitionerRef(transfers, dto.seenById),
          where: dto.where,
          seenAlone: dto.seenAlone,
          // The child's item as the decision's one read found it (record.childrenSeen), not a second query.
          itemOpen: record.childrenSeen.some((c) => c.memberId === memberId && c.status === 'open'),
        },
        content: { childSeen: { note: dto.note?.trim() || null } },
      }),
    });
  }

  returnTransfer(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.return',
      command: async () => ({ type: 'return', reason: dto.reason }),
    });
  }

  cancel(ctx: RequestContext, id: string, dto: ReasonDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.cancel',
      command: async () => ({ type: 'cancel', reason: dto.reason }),
    });
  }

  /** The family not reached (issue 14 item 2): either side reports its attempts (opens the route, or adds to it). */
  reportNotReached(ctx: RequestContext, id: string, dto: FamilyNotReachedDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.family_not_reached',
      command: async () => ({
        type: 'reportNotReached',
        attempts: dto.attempts.map((a) => ({ on: a.on, method: a.method, note: a.note ?? null })),
      }),
    });
  }

  /** A locate check closed with what was found. */
  closeLocateCheck(ctx: RequestContext, id: string, check: string, dto: CloseLocateCheckDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.close_locate_check',
      command: async () => ({
        type: 'closeLocateCheck',
        check,
        found: dto.found,
        pupilFileMoved: dto.pupilFileMoved,
      }),
    });
  }

  /** A safeguarding lead's national alert decision. */
  recordNationalAlert(ctx: RequestContext, id: string, dto: NationalAlertDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.national_alert',
      command: async () =>
        dto.raised
          ? { type: 'recordNationalAlert', raised: true, reference: dto.reference }
          : { type: 'recordNationalAlert', raised: false, reason: dto.reason },
    });
  }

  /** The family found: ends the route (kept in the history). */
  recordFamilyFound(ctx: RequestContext, id: string, dto: FamilyFoundDto, write: WriteOptions) {
    return this.transition(ctx, id, write, {
      action: 'transfer.family_found',
      command: async () => ({ type: 'recordFamilyFound', on: dto.on, how: dto.how }),
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
   * Claims the request's Idempotency-Key for a transfer response: a replay is allowed while the
   * caller can still see the transfer, and renders it again as it is now (only its id was stored).
   */
  private claimKey(manager: EntityManager, ctx: RequestContext, write: WriteOptions) {
    return claimIdempotencyKey(
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
          (await new TransferRepository(manager).view(transferId))!,
          this.clock.now(),
          actorOf(ctx.actor),
          this.clocks,
        ),
    );
  }

  /**
   * One transition: lock the transfer, check visibility and version, let the domain decide, then
   * write the decision — its event, the new state and version, its effects (DecisionWriter) — all
   * or nothing.
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
        const store = await this.claimKey(manager, ctx, write);
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
        const asked = await spec.command(repos, record);
        const { command, content } = 'command' in asked ? asked : { command: asked, content: {} };
        const now = this.clock.now();
        const decision = decide(stateOf(record), actor, command, now, { clocks: this.clocks });
        if (!decision.ok) throw refusal(decision);
        await this.writer.write(manager, record, decision, content);
        await this.closeIfDone(manager, ctx, record, decision.state);
        committed = decision.event.type;
        // The answer: one read of the view, as the decision left the transfer (not a second full load).
        const view = await shownTransfer(
          this.audited,
          manager,
          ctx,
          (await repos.transfers.view(id))!,
          now,
          actor,
          this.clocks,
        );
        await store(HttpStatus.OK, view);
        return {
          result: view,
          details: {
            event: decision.event.type,
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
    await transfers.applyDecision(transferId, state, 'transfer.updated', null);
    await this.closeIfDone(manager, ctx, record, state);
  }

  /**
   * An accepted transfer, or an acknowledged host notification, with no open chase item closes
   * itself (the system's act, audited). Called after every decision that can leave nothing open.
   */
  async closeIfDone(
    manager: EntityManager,
    ctx: RequestContext,
    record: TransferRecord,
    state: TransferState,
  ): Promise<void> {
    if (state.status !== 'accepted' && state.status !== 'notification_acknowledged') return;
    const transferId = record.transfer.id;
    const open = await new ChaseItemRepository(manager).countOpen(transferId);
    const decision = closeIfDone(state, open, this.clock.now());
    if (!decision.ok) return;
    await this.writer.write(manager, record, decision);
    await appendAudit(manager, {
      actorId: null,
      action: 'transfer.close',
      entityType: 'transfer',
      entityId: transferId,
      transferId,
      outcome: 'succeeded',
      requestId: ctx.requestId,
      clientRequestId: ctx.clientRequestId ?? null,
      details: { event: decision.event.type, trigger: ctx.actor.id },
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

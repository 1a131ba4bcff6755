import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import {
  Clock,
  createTransfer,
  decideOpenRequest,
  decideRespond,
  isRequestOverdue,
  londonDate,
  requestVisibilityFor,
} from '@fh/domain';
import type { Actor, ClockPolicy, TransferRequestFacts } from '@fh/domain';
import { queueRequestEmail } from '@fh/notifications';
import type { MailSettings, RequestMessage } from '@fh/notifications';
import { appendAudit, factsOf, TransferRequestRepository } from '@fh/persistence';
import type { TransferRequestRecord, TransferRequestSummaryRow } from '@fh/persistence';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Audited } from '../audit/audited.service.js';
import type { RequestContext } from '../auth/actor.js';
import { ApiError } from '../common/api-error.js';
import { decodeCursor, encodeCursor } from '../common/cursor.js';
import { refusal } from '../common/refusal.js';
import { claimIdempotencyKey } from '../common/write-options.js';
import type { WriteOptions } from '../common/write-options.js';
import { DecisionWriter } from '../transfers/decision-writer.js';
import { buildMembers } from '../transfers/transfer-input.mapper.js';
import { actorOf } from '../transfers/visibility.js';
import type { MemberDto } from '../transfers/transfers.dto.js';
import type {
  CreateTransferRequestDto,
  ListTransferRequestsQuery,
  RespondToRequestDto,
} from './transfer-requests.dto.js';

const facts = (r: TransferRequestRecord): TransferRequestFacts => ({
  status: r.status,
  requesterTeamId: r.requesterTeam.id,
  requesterAreaId: r.requesterTeam.areaId,
  originatingTeamId: r.originatingTeam.id,
  originatingAreaId: r.originatingTeam.areaId,
});

/** A request as the API shows it to someone who may see it. */
export function requestView(r: TransferRequestRecord, actor: Actor, now: Date) {
  const dryRun = decideRespond(facts(r), actor, { decision: 'will_transfer' });
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    version: r.version,
    requestedBy: r.requestedBy,
    requesterTeam: r.requesterTeam,
    originatingTeam: r.originatingTeam,
    children: r.children,
    howKnown: r.howKnown,
    concern: r.concern,
    dueAt: r.dueAt,
    overdue: isRequestOverdue(r, now),
    reminders: r.reminders,
    escalationLevel: r.escalationLevel,
    respondedBy: r.respondedBy,
    respondedAt: r.respondedAt,
    reason: r.declineReason,
    transferId: r.transferId,
    createdAt: r.createdAt,
    availableActions: [
      dryRun.ok
        ? { action: 'respond', allowed: true }
        : {
            action: 'respond',
            allowed: false,
            reasons: dryRun.reasons.map(({ code, message }) => ({ code, message })),
          },
    ],
  };
}
export type TransferRequestView = ReturnType<typeof requestView>;

const summaryView = (r: TransferRequestSummaryRow, now: Date) => ({
  ...r,
  overdue: isRequestOverdue(r, now),
});

/**
 * Transfer requests (issue 14 item 3). Every write is one transaction with its audit event, its
 * emails (outbox) and its stored idempotent response; every read is audited (Audited.read).
 */
@Injectable()
export class TransferRequestsService {
  private readonly clocks: ClockPolicy;
  private readonly mail: MailSettings;

  constructor(
    private readonly audited: Audited,
    private readonly writer: DecisionWriter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.clocks = config.clocks;
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
  }

  create(ctx: RequestContext, dto: CreateTransferRequestDto, write: WriteOptions): Promise<TransferRequestView> {
    const target = { action: 'transfer_request.create', entityType: 'transfer_request' };
    return this.audited.write(ctx, target, async (manager) => {
      const store = await this.claimKey(manager, ctx, write);
      const requests = new TransferRequestRepository(manager);
      const team = await requests.team(dto.originatingTeamId);
      if (!team) throw ApiError.invalid([`originatingTeamId: no team ${dto.originatingTeamId}`]);
      const actor = actorOf(ctx.actor);
      const now = this.clock.now();
      const decision = decideOpenRequest(
        actor,
        { originatingTeam: team, children: dto.children, howKnown: dto.howKnown, concern: dto.concern },
        now,
        this.clocks,
      );
      if (!decision.ok && decision.reasons.some((r) => r.code === 'ADMIN_NO_FAMILY_DATA'))
        throw ApiError.forbidden(decision.reasons[0].message);
      if (!decision.ok) throw refusal(decision);
      const id = randomUUID();
      await requests.insert({
        id,
        requestedById: actor.id,
        requesterTeamId: decision.facts.requesterTeamId,
        requesterAreaId: decision.facts.requesterAreaId,
        originatingTeamId: decision.facts.originatingTeamId,
        originatingAreaId: decision.facts.originatingAreaId,
        howKnown: dto.howKnown.trim(),
        concern: dto.concern.trim(),
        children: dto.children.map((c) => ({
          givenName: c.givenName,
          familyName: c.familyName,
          dateOfBirth: c.dateOfBirth ?? null,
          nhsNumber: c.nhsNumber ?? null,
        })),
        dueAt: decision.dueAt,
        createdAt: now,
      });
      // The originating team hears at once (its mailbox); no personal data in the email.
      const to = await requests.recipients(id, {
        originatingTeam: true,
        originatingManagers: false,
        safeguardingLeads: false,
        requester: false,
      });
      await queueRequestEmail(manager, this.mail, id, 'request.opened', to);
      const view = requestView((await requests.load(id, requestVisibilityFor(actor)))!, actor, now);
      await store(HttpStatus.CREATED, view);
      return {
        result: view,
        entityId: id,
        details: { event: 'transfer_request.opened', children: dto.children.length, dueAt: decision.dueAt },
      };
    });
  }

  respond(ctx: RequestContext, id: string, dto: RespondToRequestDto, write: WriteOptions) {
    const target = { action: 'transfer_request.respond', entityType: 'transfer_request', entityId: id };
    return this.audited.write(ctx, target, async (manager) => {
      const store = await this.claimKey(manager, ctx, write);
      const requests = new TransferRequestRepository(manager);
      const actor = actorOf(ctx.actor);
      const record = await requests.load(id, requestVisibilityFor(actor), { lock: true });
      if (!record || record.erasedAt) throw ApiError.notFound('transfer request');
      const decision = decideRespond(facts(record), actor, dto);
      if (!decision.ok) throw refusal(decision);
      const now = this.clock.now();
      const transferId =
        decision.status === 'will_transfer' ? await this.linkedDraft(manager, ctx, actor, record, dto) : null;
      await requests.answer(id, {
        status: decision.status,
        respondedById: actor.id,
        respondedAt: now,
        declineReason: decision.reason,
        transferId,
      });
      const to = await requests.recipients(id, {
        originatingTeam: false,
        originatingManagers: false,
        safeguardingLeads: decision.notify.includes('safeguarding_leads'),
        requester: decision.notify.includes('requester'),
      });
      await queueRequestEmail(manager, this.mail, id, `request.${decision.status}` as RequestMessage, to);
      const view = requestView((await requests.load(id, requestVisibilityFor(actor)))!, actor, now);
      await store(HttpStatus.OK, view);
      return {
        result: view,
        details: { event: `transfer_request.${decision.status}`, ...(transferId ? { transferId } : {}) },
      };
    });
  }

  /**
   * will_transfer: a draft transfer from the originating team (the responder is its accountable
   * practitioner, as for any draft they start) to the requester's team, pre-filled with the
   * children. What the request does not say starts as: involvement `universal`, move type
   * `unknown`, move date the day the request was opened — unless the answer gives them; the
   * originating side completes the draft before initiating it (docs/decisions.md).
   */
  private async linkedDraft(
    manager: EntityManager,
    ctx: RequestContext,
    actor: Actor,
    request: TransferRequestRecord,
    dto: RespondToRequestDto,
  ): Promise<string> {
    const members = buildMembers(
      request.children.map((c, i): MemberDto => ({
        ref: `child-${i + 1}`,
        role: 'child',
        givenName: c.givenName,
        familyName: c.familyName,
        dateOfBirth: c.dateOfBirth,
        nhsNumber: c.nhsNumber,
      })),
      [],
    );
    const fields = {
      involvement: dto.involvement ?? 'universal',
      moveDate: dto.moveDate ?? londonDate(request.createdAt),
      moveType: dto.moveType ?? 'unknown',
      expectedUntil: null,
      reviewOn: null,
      shortStayChoice: null,
      sharingBasis: null,
      familyInformed: null,
      reason: `Transfer request ${request.reference} from ${request.requesterTeam.name}`,
      previousAddressArea: null,
      newAddress: null,
      leftSupportNetwork: false,
      supportNetworkNote: null,
      householdConfirmed: false,
      noMaleCarerReason: null,
    } as const;
    const decision = createTransfer(actor, {
      receivingTeamId: request.requesterTeam.id,
      receivingAreaId: request.requesterTeam.areaId,
      facts: factsOf(fields, members, [], []),
    });
    if (!decision.ok) throw refusal(decision);
    const transferId = await this.writer.write(manager, null, decision, {
      family: { fields, records: { members, concerns: [], appointments: [] } },
    });
    // The new draft's own trail starts with where it came from.
    await appendAudit(manager, {
      actorId: actor.id,
      action: 'transfer.create',
      entityType: 'transfer',
      entityId: transferId,
      transferId,
      outcome: 'succeeded',
      requestId: ctx.requestId,
      clientRequestId: ctx.clientRequestId ?? null,
      details: { event: 'transfer.created', fromTransferRequest: request.id },
    });
    return transferId;
  }

  get(ctx: RequestContext, id: string): Promise<TransferRequestView> {
    const actor = actorOf(ctx.actor);
    const target = { action: 'transfer_request.view', entityType: 'transfer_request', entityId: id };
    return this.audited.read(
      ctx,
      target,
      async (manager) => {
        const record = await new TransferRequestRepository(manager).load(id, requestVisibilityFor(actor));
        if (!record) return null;
        if (record.erasedAt) throw ApiError.erased(record.reference, record.erasedAt);
        return { result: requestView(record, actor, this.clock.now()) };
      },
      () => ApiError.notFound('transfer request'),
    );
  }

  list(ctx: RequestContext, query: ListTransferRequestsQuery) {
    const limit = query.limit ?? 25;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const target = { action: 'transfer_request.list_view', entityType: 'transfer_request' };
    return this.audited.read(ctx, target, async (manager) => {
      const rows = await new TransferRequestRepository(manager).list({
        visibility: requestVisibilityFor(actorOf(ctx.actor)),
        direction: query.direction ?? null,
        status: query.status,
        after,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const now = this.clock.now();
      return {
        result: {
          items: page.map((r) => summaryView(r, now)),
          nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
        },
        shown: page.map((r) => ({ entityId: r.id, transferId: null })),
      };
    });
  }

  /**
   * The request's Idempotency-Key: a replay renders the request again as it is now, if the caller
   * may still see it (404 otherwise). Only the status and the request's id are stored.
   */
  private claimKey(manager: EntityManager, ctx: RequestContext, write: WriteOptions) {
    const actor = actorOf(ctx.actor);
    return claimIdempotencyKey(
      manager,
      ctx.actor.id,
      write.idempotency,
      () => null,
      async () => true,
      async (requestId) => {
        const record = await new TransferRequestRepository(manager).load(requestId, requestVisibilityFor(actor));
        if (!record) throw ApiError.notFound('transfer request');
        return requestView(record, actor, this.clock.now());
      },
    );
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { Clock, DEFAULT_CHASE_LADDER, nextReminder, nextRequestReminder } from '@fh/domain';
import type { ChaseLadder, ChaseRecipient, ClockPolicy } from '@fh/domain';
import { emailFactsFor, queueReminder, queueRequestReminder } from '@fh/notifications';
import type { EmailFacts, MailSettings } from '@fh/notifications';
import { AudienceRepository, ChaseItemRepository, DUE_ITEMS_SQL, TransferRequestRepository } from '@fh/persistence';
import type { DueChaseItem } from '@fh/persistence';
import { Counter, Registry } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { METRICS_REGISTRY } from '../worker.constants.js';

/** A due item the sweep claimed (ChaseItemRepository.claimDue). */
export type DueItem = DueChaseItem;

export interface SweepOptions {
  /** Items claimed per transaction. */
  batchSize?: number;
  /** Called after each item is handled, before its batch commits (tests use it to crash mid-batch). */
  afterItem?: (item: DueItem) => void | Promise<void>;
}

/** The chasing policy the sweep applies: DESIGN §5 and §6, one place to change them. */
export interface ChasePolicy {
  clocks: ClockPolicy;
  ladder: ChaseLadder;
}
export const CHASE_POLICY = Symbol('CHASE_POLICY');
/** The configured clock policy (AppConfig.clocks, the same the API decides with) and the default ladder. */
export function chasePolicyOf(config: AppConfig): ChasePolicy {
  return { clocks: config.clocks, ladder: DEFAULT_CHASE_LADDER };
}

/** The sweep's claim statement, kept in ChaseItemRepository; exported here for the tests that EXPLAIN it. */
export { DUE_ITEMS_SQL };

/**
 * The chasing sweep. Claims due open items in bounded batches (FOR UPDATE SKIP LOCKED, through the
 * partial index on open items' next_chase_at, so cost follows what is due), and for each writes the
 * reminder emails and moves next_chase_at on in the same transaction. Two sweeps never take the same
 * item; a crash rolls the batch back and the next sweep does it again; reminder N of item X is
 * sent at most once, ever (the email's dedupe key).
 */
@Injectable()
export class ChaseSweeper {
  private readonly logger = new Logger(ChaseSweeper.name);
  private readonly mail: MailSettings;
  private readonly reminders: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CHASE_POLICY) private readonly policy: ChasePolicy,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.mail = { webBaseUrl: config.webBaseUrl, mailFrom: config.mailFrom };
    this.reminders = new Counter({
      name: 'chase_reminders_total',
      help: 'Chase reminders sent, by kind and level',
      labelNames: ['kind', 'level'],
      registers: [registry],
    });
  }

  /** Sweeps everything due at `now`; returns how many items were chased. */
  async sweep(now: Date = this.clock.now(), options: SweepOptions = {}): Promise<number> {
    const batchSize = options.batchSize ?? 200;
    let total = 0;
    for (;;) {
      const handled = await this.dataSource.transaction((manager) => this.sweepBatch(manager, now, batchSize, options));
      total += handled;
      if (handled < batchSize) break;
    }
    // Unanswered transfer requests (issue 14 item 3) are chased the same way, on the same ladder.
    for (;;) {
      const handled = await this.dataSource.transaction((manager) => this.sweepRequests(manager, now, batchSize));
      total += handled;
      if (handled < batchSize) break;
    }
    if (total) this.logger.log({ chased: total }, 'chase sweep');
    return total;
  }

  /**
   * Claims due open transfer requests (FOR UPDATE SKIP LOCKED) and, for each, writes the reminder
   * emails and moves next_chase_at on in the same transaction. The ladder's rungs for a request:
   * the originating team's mailbox, then its managers, then both areas' safeguarding leads.
   */
  private async sweepRequests(manager: EntityManager, now: Date, batchSize: number): Promise<number> {
    const requests = new TransferRequestRepository(manager);
    const due = await requests.claimDue(now, batchSize);
    for (const request of due) {
      const reminder = nextRequestReminder(request, now, this.policy.ladder, this.policy.clocks);
      if (!reminder) continue;
      const recipients = await requests.recipients(request.id, {
        originatingTeam: reminder.recipients.includes('owner'),
        originatingManagers: reminder.recipients.includes('team_manager'),
        safeguardingLeads: reminder.recipients.includes('safeguarding_leads'),
        requester: false,
      });
      await queueRequestReminder(manager, this.mail, {
        requestId: request.id,
        reminderNumber: reminder.reminderNumber,
        escalationLevel: reminder.escalationLevel,
        recipients,
      });
      await requests.recordReminder(
        request.id,
        reminder.reminderNumber,
        reminder.escalationLevel,
        reminder.nextChaseAt,
      );
      this.reminders.inc({ kind: 'transfer_request', level: String(reminder.escalationLevel) });
    }
    return due.length;
  }

  private async sweepBatch(
    manager: EntityManager,
    now: Date,
    batchSize: number,
    options: SweepOptions,
  ): Promise<number> {
    const chaseItems = new ChaseItemRepository(manager);
    const audience = new AudienceRepository(manager);
    const items = await chaseItems.claimDue(now, batchSize);
    // Items of one transfer are often due together: look its facts and people up once per batch.
    const factsOf = new Map<string, Promise<EmailFacts>>();
    const peopleOf = new Map<string, Promise<string[]>>();
    for (const item of items) {
      const reminder = nextReminder(item, now, this.policy.ladder, this.policy.clocks);
      if (!reminder) continue;
      const peopleKey = `${item.transferId}|${item.ownerId}|${item.kind === 'direct_contact' || item.kind === 'child_seen'}|${reminder.recipients.join()}`;
      if (!peopleOf.has(peopleKey)) peopleOf.set(peopleKey, this.recipients(audience, item, reminder.recipients));
      if (!factsOf.has(item.transferId))
        factsOf.set(item.transferId, emailFactsFor(manager, this.mail, item.transferId));
      await queueReminder(
        manager,
        this.mail,
        {
          chaseItemId: item.id,
          transferId: item.transferId,
          kind: item.kind,
          reminderNumber: reminder.reminderNumber,
          escalationLevel: reminder.escalationLevel,
          recipients: await peopleOf.get(peopleKey)!,
        },
        await factsOf.get(item.transferId)!,
      );
      await chaseItems.recordReminder(item.id, reminder.reminderNumber, reminder.escalationLevel, reminder.nextChaseAt);
      this.reminders.inc({ kind: item.kind, level: String(reminder.escalationLevel) });
      await options.afterItem?.(item);
    }
    return items.length;
  }

  /**
   * The ladder's people for this item: its owner, the owner's team managers, both areas'
   * safeguarding leads. A direct-contact item of a transfer awaiting the receiving side also goes to
   * the receiving team's mailbox (and, escalated, its managers): they are the ones who must act. So
   * does a child still to be seen (issue 14 item 1): the receiving side owns it — before anyone
   * there holds it by name (owner null), the team's mailbox and managers are its owner.
   */
  private recipients(audience: AudienceRepository, item: DueItem, who: ChaseRecipient[]): Promise<string[]> {
    return audience.reminderRecipients(item.transferId, item.ownerId, {
      owner: who.includes('owner'),
      teamManagers: who.includes('team_manager'),
      safeguardingLeads: who.includes('safeguarding_leads'),
      receivingSide:
        (item.kind === 'direct_contact' && item.transferStatus !== 'returned') || item.kind === 'child_seen',
    });
  }
}

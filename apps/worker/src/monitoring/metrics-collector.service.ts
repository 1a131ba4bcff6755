import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@fh/domain';
import { countGauges } from '@fh/persistence';
import { QUEUES } from '@fh/queues';
import type { QueueName } from '@fh/queues';
import { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from '../worker.constants.js';

const EVERY_MS = 15_000;

/**
 * The service's state as Prometheus gauges, computed every 15 seconds by the worker — never per
 * scrape, so scraping /metrics is cheap however large the database is. Counters (transitions,
 * sends) are kept where the events happen.
 */
@Injectable()
export class MetricsCollector implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsCollector.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly queues: Record<QueueName, Queue>;
  private readonly unconfirmed: Gauge;
  private readonly chaseItems: Gauge;
  private readonly emails: Gauge;
  private readonly outboxBacklog: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly queueDepth: Gauge;
  private readonly collectedAt: Gauge;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) registry: Registry,
    @InjectQueue(QUEUES.packets) packets: Queue,
    @InjectQueue(QUEUES.notifications) notifications: Queue,
    @InjectQueue(QUEUES.chasing) chasing: Queue,
  ) {
    this.queues = { packets, notifications, chasing };
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      new Gauge({ name, help, labelNames, registers: [registry] });
    this.unconfirmed = gauge(
      'fh_unconfirmed_transfers',
      'Transfers not yet confirmed, by receiving area and whether overdue',
      ['area', 'overdue'],
    );
    this.chaseItems = gauge('fh_open_chase_items', 'Open chase items by kind and escalation level', ['kind', 'level']);
    this.emails = gauge('fh_emails', 'Emails not (yet) sent, by state', ['state']);
    this.outboxBacklog = gauge('fh_outbox_backlog', 'Outbox rows waiting to be handed to Redis');
    this.outboxOldest = gauge('fh_outbox_oldest_age_seconds', 'Age of the oldest waiting outbox row');
    this.queueDepth = gauge('fh_queue_jobs', 'Jobs in each queue by state', ['queue', 'state']);
    this.collectedAt = gauge('fh_metrics_collected_timestamp_seconds', 'When these gauges were last computed');
  }

  onApplicationBootstrap(): void {
    void this.collect();
    this.timer = setInterval(() => void this.collect(), EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async collect(): Promise<void> {
    try {
      const now = this.clock.now();
      const { unconfirmed, chaseItems: chase, emails, outbox } = await countGauges(this.dataSource.manager, now);
      this.unconfirmed.reset();
      for (const r of unconfirmed) this.unconfirmed.set({ area: r.area, overdue: String(r.overdue) }, r.n);
      this.chaseItems.reset();
      for (const r of chase) this.chaseItems.set({ kind: r.kind, level: String(r.level) }, r.n);
      this.emails.reset();
      for (const state of ['queued', 'failed'])
        this.emails.set({ state }, emails.find((r) => r.status === state)?.n ?? 0);
      this.outboxBacklog.set(outbox.n);
      this.outboxOldest.set(Math.max(0, outbox.oldest));
      await this.collectQueues();
      this.collectedAt.set(Date.now() / 1000);
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'could not compute metrics this time');
    }
  }

  private async collectQueues(): Promise<void> {
    for (const [name, queue] of Object.entries(this.queues)) {
      const counts = await queue
        .getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized')
        .catch(() => null);
      if (!counts) continue; // Redis away: keep the last known depths
      for (const [state, n] of Object.entries(counts)) this.queueDepth.set({ queue: name, state }, n);
    }
  }
}

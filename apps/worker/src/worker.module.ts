import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigModule } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { Clock } from '@fh/domain';
import { bullConnectionOptions, createMetricsRegistry, loggerParams } from '@fh/observability';
import { PersistenceModule } from '@fh/persistence';
import { ALL_QUEUES } from '@fh/queues';
import { LoggerModule } from 'nestjs-pino';
import { BackoffWorker } from './backoff-worker.js';
import { ChaseSweepProcessor } from './chasing/chase-sweep.processor.js';
import { CHASE_POLICY, ChaseSweeper, chasePolicyOf } from './chasing/chase-sweeper.service.js';
import { DigestService } from './monitoring/digest.service.js';
import { JobMetrics } from './monitoring/job-metrics.service.js';
import { MetricsCollector } from './monitoring/metrics-collector.service.js';
import { EmailProcessor } from './notifications/email.processor.js';
import { Mailer } from './notifications/mailer.service.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { PacketGenerator } from './packets/packet-generator.service.js';
import { PacketProcessor } from './packets/packet.processor.js';
import { Reconciler } from './reconciler.service.js';
import { RetentionSweeper } from './retention/retention.service.js';
import { METRICS_REGISTRY } from './worker.constants.js';
import { WorkerErrors } from './worker-errors.service.js';
import { WorkerShutdown } from './worker-shutdown.service.js';

@Module({})
export class WorkerModule {
  /**
   * `processors: false` runs the relay, sweeps' services and metrics without BullMQ workers (a
   * relay-only process; tests of the relay use it).
   */
  static register(config: AppConfig, clock?: Clock, options: { processors?: boolean } = {}): DynamicModule {
    const processors = options.processors === false ? [] : [EmailProcessor, ChaseSweepProcessor, PacketProcessor];
    const connection = bullConnectionOptions(config.redisUrl);
    // Every @Processor's BullMQ Worker: one that backs off when Redis refuses to hand out jobs.
    BullModule.workerClass = BackoffWorker;
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config, clock),
        LoggerModule.forRoot(loggerParams(config.logLevel, 'worker')),
        PersistenceModule,
        DiscoveryModule,
        // Workers wait for Redis indefinitely; producers fail fast so the relay can back off.
        BullModule.forRoot({ connection, prefix: config.queuePrefix }),
        ...ALL_QUEUES.map((name) =>
          BullModule.registerQueue({
            name,
            prefix: config.queuePrefix,
            connection: { ...connection, enableOfflineQueue: false },
          }),
        ),
      ],
      providers: [
        OutboxRelay,
        WorkerShutdown,
        WorkerErrors,
        Reconciler,
        Mailer,
        ChaseSweeper,
        MetricsCollector,
        JobMetrics,
        DigestService,
        PacketGenerator,
        RetentionSweeper,
        ...processors,
        { provide: CHASE_POLICY, useValue: chasePolicyOf(config) },
        { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry('worker') },
      ],
      exports: [
        OutboxRelay,
        Reconciler,
        ChaseSweeper,
        DigestService,
        RetentionSweeper,
        MetricsCollector,
        METRICS_REGISTRY,
      ],
    };
  }
}

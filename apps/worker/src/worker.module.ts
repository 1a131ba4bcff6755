import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigModule } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { bullConnectionOptions, createMetricsRegistry, loggerParams } from '@fh/observability';
import { PersistenceModule } from '@fh/persistence';
import { ALL_QUEUES } from '@fh/queues';
import { LoggerModule } from 'nestjs-pino';
import { EmailProcessor } from './notifications/email.processor.js';
import { Mailer } from './notifications/mailer.service.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { METRICS_REGISTRY } from './worker.constants.js';
import { WorkerShutdown } from './worker-shutdown.service.js';

@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    const connection = bullConnectionOptions(config.redisUrl);
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.logLevel, 'worker')),
        PersistenceModule,
        DiscoveryModule,
        // Workers wait for Redis indefinitely; producers fail fast so the relay can back off.
        BullModule.forRoot({ connection, prefix: config.queuePrefix }),
        ...ALL_QUEUES.map((name) =>
          BullModule.registerQueue({ name, prefix: config.queuePrefix, connection: { ...connection, enableOfflineQueue: false } }),
        ),
      ],
      providers: [
        OutboxRelay,
        WorkerShutdown,
        Mailer,
        EmailProcessor,
        { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry('worker') },
      ],
      exports: [OutboxRelay, METRICS_REGISTRY],
    };
  }
}

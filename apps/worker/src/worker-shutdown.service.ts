import { getQueueToken, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import { ALL_QUEUES } from '@fh/queues';
import { Queue } from 'bullmq';
import { OutboxRelay } from './outbox-relay.service.js';

/**
 * SIGTERM, in order: stop relaying, let the workers finish the jobs they hold (drain), close the
 * queues; the database connections close after all of this (PersistenceModule's shutdown hook).
 */
@Injectable()
export class WorkerShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly relay: OutboxRelay,
    private readonly discovery: DiscoveryService,
    private readonly moduleRef: ModuleRef,
  ) {}

  private hosts(): WorkerHost[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`stopping (${signal ?? 'close'})`);
    await this.relay.beforeApplicationShutdown();
    await Promise.all(this.hosts().map((host) => host.worker?.close()));
    await Promise.all(
      ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }).close()),
    );
    this.logger.log('workers drained and queues closed');
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { QUEUES } from '@fh/queues';
import type { JobPayloads } from '@fh/queues';
import { Job } from 'bullmq';
import { WORKER_SETTINGS } from '../worker.constants.js';
import { PacketGenerator, PacketOutcome } from './packet-generator.service.js';

/**
 * Rendering a PDF is CPU work of a few milliseconds and the rest waits on PostgreSQL, so a few jobs
 * at once keep one core busy without starving the relay; more workers scale it out.
 */
export const PACKET_CONCURRENCY = 4;

/** `packet.generate` jobs: one new packet version per change of the transfer, however often delivered. */
// The same lock and stall settings as every processor: a job whose worker died runs again elsewhere
// within ~25 s (BullMQ's defaults would take up to a minute).
@Processor(QUEUES.packets, { ...WORKER_SETTINGS, concurrency: PACKET_CONCURRENCY })
export class PacketProcessor extends WorkerHost {
  private readonly logger = new Logger(PacketProcessor.name);

  constructor(private readonly packets: PacketGenerator) {
    super();
  }

  async process(job: Job<JobPayloads['packet.generate']>): Promise<PacketOutcome> {
    if (job.name !== 'packet.generate') throw new Error(`the packets queue does not run ${job.name} jobs`);
    const result = await this.packets.generate(
      job.data.transferId,
      job.id ?? `${job.queueName}:${job.name}:${job.timestamp}`,
    );
    // Ids and outcomes only: never personal data in logs.
    this.logger.log({ jobId: job.id, transferId: job.data.transferId, ...result }, 'packet job done');
    return result;
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { TransferStatus } from '@fh/domain';
import { withdrawalReason } from '@fh/notifications';
import { QUEUES } from '@fh/queues';
import type { JobPayloads } from '@fh/queues';
import { Job, UnrecoverableError } from 'bullmq';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY, WORKER_SETTINGS } from '../worker.constants.js';
import { isPermanentSmtpFailure, Mailer } from './mailer.service.js';

type Outcome =
  | { kind: 'sent' }
  | { kind: 'skipped' }
  | { kind: 'withdrawn' }
  | { kind: 'retry'; error: Error }
  | { kind: 'failed'; error: Error };

/**
 * Sends one email row. Idempotent: a row that is no longer `queued` is left alone, so a job that
 * runs twice sends once. While sending, the row is locked, so two deliveries of the same job never
 * send at once. Transient failures (connection problems, 4xx replies) are retried by BullMQ with
 * exponential backoff; permanent ones (5xx, authentication) and the last retry mark the row
 * `failed` and count it for monitoring. If the worker dies mid-send the row stays `queued` and the
 * stalled job runs again; the Message-ID was fixed when the row was made, so a repeat is recognisable.
 * An email whose transfer was cancelled (or, for reminders, closed) before it went is `withdrawn`
 * instead (withdrawalReason). The transfer is read, not locked: a send is never held up by, nor
 * holds up, a change to the transfer; one that starts before a cancellation commits still goes.
 */
@Processor(QUEUES.notifications, WORKER_SETTINGS)
export class EmailProcessor extends WorkerHost {
  private readonly logger = new Logger(EmailProcessor.name);
  private readonly sent: Counter;
  private readonly failed: Counter;
  private readonly withdrawn: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    super();
    this.sent = new Counter({
      name: 'emails_sent_total',
      help: 'Emails accepted by the SMTP server',
      registers: [registry],
    });
    this.withdrawn = new Counter({
      name: 'emails_withdrawn_total',
      help: 'Emails not sent because their transfer was cancelled (or closed) first',
      registers: [registry],
    });
    this.failed = new Counter({
      name: 'emails_failed_total',
      help: 'Emails given up on (permanent failure or out of retries)',
      registers: [registry],
    });
  }

  async process(job: Job<JobPayloads['email.send']>): Promise<void> {
    if (job.name !== 'email.send') throw new UnrecoverableError(`unknown job ${job.name}`);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      const rows: {
        status: string;
        kind: string;
        transferStatus: TransferStatus | null;
        recipient: string;
        subject: string;
        body: string;
        messageId: string;
      }[] = await manager.query(
        `SELECT e.status, e.kind, t.status AS "transferStatus", e.recipient, e.subject, e.body, e.message_id AS "messageId"
           FROM emails e LEFT JOIN transfers t ON t.id = e.transfer_id WHERE e.id = $1 FOR UPDATE OF e`,
        [job.data.emailId],
      );
      const email = rows[0];
      if (!email || email.status !== 'queued') return { kind: 'skipped' };
      // The transfer's state as last committed: an email about a transfer cancelled meanwhile is not sent.
      const withdrawn = withdrawalReason(email.kind, email.transferStatus);
      if (withdrawn) {
        await manager.query(`UPDATE emails SET status = 'withdrawn', last_error = $2 WHERE id = $1`, [
          job.data.emailId,
          withdrawn,
        ]);
        return { kind: 'withdrawn' };
      }
      try {
        await this.mailer.send({
          to: email.recipient,
          subject: email.subject,
          text: email.body,
          messageId: email.messageId,
        });
      } catch (error) {
        const giveUp = isPermanentSmtpFailure(error) || lastAttempt;
        await manager.query(
          `UPDATE emails SET attempts = attempts + 1, last_error = $2, status = CASE WHEN $3 THEN 'failed' ELSE status END,
             failed_at = CASE WHEN $3 THEN now() ELSE failed_at END
           WHERE id = $1`,
          [job.data.emailId, describe(error), giveUp],
        );
        return { kind: giveUp ? 'failed' : 'retry', error: error as Error };
      }
      await manager.query(
        `UPDATE emails SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`,
        [job.data.emailId],
      );
      return { kind: 'sent' };
    });
    if (outcome.kind === 'sent') this.sent.inc();
    if (outcome.kind === 'withdrawn') this.withdrawn.inc();
    if (outcome.kind === 'sent' || outcome.kind === 'skipped' || outcome.kind === 'withdrawn') return;
    if (outcome.kind === 'retry') throw outcome.error;
    this.failed.inc();
    this.logger.warn({ emailId: job.data.emailId, reason: describe(outcome.error) }, 'email failed for good');
    throw new UnrecoverableError(describe(outcome.error));
  }
}

/** The SMTP codes only (SmtpFailure): a reply's text names the refused mailbox, so it is never kept. */
function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; enhancedStatus?: string };
  return [e.code, e.responseCode, e.enhancedStatus].filter(Boolean).join(' ') || 'unknown';
}

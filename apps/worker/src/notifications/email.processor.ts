import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { withdrawalReason } from '@fh/notifications';
import { QUEUES } from '@fh/queues';
import type { JobPayloads } from '@fh/queues';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { Counter, Registry } from 'prom-client';
import {
  claimEmail,
  inTransaction,
  lockEmailForClaim,
  markEmailAttemptFailed,
  markEmailSent,
  markEmailWithdrawn,
} from '@fh/persistence';
import type { QueuedEmailRow } from '@fh/persistence';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY, WORKER_SETTINGS } from '../worker.constants.js';
import { isPermanentSmtpFailure, Mailer } from './mailer.service.js';

type Claim =
  | { kind: 'skipped' }
  | { kind: 'withdrawn' }
  | { kind: 'busy'; until: number }
  | { kind: 'claimed'; email: QueuedEmailRow; token: string };

/**
 * How long a claim keeps another job off the same email: longer than the mailer's longest
 * conversation (connect 10 s, greeting 10 s, then 30 s of silence at most per step).
 */
export const SEND_LEASE_MS = 120_000;

/**
 * Sends one email row: claim (a short transaction), send with no transaction open, then mark (another
 * short transaction) — so a slow relay never holds a connection of the pool or a row lock (issue 12
 * item 13). Idempotent: a row that is no longer `queued` is left alone, so a job that runs twice sends
 * once; a claim (job and time on the row) keeps any other job for the same email off it while it is
 * fresh. The status stays `queued` until the relay took the message. Transient failures (connection
 * problems, 4xx replies) are retried by BullMQ with exponential backoff; permanent ones (5xx, authentication) and the last retry mark the row
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

  async process(job: Job<JobPayloads['email.send']>, token?: string): Promise<void> {
    if (job.name !== 'email.send') throw new UnrecoverableError(`unknown job ${job.name}`);
    const emailId = job.data.emailId;
    const jobId = job.id ?? 'unknown';
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // 1. Claim, in a short transaction.
    const claim = await inTransaction(this.dataSource, async (manager): Promise<Claim> => {
      const email = await lockEmailForClaim(manager, emailId, SEND_LEASE_MS);
      if (!email || email.status !== 'queued') return { kind: 'skipped' };
      // The transfer's state as last committed: an email about a transfer cancelled meanwhile is not sent.
      const withdrawn = withdrawalReason(email.kind, email.transferStatus);
      if (withdrawn) {
        await markEmailWithdrawn(manager, emailId, withdrawn);
        return { kind: 'withdrawn' };
      }
      // Another job is sending this email now: leave it until that claim lapses. The same job seen
      // again means BullMQ judged its earlier attempt dead (its lock lapsed), so this one takes over.
      if (email.claimFresh && email.sendingJob !== jobId)
        return { kind: 'busy', until: email.sendingSince!.getTime() + SEND_LEASE_MS };
      return { kind: 'claimed', email, token: await claimEmail(manager, emailId, jobId) };
    });
    if (claim.kind === 'skipped') return;
    if (claim.kind === 'withdrawn') return void this.withdrawn.inc();
    if (claim.kind === 'busy') {
      if (!token) throw new Error('email is being sent by another job');
      await job.moveToDelayed(Math.max(claim.until, Date.now() + 1_000), token);
      throw new DelayedError();
    }
    // 2. Send, with no transaction open and no row locked.
    try {
      await this.mailer.send({
        to: claim.email.recipient,
        subject: claim.email.subject,
        text: claim.email.body,
        messageId: claim.email.messageId,
      });
    } catch (error) {
      // 3a. Mark the failed attempt, in a short transaction.
      const giveUp = isPermanentSmtpFailure(error) || lastAttempt;
      await inTransaction(this.dataSource, (manager) =>
        markEmailAttemptFailed(manager, emailId, claim.token, describe(error), giveUp),
      );
      if (!giveUp) throw error;
      this.failed.inc();
      this.logger.warn({ emailId, reason: describe(error) }, 'email failed for good');
      throw new UnrecoverableError(describe(error));
    }
    // 3b. Mark it sent, in a short transaction.
    await inTransaction(this.dataSource, (manager) => markEmailSent(manager, emailId));
    this.sent.inc();
  }
}

/** The SMTP codes only (SmtpFailure): a reply's text names the refused mailbox, so it is never kept. */
function describe(error: unknown): string {
  const e = error as { responseCode?: number; code?: string; enhancedStatus?: string };
  return [e.code, e.responseCode, e.enhancedStatus].filter(Boolean).join(' ') || 'unknown';
}

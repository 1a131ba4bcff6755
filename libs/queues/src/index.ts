/**
 * The one place where queue names, job names and job payloads are defined, shared by the API
 * (which writes outbox rows naming them) and the worker (which consumes them).
 *
 * Payloads carry ids only: Redis keeps job data in clear text, so personal data never goes here.
 */
export const QUEUES = {
  packets: 'packets',
  notifications: 'notifications',
  chasing: 'chasing',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Snapshot a transfer into a new packet version. */
  'packet.generate': { transferId: string };
  /** Send one email row. */
  'email.send': { emailId: string };
  /** Scheduled: claim due chase items and send reminders. */
  'chase.sweep': Record<string, never>;
  /** Scheduled each morning: the working-day digest of who is awaiting contact. */
  'digest.daily': Record<string, never>;
  /** Scheduled each night: erase ended transfers past their retention period; prune sent emails and dispatched outbox rows. */
  'retention.sweep': Record<string, never>;
}
export type JobName = keyof JobPayloads;

/** Which queue each job runs on. */
export const JOB_QUEUE: { [J in JobName]: QueueName } = {
  'packet.generate': QUEUES.packets,
  'email.send': QUEUES.notifications,
  'chase.sweep': QUEUES.chasing,
  'digest.daily': QUEUES.chasing,
  'retention.sweep': QUEUES.chasing,
};

/** Retry and retention for every job added (BullMQ `JobsOptions` subset, kept free of imports). */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2_000 },
  // Completed jobs are kept for a day so that a re-dispatch of the same outbox row (same job id)
  // after a relay crash is recognised by BullMQ as a duplicate and not run twice.
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

/** Per job: an email keeps trying for about 2¼ hours (1 s, 2 s, 4 s … doubling, 13 tries). */
export const JOB_OPTIONS: {
  [J in JobName]:
    | typeof DEFAULT_JOB_OPTIONS
    | (Omit<typeof DEFAULT_JOB_OPTIONS, 'attempts' | 'backoff'> & {
        attempts: number;
        backoff: { type: 'exponential'; delay: number };
      });
} = {
  'packet.generate': DEFAULT_JOB_OPTIONS,
  'email.send': { ...DEFAULT_JOB_OPTIONS, attempts: 13, backoff: { type: 'exponential', delay: 1_000 } },
  'chase.sweep': DEFAULT_JOB_OPTIONS,
  'digest.daily': DEFAULT_JOB_OPTIONS,
  'retention.sweep': DEFAULT_JOB_OPTIONS,
};

export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);

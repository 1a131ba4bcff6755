import { Job, Worker } from 'bullmq';
import type { Processor, WorkerOptions } from 'bullmq';

/** First pause after Redis refuses to hand out a job, doubling per refusal in a row up to the cap. */
export const FETCH_BACKOFF_FIRST_MS = 100;
export const FETCH_BACKOFF_MAX_MS = 2_000;

/**
 * Every queue worker of this service (registered as `BullModule.workerClass`).
 *
 * BullMQ 6's main loop fetches the next job through `retryIfFailed(…, { onlyEmitError: true })`,
 * which pauses (`runRetryDelay`) only after a *connection* error. A Redis that is connected but
 * answers every write with an error — `READONLY` (a replica after a failover), `MISCONF` (a failed
 * RDB save), `LOADING`, `OOM` — makes `moveToActive` fail at once, the error is emitted and the loop
 * asks again straight away: thousands of round trips a second, measured at ~45 % of a core (plus
 * Redis's own) while jobs were waiting (docs/decisions.md). Blocking waits on an empty queue already
 * pause 100 ms after an error, so only the fetch needs it: here a refused fetch waits, with
 * exponential backoff, before its error goes back to BullMQ, which still emits it (and the worker
 * logs it, see WorkerErrors). Closing the worker cuts the wait short.
 *
 * `runRetryDelay` (BullMQ's pause after a connection error, 15 s by default) is 2 s, so that work
 * flows again within seconds of Redis returning.
 */
export class BackoffWorker extends Worker {
  private refusedInARow = 0;
  private readonly stopWaiting = new AbortController();

  constructor(name: string, processor: string | URL | null | Processor | undefined, opts: WorkerOptions) {
    super(name, processor, { runRetryDelay: 2_000, ...opts });
    this.once('closing', () => this.stopWaiting.abort());
  }

  protected override async moveToActive(token: string, name?: string): Promise<Job> {
    try {
      const job = await super.moveToActive(token, name);
      this.refusedInARow = 0;
      return job;
    } catch (error) {
      const wait = Math.min(FETCH_BACKOFF_MAX_MS, FETCH_BACKOFF_FIRST_MS * 2 ** Math.min(this.refusedInARow, 10));
      this.refusedInARow++;
      await pause(wait, this.stopWaiting.signal);
      throw error;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

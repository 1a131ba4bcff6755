import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../common/api-error.js';
import { toErrorBody } from '../common/error-response.js';

export const RATE_WINDOW_MS = 60_000;
/** Keys held at most (≈ 100 bytes each): past it the oldest window is forgotten first. */
export const RATE_LIMIT_MAX_KEYS = 100_000;
/** Fastify route config that exempts a route from the early per-address count (probes and scrapes). */
export const NOT_RATE_LIMITED = { rateLimit: false } as const;

export class RateLimited extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', [
      `too many requests: try again in ${retryAfterSeconds} seconds`,
    ]);
  }
}

interface Window {
  startedAt: number;
  count: number;
}

/**
 * A fixed one-minute window per key (`ip:…`, `practitioner:…`), started by the key's first request:
 * one Map lookup per request whatever the traffic. The Map keeps keys in the order their windows
 * started (a renewed window is re-inserted at the end), so expired windows are always at its head:
 * each hit forgets up to two of them, and past RATE_LIMIT_MAX_KEYS the oldest goes regardless —
 * memory is bounded and nothing ever scans.
 */
@Injectable()
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  /** Milliseconds on a monotonic clock: real time, whatever clock the domain is given (tests replace it). */
  now: () => number = () => performance.now();

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'rateLimitPerMinute'>) {}

  /** Counts one request against `key`; throws RateLimited (with Retry-After) past the limit. */
  hit(key: string): void {
    const now = this.now();
    this.forgetExpired(now);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= RATE_WINDOW_MS) {
      if (window) this.windows.delete(key);
      else if (this.windows.size >= RATE_LIMIT_MAX_KEYS) this.windows.delete(this.windows.keys().next().value!);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > this.config.rateLimitPerMinute)
      throw new RateLimited(Math.max(1, Math.ceil((window.startedAt + RATE_WINDOW_MS - now) / 1000)));
  }

  /** Gives back a request counted against `key` (it turned out to be someone's, counted against them). */
  refund(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  /** Keys currently held (for tests). */
  get size(): number {
    return this.windows.size;
  }

  private forgetExpired(now: number): void {
    for (let i = 0; i < 2; i++) {
      const oldest = this.windows.entries().next().value;
      if (!oldest || now - oldest[1].startedAt < RATE_WINDOW_MS) return;
      this.windows.delete(oldest[0]);
    }
  }
}

/** The key a request counts against before (or without) sign-in. */
export const addressKey = (request: Pick<FastifyRequest, 'ip'>) => `ip:${request.ip}`;

/**
 * Counts one request against its client address: the refusal to send if that puts the address past
 * its limit, otherwise null.
 */
export function countAgainstAddress(limiter: RateLimiter, request: Pick<FastifyRequest, 'ip'>): RateLimited | null {
  try {
    limiter.hit(addressKey(request));
    return null;
  } catch (error) {
    if (error instanceof RateLimited) return error;
    throw error;
  }
}

/**
 * Counts every request against its client address as soon as it arrives — before routing to a
 * handler, body parsing, the guard or the queue dashboard — so unknown routes, unparseable bodies and
 * refusals count too. A request that signs in is moved to its practitioner's count by the guard.
 * Routes with NOT_RATE_LIMITED in their config (health, metrics) are not counted. (What the router
 * refuses before any hook runs — a malformed URL, an over-long path segment — is counted by the
 * API's `frameworkErrors` handler with countAgainstAddress.)
 */
export function limitEveryRequest(fastify: FastifyInstance, limiter: RateLimiter): void {
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions?.config as { rateLimit?: boolean } | undefined;
    if (config?.rateLimit === false) return;
    const limited = countAgainstAddress(limiter, request);
    if (limited)
      return reply
        .code(HttpStatus.TOO_MANY_REQUESTS)
        .header('Retry-After', String(limited.retryAfterSeconds))
        .send(toErrorBody(limited));
  });
}

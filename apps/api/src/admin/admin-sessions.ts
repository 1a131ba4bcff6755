import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import { WebSessionRepository } from '@fh/persistence';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';

export const ADMIN_COOKIE = 'fh_admin';
/** A dashboard session ends after 30 minutes unused… */
export const ADMIN_SESSION_IDLE_SECONDS = 30 * 60;
/** …and at the latest 8 hours after sign-in, or when the token it was made from expires, whichever is first. */
export const ADMIN_SESSION_MAX_SECONDS = 8 * 60 * 60;

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (value: string) => createHash('sha256').update(value).digest();

/**
 * The queue dashboard's sign-in: an opaque random cookie value (32 bytes), the row in web_sessions
 * (audience `admin`) under its SHA-256, holding only the practitioner id. The token an admin signed
 * in with is not kept, so the cookie is no bearer token anywhere; deleting the row signs out.
 */
@Injectable()
export class AdminSessions {
  private readonly repository: WebSessionRepository;

  constructor(
    dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.repository = new WebSessionRepository(dataSource, 'admin');
  }

  /** Starts a session for this admin; returns the Set-Cookie header value. */
  async start(practitionerId: string, tokenExpiresAt: number | undefined): Promise<string> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const ends = Math.min(nowSeconds + ADMIN_SESSION_MAX_SECONDS, tokenExpiresAt ?? Infinity);
    const maxAge = Math.max(0, ends - nowSeconds);
    const value = randomBytes(32).toString('base64url');
    // Expired and idle rows go at each sign-in (the console purges them on its own timer too).
    await this.repository.purge(ADMIN_SESSION_IDLE_SECONDS);
    await this.repository.create(
      hashOf(value),
      randomBytes(32).toString('base64url'),
      new Date(ends * 1000),
      null,
      practitionerId,
    );
    return this.cookie(value, maxAge);
  }

  /** The practitioner id of the live session this request's cookie names (touching it), or null. */
  async practitionerIdOf(request: FastifyRequest): Promise<string | null> {
    const value = cookieValue(request);
    if (!value) return null;
    const row = await this.repository.touch(hashOf(value), ADMIN_SESSION_IDLE_SECONDS);
    return row?.practitionerId ?? null;
  }

  /** Ends this request's session, if any; returns the Set-Cookie header value that clears the cookie. */
  async end(request: FastifyRequest): Promise<string> {
    const value = cookieValue(request);
    if (value) await this.repository.delete(hashOf(value));
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.config.appBaseUrl.startsWith('https://') ? '; Secure' : '';
    return `${ADMIN_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
  }
}

/** The admin cookie's value when it has the shape of one. */
function cookieValue(request: FastifyRequest): string | null {
  const cookie = request.headers.cookie ?? '';
  const value = new RegExp(`(?:^|;\\s*)${ADMIN_COOKIE}=([^;]*)`).exec(cookie)?.[1];
  return value && COOKIE_VALUE.test(value) ? value : null;
}

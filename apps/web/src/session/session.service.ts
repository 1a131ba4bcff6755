import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { WebSessionRepository } from '@fh/persistence/web-sessions.repository.js';
import type { WebSessionRow } from '@fh/persistence/web-sessions.repository.js';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '../common/web-request.js';
import type { WebReply, WebRequest } from '../common/web-request.js';
import { WEB_CONFIG } from '../web-config.token.js';
import type { WebConfig } from '../web-config.js';

export const WEB_DATA_SOURCE = Symbol('WEB_DATA_SOURCE');

const hashOf = (value: string) => createHash('sha256').update(value).digest();

/**
 * Server-side sessions: the browser gets an opaque random value (HttpOnly, SameSite=Lax, Secure on
 * https); PostgreSQL keeps the row under the value's SHA-256. Idle sessions end after
 * `sessionIdleSeconds`, every session after `sessionMaxSeconds`.
 */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly repository: WebSessionRepository;
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(WEB_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(WEB_CONFIG) private readonly config: WebConfig,
  ) {
    this.repository = new WebSessionRepository(dataSource);
  }

  onModuleInit(): void {
    this.purgeTimer = setInterval(
      () => void this.repository.purge(this.config.sessionIdleSeconds).catch(() => undefined),
      10 * 60_000,
    );
    this.purgeTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.purgeTimer);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Finds the request's live session from its cookie, and keeps it alive. */
  async load(request: WebRequest): Promise<void> {
    const value = request.cookies?.[SESSION_COOKIE];
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return;
    const idHash = hashOf(value);
    const row = await this.repository.touch(idHash, this.config.sessionIdleSeconds);
    if (row) request.web.session = { idHash, row };
  }

  /** Starts a new session (signed out, or signing in) and sets its cookie; any previous one on this request is deleted. */
  async start(
    request: WebRequest,
    reply: WebReply,
    signIn: WebSessionRow['signIn'],
  ): Promise<{ idHash: Buffer; row: WebSessionRow }> {
    if (request.web.session) await this.repository.delete(request.web.session.idHash);
    const value = randomBytes(32).toString('base64url');
    const idHash = hashOf(value);
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionMaxSeconds * 1000);
    await this.repository.create(idHash, csrfToken, expiresAt, signIn);
    void reply.setCookie(SESSION_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.webBaseUrl.startsWith('https:'),
      maxAge: this.config.sessionMaxSeconds,
    });
    const now = new Date();
    const row: WebSessionRow = {
      csrfToken,
      practitionerId: null,
      accessToken: null,
      accessTokenExpiresAt: null,
      refreshToken: null,
      idToken: null,
      signIn,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    };
    request.web.session = { idHash, row };
    return request.web.session;
  }

  async signedIn(idHash: Buffer, values: Parameters<WebSessionRepository['signedIn']>[1]): Promise<void> {
    await this.repository.signedIn(idHash, values);
  }

  async refreshed(idHash: Buffer, accessToken: string, expiresAt: Date, refreshToken: string | null): Promise<void> {
    await this.repository.refreshed(idHash, accessToken, expiresAt, refreshToken);
  }

  /** Ends the request's session: the row is deleted and the cookie cleared. */
  async end(request: WebRequest, reply: WebReply): Promise<void> {
    if (request.web.session) await this.repository.delete(request.web.session.idHash);
    request.web.session = null;
    request.web.practitioner = null;
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** The synchroniser token check: the form's `_csrf` must equal the session's token. */
  csrfValid(request: WebRequest, submitted: unknown): boolean {
    const expected = request.web.session?.row.csrfToken;
    if (!expected || typeof submitted !== 'string' || submitted.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(submitted), Buffer.from(expected));
  }
}

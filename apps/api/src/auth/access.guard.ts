import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { APP_CONFIG } from '@fh/config';
import type { AppConfig } from '@fh/config';
import type { PractitionerRole } from '@fh/domain';
import type { FastifyRequest } from 'fastify';
import { Audited } from '../audit/audited.service.js';
import { ApiError } from '../common/api-error.js';
import { AuthenticatedRequest, IS_PUBLIC, requestIds, ROLES, SKIP_RATE_LIMIT } from './actor.js';
import type { SignedInPractitioner } from './actor.js';
import { DirectoryLookup } from './directory-lookup.service.js';
import { TokenRejected, TokenVerifier } from './token-verifier.service.js';

class RateLimited extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', [
      `too many requests: try again in ${retryAfterSeconds} seconds`,
    ]);
  }
}

/**
 * Every request passes here: sign-in (token → active practitioner in the directory), rate limiting
 * (per practitioner when signed in, per client address otherwise) and the handler's role check.
 */
@Injectable()
export class AccessGuard implements CanActivate, OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly directory: DirectoryLookup,
    private readonly audited: Audited,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const skipRateLimit = this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT, targets);

    if (isPublic) {
      if (!skipRateLimit) await this.limit(`ip:${request.ip}`);
      return true;
    }

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
    let actor: SignedInPractitioner | null = null;
    let refusal: ApiError | null = null;
    if (!match) {
      refusal = new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', ['a bearer token is required']);
    } else {
      try {
        actor = await this.directory.practitionerFor(await this.verifier.verify(match[1]), requestIds(request));
      } catch (error) {
        if (error instanceof ApiError) refusal = error;
        else if (error instanceof TokenRejected)
          refusal = new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED', [error.message]);
        else throw error;
      }
    }
    await this.limit(actor ? `practitioner:${actor.id}` : `ip:${request.ip}`);
    if (!actor) throw refusal ?? ApiError.forbidden();

    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<PractitionerRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      // A signed-in person trying what their role does not allow is worth a trace.
      const route = `${request.method} ${request.routeOptions?.url ?? request.url.split('?')[0]}`;
      await this.audited.refused(
        { actor, ...requestIds(request) },
        { action: 'access.refused', entityType: 'route', entityId: route },
        'FORBIDDEN',
      );
      throw ApiError.forbidden(`only ${roles.join(' or ')} may do this`);
    }
    return true;
  }

  private async limit(key: string): Promise<void> {
    const ttl = 60_000;
    const record = await this.storage.increment(key, ttl, this.config.rateLimitPerMinute, 0, 'default');
    if (record.isBlocked) throw new RateLimited(Math.max(1, Math.ceil(record.timeToBlockExpire)));
  }
}

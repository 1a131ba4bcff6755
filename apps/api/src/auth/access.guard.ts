import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PractitionerRole } from '@fh/domain';
import type { FastifyRequest } from 'fastify';
import { Audited } from '../audit/audited.service.js';
import { ApiError } from '../common/api-error.js';
import { AuthenticatedRequest, IS_PUBLIC, requestIds, ROLES } from './actor.js';
import type { SignedInPractitioner } from './actor.js';
import { DirectoryLookup } from './directory-lookup.service.js';
import { addressKey, RateLimiter } from './rate-limiter.js';
import { TokenRejected, TokenVerifier } from './token-verifier.service.js';

/**
 * Every handled request passes here: sign-in (token → active practitioner in the directory), rate
 * limiting once signed in (the request, already counted against its client address on arrival by
 * limitEveryRequest, is moved to the practitioner's count) and the handler's role check.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly directory: DirectoryLookup,
    private readonly audited: Audited,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    const targets = [context.getHandler(), context.getClass()];
    // Public routes stay counted against the client address (or, for probes, not at all).
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

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
    // Refused sign-ins stay counted against the address; a signed-in request counts against its
    // practitioner instead, so a console server or an office behind one address is not one budget.
    if (!actor) throw refusal ?? ApiError.forbidden();
    this.limiter.refund(addressKey(request));
    this.limiter.hit(`practitioner:${actor.id}`);

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
}

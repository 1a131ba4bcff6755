import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { PractitionerRole } from '@fh/domain';
import { NOT_RATE_LIMITED } from './rate-limiter.js';

/** The signed-in practitioner, as the directory knows them now (never as the token claims). */
export interface SignedInPractitioner {
  id: string;
  email: string;
  name: string;
  role: PractitionerRole;
  teamId: string | null;
  areaId: string | null;
}

/** What every audited operation needs to know about the request it serves. */
export interface RequestContext {
  actor: SignedInPractitioner;
  requestId: string | null;
  /** The caller's X-Request-Id when it was valid (see requestIdOf); audited as client_request_id. */
  clientRequestId?: string | null;
}

export interface AuthenticatedRequest {
  actor?: SignedInPractitioner;
  id?: string;
  raw?: { id?: string; clientRequestId?: string | null };
}

/** The service's request id and the caller's own, as the HTTP server recorded them (requestIdOf). */
export function requestIds(request: AuthenticatedRequest): Pick<RequestContext, 'requestId' | 'clientRequestId'> {
  return { requestId: request.raw?.id ?? request.id ?? null, clientRequestId: request.raw?.clientRequestId ?? null };
}

export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return { actor: request.actor!, ...requestIds(request) };
});

export const IS_PUBLIC = 'fh:public';
/** No sign-in needed (health, metrics, documentation). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const ROLES = 'fh:roles';
/** Only these directory roles may call the handler. */
export const Roles = (...roles: PractitionerRole[]) => SetMetadata(ROLES, roles);

/**
 * Probes and scrapes are not rate limited: the route's Fastify config tells limitEveryRequest, which
 * runs before Nest knows the handler. Put it on each handler (Nest reads route config per method).
 */
export const SkipRateLimit = () => RouteConfig(NOT_RATE_LIMITED);

import { createParamDecorator, ExecutionContext, HttpException, HttpStatus } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { IdempotencyRepository } from '@fh/persistence';
import { EntityManager } from 'typeorm';
import { ApiError } from './api-error.js';

/** What a state-changing request says about retries and concurrency (API.md → Conventions). */
export interface WriteOptions {
  /** `If-Match: <version>`: refuse with 409 VERSION_CONFLICT if the transfer has moved on. */
  ifMatch: number | null;
  /** `Idempotency-Key`: the same key with the same body returns the first status again, with the same resource re-rendered. */
  idempotency: { key: string; requestHash: string } | null;
}

const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;

/** What `parseWriteOptions` reads of a request: its method, URL, body and the two headers. */
export type WriteRequest = Pick<FastifyRequest, 'method' | 'url' | 'body'> & {
  headers: Record<string, string | string[] | undefined>;
};

/**
 * Reads `If-Match` (a version, bare, quoted or weak: `3`, `"3"`, `W/"3"`) and `Idempotency-Key`
 * (1-200 of `A-Za-z0-9_.:-`); anything else in either header is a 400. The request hash covers the
 * method, the path without its query string and the body, so the same key with another body is told apart.
 */
export function parseWriteOptions(request: WriteRequest): WriteOptions {
  const ifMatchHeader = request.headers['if-match'];
  let ifMatch: number | null = null;
  if (ifMatchHeader !== undefined) {
    const match = typeof ifMatchHeader === 'string' ? /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatchHeader) : null;
    if (!match) throw ApiError.invalid(['If-Match must be the transfer version, e.g. If-Match: 3']);
    ifMatch = Number(match[1]);
  }
  const keyHeader = request.headers['idempotency-key'];
  let idempotency: WriteOptions['idempotency'] = null;
  if (keyHeader !== undefined) {
    if (typeof keyHeader !== 'string' || !KEY.test(keyHeader)) {
      throw ApiError.invalid(['Idempotency-Key must be 1-200 letters, digits or _.:-']);
    }
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    idempotency = { key: keyHeader, requestHash };
  }
  return { ifMatch, idempotency };
}

export const Write = createParamDecorator((_data: unknown, context: ExecutionContext): WriteOptions =>
  parseWriteOptions(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** The first response to an idempotent request, sent again: its status, and the resource it showed rendered afresh. */
export class IdempotentReplay extends HttpException {
  constructor(
    status: number,
    readonly body: unknown,
    /** The transfer the replayed response shows, so the replay is audited in that transfer's trail. */
    readonly transferId: string | null = null,
  ) {
    super(body as object, status);
  }
}

/**
 * Claims the idempotency key inside the write's transaction (keys are kept for 24 hours; the worker
 * purges older ones). A concurrent request with the same
 * key waits on the key's row until this transaction ends; afterwards it finds the stored response.
 * Only the response's status, the id of the resource it showed and that resource's transfer are
 * stored (never the body: it is family data); a replay renders the resource again, as it is now.
 * Returns a function that stores the response, to be called before commit.
 */
export async function claimIdempotencyKey(
  manager: EntityManager,
  actorId: string,
  idempotency: WriteOptions['idempotency'],
  /** The transfer the stored response shows (its id, or its transferId). */
  transferOf: (body: unknown) => unknown,
  /** Whether the caller may still see that transfer (access can change in between). */
  mayReplay: (transferId: unknown) => Promise<boolean>,
  /** The response body for the resource (the stored response's `id`), rendered again for a replay. */
  render: (resourceId: string) => Promise<unknown>,
): Promise<(status: number, body: unknown) => Promise<void>> {
  if (!idempotency) return async () => undefined;
  const keys = new IdempotencyRepository(manager);
  if (!(await keys.claim(actorId, idempotency.key, idempotency.requestHash))) {
    const stored = await keys.find(actorId, idempotency.key);
    if (!stored || stored.requestHash !== idempotency.requestHash || stored.status === null) {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'PRECONDITION_FAILED', [
        'this Idempotency-Key was already used for a different request; use a new key',
      ]);
    }
    if (!(await mayReplay(stored.transferId))) throw ApiError.notFound('transfer');
    const body = stored.resourceId === null ? null : await render(stored.resourceId);
    throw new IdempotentReplay(stored.status, body, stored.transferId);
  }
  return (status, body) => {
    const resourceId = (body as { id?: unknown } | null)?.id;
    if (typeof resourceId !== 'string') throw new Error('an idempotent response must show a resource with an id');
    const transferId = transferOf(body);
    return keys.storeResponse(
      actorId,
      idempotency.key,
      status,
      resourceId,
      typeof transferId === 'string' ? transferId : null,
    );
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

/**
 * Paths that pino redacts wherever they appear: credentials, and every field of family data the
 * API accepts — a defence in depth, since request and response bodies are never logged at all.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.givenName',
  '*.familyName',
  '*.name',
  '*.dateOfBirth',
  '*.nhsNumber',
  '*.email',
  '*.newAddress',
  '*.postcode',
  '*.line1',
  '*.town',
  '*.description',
  '*.summary',
  '*.detail',
];

/** A caller's own request id is kept only when it is short printable ASCII (no spaces, no controls). */
const CLIENT_REQUEST_ID = /^[\x21-\x7E]{1,64}$/;

type IdentifiedRequest = IncomingMessage & { id?: string; clientRequestId?: string | null };

/**
 * The request's id: always a new UUID of the service's own, whatever the caller sends. The caller's
 * `X-Request-Id`, when it is short printable ASCII, is kept beside it as `clientRequestId` (the audit
 * trail's client_request_id); anything else is dropped. Both are stored on the raw request so the
 * logger, the audit trail and the response header all agree.
 */
export function requestIdOf(req: IncomingMessage): string {
  const id = randomUUID();
  (req as IdentifiedRequest).id = id;
  (req as IdentifiedRequest).clientRequestId = clientRequestIdOf(req);
  return id;
}

/** The caller's `X-Request-Id` when it is short printable ASCII, else null. */
export function clientRequestIdOf(req: IncomingMessage): string | null {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : null;
}

/** What the API's access line says about one request: never the raw URL, a body or a header. */
export interface AccessLine {
  method: string;
  /** The route's pattern (`/v1/transfers/:id`), or `unmatched`: never the path as sent. */
  route: string;
  status: number;
  durationMs: number;
  requestId: string | null;
  practitionerId: string | null;
}

/** The access line of a finished request (Fastify's request and reply). */
export function accessLine(
  request: { method: string; id?: string; routeOptions?: { url?: string }; actor?: { id: string } },
  reply: { statusCode: number; elapsedTime: number },
): AccessLine {
  return {
    method: request.method,
    route: request.routeOptions?.url ?? 'unmatched',
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    requestId: request.id ?? null,
    practitionerId: request.actor?.id ?? null,
  };
}

/** The level of an access line: probes at debug, refusals at warn, failures at error. */
export function accessLevel(line: AccessLine): 'debug' | 'info' | 'warn' | 'error' {
  if (line.route.startsWith('/health')) return 'debug';
  return line.status >= 500 ? 'error' : line.status >= 400 ? 'warn' : 'info';
}

/**
 * One log line per request, with its request id, and nothing personal in it. `ownAccessLog`: the
 * app writes its own access line (the API, from a Fastify hook that sees every request and the
 * route's pattern), so pino-http logs none, and logs made during a request carry only its id.
 */
export function loggerParams(level: string, service: string, options: { ownAccessLog?: boolean } = {}): Params {
  return {
    pinoHttp: {
      level,
      quietReqLogger: options.ownAccessLog ?? false,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // The HTTP server has already given the request its id (requestIdOf); reuse it.
      genReqId: (req: IncomingMessage) => (req as IdentifiedRequest).id ?? requestIdOf(req),
      serializers: {
        // Only method, the path without its query string, and the request id.
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: options.ownAccessLog ? false : { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  };
}

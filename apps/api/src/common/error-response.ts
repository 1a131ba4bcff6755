import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { ApiError, ErrorCode } from './api-error.js';
import { isDatabaseUnavailable } from './service-unavailable.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string[];
  code: ErrorCode;
  reasons?: { code: string; message: string }[];
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'DUPLICATE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'PRECONDITION_FAILED',
  429: 'RATE_LIMITED',
};

const logger = new Logger('Errors');

function body(status: number, code: ErrorCode, message: string[], reasons?: ErrorBody['reasons']): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code, ...(reasons ? { reasons } : {}) };
}

function messagesOf(response: unknown, fallback: string): string[] {
  if (typeof response === 'string') return [response];
  const message = (response as { message?: unknown })?.message;
  if (Array.isArray(message)) return message.map(String);
  if (typeof message === 'string') return [message];
  return [fallback];
}

/**
 * Turns anything thrown while serving a request into API.md's error shape. Client mistakes keep
 * their 4xx status and a message naming the problem; anything unexpected is logged (without
 * request data) and becomes a plain 500.
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) {
    return body(error.getStatus(), error.code, error.messages, error.reasons);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) {
      return body(
        status,
        CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED',
        messagesOf(error.getResponse(), error.message),
      );
    }
  }
  // PostgreSQL unreachable or restarting: nothing is wrong with the request; try again shortly.
  if (isDatabaseUnavailable(error))
    return body(HttpStatus.SERVICE_UNAVAILABLE, 'SERVICE_UNAVAILABLE', [
      'the service is briefly unavailable; try again shortly',
    ]);
  const pg = error as {
    code?: string;
    driverError?: { code?: string; column?: string };
    constraint?: string;
    column?: string;
  };
  const pgCode = pg?.driverError?.code ?? pg?.code;
  if (pgCode === '23505') return body(409, 'DUPLICATE', ['a record with the same identifying value already exists']);
  // Bad values that slipped past validation (each is fixed there when found): SQLSTATE class 22,
  // "data exception" — wrong format, out of range, unstorable characters, bad time zones…
  if (typeof pgCode === 'string' && /^22[0-9A-Z]{3}$/.test(pgCode)) {
    return body(400, 'VALIDATION_FAILED', ['a value has the wrong format or is out of range']);
  }
  // A required value sent as null that validation let through.
  if (pgCode === '23502') {
    const column = pg?.driverError?.column ?? pg?.column;
    return body(400, 'VALIDATION_FAILED', [
      column ? `${column} must not be null` : 'a required value is missing (null)',
    ]);
  }
  // Two changes to the same records met head on; PostgreSQL let one through. Trying again is safe.
  if (pgCode === '40P01' || pgCode === '40001') {
    return body(409, 'VERSION_CONFLICT', ['someone else changed this at the same moment; reload and try again']);
  }
  // Fastify's own client errors (malformed JSON, body too large, wrong content type…).
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const messages: Record<string, string> = {
      FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'body must not be empty when Content-Type is application/json',
      FST_ERR_CTP_BODY_TOO_LARGE: 'body is too large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Content-Type must be application/json',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
      FST_ERR_BAD_URL: 'the URL is not valid: a percent-encoded part is not UTF-8',
      FST_ERR_MAX_PARAM_LENGTH: 'a part of the URL path is too long',
    };
    const text =
      (fastify.code && messages[fastify.code]) ||
      (fastify.statusCode === 400 ? 'body is not valid JSON' : 'request refused');
    return body(fastify.statusCode, CODE_BY_STATUS[fastify.statusCode] ?? 'VALIDATION_FAILED', [text]);
  }
  const e = error as Error;
  logger.error({ error: { kind: e?.name, message: e?.message, code: pgCode, stack: e?.stack } }, 'unhandled error');
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', ['internal error']);
}

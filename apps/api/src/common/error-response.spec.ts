import { BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { ArgumentsHost } from '@nestjs/common';
import { RateLimited } from '../auth/rate-limiter';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { ApiError } from './api-error';
import { toErrorBody } from './error-response';
import { IdempotentReplay } from './write-options';

describe('toErrorBody: the error shape of API.md', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('keeps an ApiError as it is: status, code, messages and reasons', () => {
    const reasons = [{ code: 'CRITICAL_FLAGS_NOT_ACKNOWLEDGED', message: 'a lead must acknowledge' }];
    expect(toErrorBody(new ApiError(422, 'PRECONDITION_FAILED', ['cannot accept yet'], reasons))).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: ['cannot accept yet'],
      code: 'PRECONDITION_FAILED',
      reasons,
    });
    expect(toErrorBody(ApiError.notFound('transfer'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: ['transfer not found'],
      code: 'NOT_FOUND',
    });
  });

  it('names the code of a framework HttpException by its status, and keeps its messages', () => {
    // ValidationPipe: an array of messages, one per field.
    expect(toErrorBody(new BadRequestException(['moveDate must be a date', 'involvement is required']))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: ['moveDate must be a date', 'involvement is required'],
      code: 'VALIDATION_FAILED',
    });
    expect(toErrorBody(new NotFoundException('Cannot GET /v1/nothing'))).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
      message: ['Cannot GET /v1/nothing'],
    });
    expect(toErrorBody(new HttpException('plain words', 405))).toMatchObject({
      statusCode: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: ['plain words'],
    });
    // A 4xx without a code of its own keeps its status.
    expect(toErrorBody(new HttpException({}, 418))).toMatchObject({ statusCode: 418, code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['a unique violation', { code: '23505' }, 409, 'DUPLICATE'],
    ['a unique violation wrapped by TypeORM', { driverError: { code: '23505' } }, 409, 'DUPLICATE'],
    ['a data exception (class 22)', { code: '22P02' }, 400, 'VALIDATION_FAILED'],
    ['an out-of-range value', { driverError: { code: '22008' } }, 400, 'VALIDATION_FAILED'],
    ['a deadlock', { code: '40P01' }, 409, 'VERSION_CONFLICT'],
    ['a serialization failure', { code: '40001' }, 409, 'VERSION_CONFLICT'],
  ])('turns %s into %i %s', (_what, error, status, code) => {
    expect(toErrorBody(error)).toMatchObject({ statusCode: status, code });
  });

  it('names the column of a NOT NULL violation, or says a value is missing', () => {
    expect(toErrorBody({ code: '23502', column: 'move_date' }).message).toEqual(['move_date must not be null']);
    expect(toErrorBody({ driverError: { code: '23502', column: 'reason' } }).message).toEqual([
      'reason must not be null',
    ]);
    expect(toErrorBody({ code: '23502' })).toMatchObject({
      statusCode: 400,
      message: ['a required value is missing (null)'],
    });
  });

  it.each([
    [{ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }, 'body is not valid JSON', 'VALIDATION_FAILED'],
    [{ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }, 'body is too large', 'PAYLOAD_TOO_LARGE'],
    [
      { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' },
      'Content-Type must be application/json',
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      { statusCode: 400, code: 'FST_ERR_BAD_URL' },
      'the URL is not valid: a percent-encoded part is not UTF-8',
      'VALIDATION_FAILED',
    ],
    [{ statusCode: 414, code: 'FST_ERR_MAX_PARAM_LENGTH' }, 'a part of the URL path is too long', 'VALIDATION_FAILED'],
    [{ statusCode: 400, code: 'FST_ERR_SOMETHING_NEW' }, 'body is not valid JSON', 'VALIDATION_FAILED'],
    [{ statusCode: 431, code: 'FST_ERR_SOMETHING_NEW' }, 'request refused', 'VALIDATION_FAILED'],
  ])('words Fastify’s own client error %j', (error, text, code) => {
    expect(toErrorBody(error)).toMatchObject({ statusCode: error.statusCode, code, message: [text] });
  });

  it('answers anything unexpected with a plain 500 that repeats nothing of the error', () => {
    for (const error of [
      new TypeError("Cannot read properties of undefined (reading 'Ada Lovelace')"),
      new HttpException('upstream said: Ada Lovelace', 502),
      { statusCode: 500, code: 'FST_ERR_X', message: 'Ada Lovelace' },
      'Ada Lovelace',
      undefined,
    ]) {
      const body = toErrorBody(error);
      expect(body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: ['internal error'],
        code: 'INTERNAL',
      });
    }
  });
});

describe('AllExceptionsFilter', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  /** Records what the filter does to Fastify's reply. */
  function send(exception: unknown) {
    const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
    const reply = {
      status(code: number) {
        sent.status = code;
        return reply;
      },
      header(name: string, value: string) {
        sent.headers[name.toLowerCase()] = value;
        return reply;
      },
      send(body: unknown) {
        sent.body = body;
        return reply;
      },
    };
    const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
    new AllExceptionsFilter().catch(exception, host);
    return sent;
  }

  it('sends the error body with its status', () => {
    expect(send(ApiError.forbidden())).toEqual({
      status: 403,
      headers: {},
      body: { statusCode: 403, error: 'Forbidden', message: ['you are not allowed to do this'], code: 'FORBIDDEN' },
    });
  });

  it('adds Retry-After to a 429 and to a 503', () => {
    const limited = send(new RateLimited(17));
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '17' }, body: { code: 'RATE_LIMITED' } });
    const unavailable = send(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    expect(unavailable.status).toBe(503);
    expect(Number(unavailable.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sends an idempotent replay as the first response was, marked as replayed', () => {
    const first = { id: 't1', status: 'initiated' };
    expect(send(new IdempotentReplay(201, first, 't1'))).toEqual({
      status: 201,
      headers: { 'idempotent-replayed': 'true' },
      body: first,
    });
  });
});

import { ApiError } from './api-error';
import { parseWriteOptions, WriteRequest } from './write-options';

const request = (
  headers: WriteRequest['headers'],
  body: unknown = { agree: true },
  url = '/v1/transfers/t1/accept',
) => ({
  method: 'POST',
  url,
  body,
  headers,
});
const refusal = (headers: WriteRequest['headers']) => {
  try {
    parseWriteOptions(request(headers));
  } catch (error) {
    if (error instanceof ApiError) return { status: error.getStatus(), code: error.code, messages: error.messages };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('If-Match', () => {
  it('is optional', () => {
    expect(parseWriteOptions(request({}))).toEqual({ ifMatch: null, idempotency: null });
  });

  it.each([
    ['3', 3],
    ['"3"', 3],
    ['W/"12"', 12],
    [' 7 ', 7],
    ['999999999', 999_999_999],
  ])('reads the version from %j', (header, version) => {
    expect(parseWriteOptions(request({ 'if-match': header })).ifMatch).toBe(version);
  });

  it.each(['', '*', 'abc', '-1', '3.5', '1234567890', 'W/3x', '3, 4', 'w/"3"'])(
    'refuses %j with 400 VALIDATION_FAILED',
    (header) => {
      expect(refusal({ 'if-match': header })).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        messages: ['If-Match must be the transfer version, e.g. If-Match: 3'],
      });
    },
  );

  it('refuses the header sent twice', () => {
    expect(refusal({ 'if-match': ['3', '4'] }).code).toBe('VALIDATION_FAILED');
  });
});

describe('Idempotency-Key', () => {
  it.each(['a', 'A-b_c.d:e', '0'.repeat(200), '5f0c7f44-0b1e-4b8e-9d1e-6b0f1a2c3d4e'])('accepts %j', (key) => {
    const { idempotency } = parseWriteOptions(request({ 'idempotency-key': key }));
    expect(idempotency?.key).toBe(key);
    expect(idempotency?.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(['', '0'.repeat(201), 'has space', 'slash/', 'ünïcode', 'semi;colon'])('refuses %j with 400', (key) => {
    expect(refusal({ 'idempotency-key': key })).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      messages: ['Idempotency-Key must be 1-200 letters, digits or _.:-'],
    });
  });

  it('refuses the header sent twice', () => {
    expect(refusal({ 'idempotency-key': ['k', 'k'] }).code).toBe('VALIDATION_FAILED');
  });

  it('hashes the method, the path without its query and the body: the same request hashes the same, another does not', () => {
    const hash = (body: unknown, url?: string, method = 'POST') =>
      parseWriteOptions({ ...request({ 'idempotency-key': 'k' }, body, url), method }).idempotency!.requestHash;
    const first = hash({ agree: true });
    expect(hash({ agree: true })).toBe(first);
    expect(hash({ agree: true }, '/v1/transfers/t1/accept?x=1')).toBe(first);
    expect(hash({ agree: false })).not.toBe(first);
    expect(hash({ agree: true }, '/v1/transfers/t2/accept')).not.toBe(first);
    expect(hash({ agree: true }, undefined, 'PATCH')).not.toBe(first);
    const bodiless = (body: unknown) =>
      parseWriteOptions({ method: 'POST', url: '/v1/x', body, headers: { 'idempotency-key': 'k' } }).idempotency!
        .requestHash;
    expect(bodiless(undefined)).toBe(bodiless(null));
  });

  it('is read together with If-Match', () => {
    const options = parseWriteOptions(request({ 'if-match': '2', 'idempotency-key': 'k1' }));
    expect(options.ifMatch).toBe(2);
    expect(options.idempotency?.key).toBe('k1');
  });
});

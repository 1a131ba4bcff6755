import { ApiError } from './api-error';
import { decodeCursor, encodeCursor } from './cursor';

const ID = '5f0c7f44-0b1e-4b8e-9d1e-6b0f1a2c3d4e';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const refused = (cursor: string) => {
  try {
    decodeCursor(cursor);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.getStatus(), code: error.code, messages: error.messages };
  }
};

describe('list cursors', () => {
  it('decodes what it encodes: the sort instant and the id', () => {
    const at = new Date('2026-12-02T09:30:15.123Z');
    const cursor = encodeCursor(at, ID);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding: safe in a query string
    expect(decodeCursor(cursor)).toEqual(['2026-12-02T09:30:15.123Z', ID]);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['empty', ''],
    ['an object', b64(JSON.stringify({ at: '2026-12-02T09:30:15.123Z', id: ID }))],
    ['three fields', b64(JSON.stringify(['2026-12-02T09:30:15.123Z', ID, 1]))],
    ['one field', b64(JSON.stringify(['2026-12-02T09:30:15.123Z']))],
    ['a number for the instant', b64(JSON.stringify([1764667815123, ID]))],
    ['a date without milliseconds', b64(JSON.stringify(['2026-12-02T09:30:15Z', ID]))],
    ['an offset instead of Z', b64(JSON.stringify(['2026-12-02T09:30:15.123+00:00', ID]))],
    ['an impossible date', b64(JSON.stringify(['2026-02-30T09:30:15.123Z', ID]))],
    ['a year before 1000', b64(JSON.stringify(['0999-12-02T09:30:15.123Z', ID]))],
    ['an upper-case uuid', b64(JSON.stringify(['2026-12-02T09:30:15.123Z', ID.toUpperCase()]))],
    ['not a uuid', b64(JSON.stringify(['2026-12-02T09:30:15.123Z', "x' OR 1=1 --"]))],
    ['whitespace in the JSON', b64(`[ "2026-12-02T09:30:15.123Z", "${ID}" ]`)],
    ['padding', encodeCursor(new Date('2026-12-02T09:30:15.123Z'), ID) + '='],
    ['standard base64 (+/)', Buffer.from(JSON.stringify(['2026-12-02T09:30:15.123Z', ID])).toString('base64')],
  ])('refuses %s with 400 VALIDATION_FAILED', (_what, cursor) => {
    expect(refused(cursor)).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      messages: ['cursor is not one this API gave out'],
    });
  });
});

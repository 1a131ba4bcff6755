import { ApiError } from './api-error.js';

/**
 * Keyset pagination: the cursor is the last row's sort instant and id, opaque to clients. A cursor
 * this API did not give out is a 400.
 */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && !Number.isNaN(Date.parse(value[0])) && /^[0-9a-f-]{36}$/i.test(value[1])) return [value[0], value[1]];
  } catch {
    /* fall through */
  }
  throw ApiError.invalid(['cursor is not one this API gave out']);
}

import { ApiError } from './api-error.js';

/** The one form `Date.prototype.toISOString` gives for years 1000-9999, which PostgreSQL stores as is. */
const INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** PostgreSQL prints UUIDs in lower case; that is what the service hands out. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Keyset pagination: the cursor is the last row's sort instant and id, opaque to clients. A cursor
 * this API did not give out is a 400.
 */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/**
 * Accepts only a cursor the service itself could have written: base64url of exactly
 * `["<toISOString() instant>","<lower-case uuid>"]`, byte for byte (decoded, checked and encoded
 * again, it must come out the same). Anything else — other date forms PostgreSQL or `Date.parse`
 * would read differently, extra fields, padding, whitespace — is refused before it reaches SQL.
 */
export function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      if (typeof at === 'string' && typeof id === 'string' && INSTANT.test(at) && UUID.test(id)) {
        const instant = new Date(at);
        if (!Number.isNaN(instant.getTime()) && instant.toISOString() === at && encodeCursor(instant, id) === cursor)
          return [at, id];
      }
    }
  } catch {
    /* fall through */
  }
  throw ApiError.invalid(['cursor is not one this API gave out']);
}

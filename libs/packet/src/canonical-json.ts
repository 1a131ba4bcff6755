/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit, as JavaScript sorts), no whitespace,
 * strings and numbers as JSON.stringify writes them. The same value always gives the same text,
 * whatever order its keys were built in, so its SHA-256 identifies the content.
 *
 * Only plain JSON values are accepted: a Date, undefined, a function, NaN or Infinity is a bug
 * in the caller (it would be dropped or changed silently), so it throws instead.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}, not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(
          `canonicalJson: ${path} is a ${(value as object).constructor?.name ?? 'non-plain object'}; convert it to a JSON value first`,
        );
      }
      const keys = Object.keys(value).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is ${typeof value}, not a JSON value`);
  }
}

/** Lower-case hex SHA-256 of a string's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The canonical text of a value and its SHA-256: what a packet version stores. */
export function sealed(value: unknown): { json: string; sha256: string } {
  const json = canonicalJson(value);
  return { json, sha256: sha256Hex(json) };
}

import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * AES-256-GCM with a random 96-bit IV per value and additional authenticated data (AAD) naming
 * where the value belongs. Sealed bytes are IV (12) | tag (16) | ciphertext; a sealed text is
 * `fh1:` + their base64. Opening checks the tag: a value that was altered, or moved to another
 * transfer, table or column (a different AAD), is refused, never returned.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_TEXT_PREFIX = 'fh1:';

/** A value that cannot be opened: altered, moved, or under a key that is not this one. */
export class SealedValueError extends Error {
  constructor(where: string) {
    super(`a sealed value failed authentication (${where}): altered, moved, or under another key`);
    this.name = 'SealedValueError';
  }
}

/**
 * A key's KeyObject, made once per key buffer (the ring's KEKs for the process, a data key for as
 * long as its TransferCipher lives). Handing createCipheriv a raw Buffer makes it import the key
 * again on every call, about 5 times the cost of the AES-GCM work itself on a short field.
 */
const keyObjects = new WeakMap<Buffer, KeyObject>();
function keyObjectOf(key: Buffer): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = createSecretKey(key);
    keyObjects.set(key, object);
  }
  return object;
}

export function sealBytes(key: Buffer, aad: string, plain: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openBytes(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealedValueError(aad);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyObjectOf(key), sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedValueError(aad);
  }
}

/**
 * One transfer's data key, for the values stored about it. Every value is bound to the transfer
 * and to its `table.column` (the AAD), so a ciphertext copied to another row, column or transfer
 * does not open. null stays null (that a field is empty is not hidden).
 */
export class TransferCipher {
  constructor(
    readonly transferId: string,
    /** null: the transfer was erased (its key destroyed): only nulls remain, anything else is refused. */
    private readonly keyOrNull: Buffer | null,
  ) {}

  /** The cipher of a transfer the retention sweep erased: its sealed fields are null, its key is gone. */
  static erased(transferId: string): TransferCipher {
    return new TransferCipher(transferId, null);
  }

  private get key(): Buffer {
    if (!this.keyOrNull) throw new SealedValueError(`${this.transferId}: erased, its data key destroyed`);
    return this.keyOrNull;
  }

  private aad(column: string): string {
    return `${this.transferId}/${column}`;
  }

  seal(column: string, value: string): string;
  seal(column: string, value: string | null | undefined): string | null;
  seal(column: string, value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    return SEALED_TEXT_PREFIX + sealBytes(this.key, this.aad(column), Buffer.from(value, 'utf8')).toString('base64');
  }

  open(column: string, sealed: string): string;
  open(column: string, sealed: string | null | undefined): string | null;
  open(column: string, sealed: string | null | undefined): string | null {
    if (sealed === null || sealed === undefined) return null;
    if (!sealed.startsWith(SEALED_TEXT_PREFIX)) throw new SealedValueError(this.aad(column));
    const bytes = Buffer.from(sealed.slice(SEALED_TEXT_PREFIX.length), 'base64');
    return openBytes(this.key, this.aad(column), bytes).toString('utf8');
  }

  /** A JSON value (an object, an array) sealed as one text. */
  sealJson(column: string, value: unknown): string | null {
    return value === null || value === undefined ? null : this.seal(column, JSON.stringify(value));
  }

  openJson<T>(column: string, sealed: string | null | undefined): T | null {
    const text = this.open(column, sealed);
    return text === null ? null : (JSON.parse(text) as T);
  }

  sealBuffer(column: string, value: Buffer): Buffer {
    return sealBytes(this.key, this.aad(column), value);
  }

  openBuffer(column: string, sealed: Buffer): Buffer {
    return openBytes(this.key, this.aad(column), sealed);
  }
}

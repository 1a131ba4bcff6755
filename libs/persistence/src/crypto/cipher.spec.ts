import { randomBytes, randomUUID } from 'node:crypto';
import { developmentKeyRing } from '@fh/config';
import type { DataKeyRing } from '@fh/config';
import { SEALED_TEXT_PREFIX, SealedValueError, TransferCipher } from './cipher';
import { unwrapDataKey, wrapDataKey } from './transfer-keys.repository';

const ringOf = (activeId: string, ...ids: string[]): DataKeyRing => ({
  activeId,
  keys: new Map(ids.map((id) => [id, Buffer.alloc(32, id.length)])),
  development: false,
});

describe('field encryption (AES-256-GCM under a per-transfer data key)', () => {
  const transferId = randomUUID();
  const key = randomBytes(32);
  const cipher = new TransferCipher(transferId, key);

  it('round-trips text, JSON and bytes, and leaves null as null', () => {
    const sealed = cipher.seal('household_members.given_name', 'Kai');
    expect(sealed.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    expect(sealed).not.toContain('Kai');
    expect(cipher.open('household_members.given_name', sealed)).toBe('Kai');
    expect(cipher.seal('transfers.reason', null)).toBeNull();
    expect(cipher.open('transfers.reason', null)).toBeNull();
    const address = { line1: '14 Rowan Way', postcode: 'B66 1AA' };
    expect(cipher.openJson('transfers.new_address', cipher.sealJson('transfers.new_address', address))).toEqual(
      address,
    );
    const pdf = Buffer.from('%PDF-1.7 the packet');
    const sealedPdf = cipher.sealBuffer('packets.pdf', pdf);
    expect(sealedPdf.includes(Buffer.from('packet'))).toBe(false);
    expect(cipher.openBuffer('packets.pdf', sealedPdf)).toEqual(pdf);
  });

  it('uses a fresh IV for every value: the same text never seals the same way twice', () => {
    const a = cipher.seal('concerns.description', 'fading bruise');
    const b = cipher.seal('concerns.description', 'fading bruise');
    expect(a).not.toBe(b);
  });

  it('refuses a value moved to another column or another transfer, or altered, or under another key', () => {
    const sealed = cipher.seal('household_members.given_name', 'Kai');
    expect(() => cipher.open('household_members.family_name', sealed)).toThrow(SealedValueError);
    expect(() => new TransferCipher(randomUUID(), key).open('household_members.given_name', sealed)).toThrow(
      SealedValueError,
    );
    expect(() => new TransferCipher(transferId, randomBytes(32)).open('household_members.given_name', sealed)).toThrow(
      SealedValueError,
    );
    const bytes = Buffer.from(sealed.slice(SEALED_TEXT_PREFIX.length), 'base64');
    bytes[bytes.length - 1] ^= 1;
    const altered = SEALED_TEXT_PREFIX + bytes.toString('base64');
    expect(() => cipher.open('household_members.given_name', altered)).toThrow(SealedValueError);
    // Plaintext where a sealed value belongs is refused, not passed through.
    expect(() => cipher.open('household_members.given_name', 'Kai')).toThrow(SealedValueError);
    // The error names where, never the value.
    expect(() => cipher.open('household_members.given_name', altered)).toThrow(/household_members\.given_name/);
  });

  it('wraps a data key under the active KEK, bound to its transfer, and unwraps with the KEK it names', () => {
    const ring = ringOf('k2026a', 'k2026a', 'k2025');
    const { kekId, wrapped } = wrapDataKey(ring, transferId, key);
    expect(kekId).toBe('k2026a');
    expect(wrapped).toHaveLength(60);
    expect(unwrapDataKey(ring, transferId, kekId, wrapped)).toEqual(key);
    expect(() => unwrapDataKey(ring, randomUUID(), kekId, wrapped)).toThrow(SealedValueError);
    expect(() => unwrapDataKey(ring, transferId, 'k2025', wrapped)).toThrow(SealedValueError);
    expect(() => unwrapDataKey(ringOf('k2027', 'k2027'), transferId, kekId, wrapped)).toThrow(/not in DATA_KEY_RING/);
  });

  it('has a development ring with one public key, marked as such', () => {
    const ring = developmentKeyRing();
    expect(ring.development).toBe(true);
    expect(ring.keys.get(ring.activeId)).toHaveLength(32);
  });
});

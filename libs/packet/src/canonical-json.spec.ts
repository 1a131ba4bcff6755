import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, sealed, sha256Hex } from './canonical-json';
import { buildPacket } from './snapshot';
import { reviewRecord } from './packet.fixture';

describe('canonical JSON and its SHA-256', () => {
  it('sorts keys at every level, keeps array order, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [3, { z: null, y: 'é’' }, true], c: { e: false, d: -0.5 } })).toBe(
      '{"a":[3,{"y":"é’","z":null},true],"b":1,"c":{"d":-0.5,"e":false}}',
    );
  });

  it('gives the same text whatever order the keys were built in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reversed = JSON.parse(JSON.stringify(value), (_k, v) =>
          v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        );
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        // and it is JSON that reads back as the same value
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('refuses what JSON cannot carry faithfully instead of dropping it', () => {
    expect(() => canonicalJson({ at: new Date(0) })).toThrow('$.at is a Date');
    expect(() => canonicalJson({ a: undefined })).toThrow('$.a is undefined');
    expect(() => canonicalJson([Number.NaN])).toThrow('$[0] is NaN');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('$.f is function');
  });

  it('hashes the UTF-8 bytes of the canonical text (lower-case hex SHA-256)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const { json, sha256 } = sealed({ name: 'Zoë', n: 1 });
    expect(json).toBe('{"n":1,"name":"Zoë"}');
    expect(sha256).toBe(createHash('sha256').update(Buffer.from(json, 'utf8')).digest('hex'));
  });

  it('gives a packet the same hash every time it is built from the same record', () => {
    const hashes = new Set(Array.from({ length: 5 }, () => sealed(buildPacket(reviewRecord())).sha256));
    expect(hashes.size).toBe(1);
    // Members held with their keys in another order (as another query might return them): same hash.
    const record = reviewRecord();
    const shuffled = {
      ...record,
      members: record.members.map((m) => Object.fromEntries(Object.entries(m).reverse()) as typeof m),
    };
    expect(sealed(buildPacket(shuffled)).sha256).toBe([...hashes][0]);
  });
});

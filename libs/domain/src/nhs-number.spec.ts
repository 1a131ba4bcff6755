import fc from 'fast-check';
import { isValidNhsNumber } from './nhs-number.js';

describe('isValidNhsNumber', () => {
  it('accepts a number whose check digit matches', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('4010232137')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('uses 0 as the check digit when 11 - (sum mod 11) is 11', () => {
    // 0,1,0,0,0,0,0,0,1 weighted 10..2: 9 + 2 = 11 → 11 mod 11 = 0 → 11 → check digit 0.
    expect(isValidNhsNumber('0100000010')).toBe(true);
    expect(isValidNhsNumber('0100000011')).toBe(false);
  });

  it('rejects every number whose check would be 10', () => {
    // 1,0,0,0,0,0,0,0,1 weighted 10..2: 10 + 2 = 12 → 12 mod 11 = 1 → 11 - 1 = 10.
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });

  it('rejects the wrong length', () => {
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('')).toBe(false);
  });

  it('rejects non-digits and spaces', () => {
    expect(isValidNhsNumber('943476591X')).toBe(false);
    expect(isValidNhsNumber('943 476 5919')).toBe(false);
    expect(isValidNhsNumber(' 9434765919')).toBe(false);
    expect(isValidNhsNumber('9434765919 ')).toBe(false);
    expect(isValidNhsNumber('943-476-5919')).toBe(false);
    expect(isValidNhsNumber('９４３４７６５９１９')).toBe(false); // full-width digits
  });

  it('for any nine digits, exactly one check digit is valid unless the check would be 10', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), (nine) => {
        const stem = nine.join('');
        const valid = [...Array(10).keys()].filter((d) => isValidNhsNumber(stem + d));
        const sum = nine.reduce((s, d, i) => s + d * (10 - i), 0);
        const check = 11 - (sum % 11);
        expect(valid).toEqual(check === 10 ? [] : [check === 11 ? 0 : check]);
      }),
    );
  });
});

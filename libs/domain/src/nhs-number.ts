/**
 * NHS number validation: exactly ten digits, the last a modulus-11 check digit.
 *
 * Multiply the first nine digits by 10, 9, … 2 and add them up; the check digit is
 * 11 − (sum mod 11), where 11 becomes 0 and 10 means the number is invalid.
 *
 * Strict on format: spaces, dashes or any other characters make the number invalid (a caller
 * that accepts "943 476 5919" from a form should strip spaces itself before asking).
 */
export function isValidNhsNumber(value: string): boolean {
  if (typeof value !== 'string' || !/^[0-9]{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digits[i]! * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits[9];
}

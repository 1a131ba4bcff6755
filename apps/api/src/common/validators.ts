import { isLocalDate, isValidNhsNumber, UNSAFE_NAME_CHARACTERS } from '@fh/domain';
import { registerDecorator, ValidateIf, ValidationOptions } from 'class-validator';

/** For `@Matches(ODS_CODE, …)`: a GP practice's ODS code. */
export const ODS_MESSAGE = '$property must be an ODS code: a capital letter then 5 digits, e.g. M88006';

/** A calendar date `YYYY-MM-DD` that exists. */
export function IsLocalDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalDate',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a date as YYYY-MM-DD, between 1900 and 2100`, ...options },
      validator: { validate: (value: unknown) => isLocalDate(value) },
    });
}

/** An instant with its offset, e.g. 2026-11-23T10:30:00Z. */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a date and time with offset, e.g. 2026-11-23T10:30:00Z`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
          !Number.isNaN(Date.parse(value)) &&
          isLocalDate(value.slice(0, 10)),
      },
    });
}

/** A 10-digit NHS number whose modulus-11 check digit is right. */
export function IsNhsNumber(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNhsNumber',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} is not a valid NHS number (10 digits with a modulus-11 check digit)`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidNhsNumber(value) },
    });
}

/**
 * Optional but not nullable: the field may be left out (a PATCH then keeps what is stored), but
 * `null` is refused naming the field, as the field has no "nothing" value. Use instead of
 * `@IsOptional()` on fields whose type does not include null.
 */
export function OptionalNotNull(options?: ValidationOptions) {
  return (object: object, propertyName: string) => {
    ValidateIf((_object: object, value: unknown) => value !== undefined)(object, propertyName);
    registerDecorator({
      name: 'optionalNotNull',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must not be null; leave it out to keep it as it is`, ...options },
      validator: { validate: (value: unknown) => value !== null },
    });
  };
}

/**
 * Query-string numbers: only plain digits become numbers (`1e2`, `0x10`, ` 5`, `1e309` stay
 * strings and fail `@IsInt`), so what the client wrote is exactly what is used.
 */
export const wholeNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;

/** A name people will read (a team, a person): no control or bidirectional override characters. */
export function IsPlainName(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isPlainName',
      target: object.constructor,
      propertyName,
      options: {
        message: `${propertyName} must not contain control characters or bidirectional override characters`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !UNSAFE_NAME_CHARACTERS.test(value) },
    });
}

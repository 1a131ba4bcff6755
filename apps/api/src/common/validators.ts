import { isLocalDate, isValidNhsNumber } from '@fh/domain';
import { registerDecorator, ValidationOptions } from 'class-validator';

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
      options: { message: `${propertyName} must be a date and time with offset, e.g. 2026-11-23T10:30:00Z`, ...options },
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
      options: { message: `${propertyName} is not a valid NHS number (10 digits with a modulus-11 check digit)`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isValidNhsNumber(value) },
    });
}

import { PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that cannot exist is answered exactly like one that does not. */
export class UuidOr404 implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw ApiError.notFound(this.what);
    return value.toLowerCase();
  }
}

/** A path segment naming one of a fixed set (a locate check): anything else is a resource that does not exist. */
export class OneOfOr404 implements PipeTransform<string, string> {
  constructor(
    private readonly what: string,
    private readonly values: readonly string[],
  ) {}

  transform(value: string): string {
    if (!this.values.includes(value)) throw ApiError.notFound(this.what);
    return value;
  }
}

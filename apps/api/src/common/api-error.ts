import { HttpException, HttpStatus } from '@nestjs/common';

/** The stable, machine-readable words of API.md's error shape. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_STATE'
  | 'PRECONDITION_FAILED'
  | 'VERSION_CONFLICT'
  | 'NOT_FOUND'
  | 'ERASED'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'DUPLICATE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

/** A refusal the client can act on: status, code and one or more plain-English messages. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    readonly messages: string[],
    readonly reasons?: { code: string; message: string }[],
  ) {
    super({ message: messages, code }, status);
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', [`${what} not found`]);
  }
  /**
   * 410: the transfer's family data was erased at the end of its retention period (issue 12 item 12);
   * only its tombstone remains. Given only to callers who could see the transfer (others get 404).
   */
  static erased(reference: string, erasedAt: Date): ApiError {
    return new ApiError(HttpStatus.GONE, 'ERASED', [
      `the family data of transfer ${reference} was erased on ${erasedAt.toISOString().slice(0, 10)} at the end of its retention period; only its reference, areas, teams, status and dates are kept`,
    ]);
  }
  static forbidden(message = 'you are not allowed to do this'): ApiError {
    return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', [message]);
  }
  static duplicate(message: string): ApiError {
    return new ApiError(HttpStatus.CONFLICT, 'DUPLICATE', [message]);
  }
  static invalid(messages: string[]): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', messages);
  }
}

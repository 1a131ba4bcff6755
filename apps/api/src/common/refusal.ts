import { HttpStatus } from '@nestjs/common';
import type { DecisionError, Reason } from '@fh/domain';
import { ApiError } from './api-error.js';

const STATUS_OF_ERROR = {
  FORBIDDEN: HttpStatus.FORBIDDEN,
  INVALID_STATE: HttpStatus.CONFLICT,
  PRECONDITION_FAILED: HttpStatus.UNPROCESSABLE_ENTITY,
} as const;

/**
 * A domain refusal as an HTTP answer: 403, 409 or 422 with every reason. Someone who may not see
 * the transfer (or an admin) is told it does not exist.
 */
export function refusal(decision: { error: DecisionError; reasons: readonly Reason[] }): ApiError {
  if (decision.reasons.some((r) => r.code === 'NOT_VISIBLE' || r.code === 'ADMIN_NO_FAMILY_DATA'))
    return ApiError.notFound('transfer');
  return new ApiError(
    STATUS_OF_ERROR[decision.error],
    decision.error,
    decision.reasons.map((r) => r.message),
    decision.reasons.map((r) => ({ ...r })),
  );
}

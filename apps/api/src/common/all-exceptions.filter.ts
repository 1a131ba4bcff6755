import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from './api-error.js';
import { toErrorBody } from './error-response.js';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './service-unavailable.js';
import { IdempotentReplay } from './write-options.js';

/** The one place errors become HTTP responses. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof IdempotentReplay) {
      void reply.status(exception.getStatus()).header('Idempotent-Replayed', 'true').send(exception.body);
      return;
    }
    const body = toErrorBody(exception);
    if (exception instanceof ApiError && body.statusCode === HttpStatus.TOO_MANY_REQUESTS) {
      const retryAfter = (exception as ApiError & { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter) void reply.header('Retry-After', String(retryAfter));
    }
    if (body.code === 'SERVICE_UNAVAILABLE') void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    void reply.status(body.statusCode).send(body);
  }
}

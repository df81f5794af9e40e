import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ERROR_CODES, type ErrorBody, type ErrorCode, type FieldError } from '@todo/contracts';
import type { Logger } from '../logger.js';
import { DomainError } from './errors.js';
import { currentContext } from './request-context.js';

/** body-parser's errors carry a `type` and a status. */
interface BodyParserError {
  type: string;
  message: string;
  status?: number;
  limit?: number;
}

const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { type?: unknown }).type === 'string';

function toBody(error: unknown): {
  status: number;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
} {
  if (error instanceof DomainError) {
    return {
      status: ERROR_CODES[error.code],
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.parse.failed':
        return {
          status: 400,
          code: 'MALFORMED_JSON',
          message: 'the request body is not valid JSON',
        };
      case 'entity.too.large':
        return {
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
          message: `the request body is larger than the ${error.limit ?? ''} byte limit`.replace(
            '  ',
            ' ',
          ),
        };
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return {
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'unsupported body encoding or charset',
        };
      case 'request.aborted':
        return { status: 400, code: 'VALIDATION_FAILED', message: 'the request was aborted' };
    }
  }
  return { status: 500, code: 'INTERNAL', message: 'something went wrong on our side' };
}

/** The one place errors become HTTP responses: `{error, message, details?, correlationId}`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, code, message, details } = toBody(error);
    if (status >= 500) logger.error({ err: error }, 'request failed');
    const body: ErrorBody = {
      error: code,
      message,
      ...(details ? { details } : {}),
      correlationId: currentContext()?.correlationId ?? 'unknown',
    };
    res.status(status).json(body);
  };
}

/** Unknown routes answer in the same shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new DomainError('NOT_FOUND', `no route for ${req.method} ${req.path}`));
};

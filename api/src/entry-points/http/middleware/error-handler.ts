import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ERROR_CODES, type ErrorBody, type ErrorCode, type FieldError } from '@todo/contracts';
import { currentContext, type Logger } from '@todo/platform';
import { DomainError } from '../../../domain/errors.js';
import { MethodNotAllowedError, RateLimitedError } from '../errors.js';

/** Seconds a client is told to wait after a 503 caused by a stalled or unreachable database. */
export const DATABASE_RETRY_AFTER_S = 2;

/** A driver or pool error, with PostgreSQL's SQLSTATE when the server sent one. */
interface DriverError {
  name?: string;
  code?: string;
  parent?: unknown;
  original?: unknown;
}

const asDriverError = (error: unknown): DriverError | null =>
  typeof error === 'object' && error !== null ? (error as DriverError) : null;

/** The SQLSTATE of a Sequelize or pg error (Sequelize keeps pg's error in `parent`). */
function sqlState(error: unknown): string | undefined {
  const outer = asDriverError(error);
  const inner = asDriverError(outer?.parent ?? outer?.original);
  const code = inner?.code ?? outer?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * The database did not answer in time or cannot be reached: the request may succeed if
 * retried shortly. Statement timeouts (57014), lock waits, shutdowns and connection failures
 * (class 08), the pool's acquire timeout and Sequelize's connection errors.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const name = asDriverError(error)?.name ?? '';
  if (name === 'SequelizeConnectionAcquireTimeoutError' || name.startsWith('SequelizeConnection'))
    return true;
  if (name === 'SequelizeHostNotFoundError' || name === 'SequelizeHostNotReachableError')
    return true;
  const state = sqlState(error);
  if (state) {
    return (
      state === '57014' || // statement_timeout / query canceled
      state === '55P03' || // lock_not_available
      state === '57P01' || // admin_shutdown
      state === '57P02' || // crash_shutdown
      state === '57P03' || // cannot_connect_now
      state === '53300' || // too_many_connections
      state === '40001' || // serialization_failure
      state === '40P01' || // deadlock_detected
      state.startsWith('08') // connection exceptions
    );
  }
  const message = error instanceof Error ? error.message : '';
  // pg's own client-side timeouts and lost connections carry no SQLSTATE.
  return /Query read timeout|Connection terminated|timeout exceeded when trying to connect/i.test(
    message,
  );
}

/** An error body-parser raised while reading or decompressing the body (e.g. corrupt gzip). */
function isUnreadableBody(error: unknown): error is { status: number; message: string } {
  const candidate = error as { status?: unknown; expose?: unknown; code?: unknown };
  return (
    typeof error === 'object' &&
    error !== null &&
    candidate.status === 400 &&
    (candidate.expose === true ||
      (typeof candidate.code === 'string' && /^Z_/.test(candidate.code)))
  );
}

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
  headers?: Record<string, string>;
} {
  if (error instanceof DomainError) {
    const headers: Record<string, string> | undefined =
      error instanceof MethodNotAllowedError
        ? { Allow: error.allowed.join(', ') }
        : error instanceof RateLimitedError
          ? { 'Retry-After': String(error.retryAfterSeconds) }
          : undefined;
    return {
      status: ERROR_CODES[error.code],
      code: error.code,
      message: error.message,
      details: error.details,
      ...(headers ? { headers } : {}),
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
  if (isUnreadableBody(error)) {
    return {
      status: 400,
      code: 'MALFORMED_JSON',
      message: `the request body could not be read: ${error.message}`,
      details: [{ field: 'body', message: error.message, type: 'body.unreadable' }],
    };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      status: 503,
      code: 'UNAVAILABLE',
      message: 'the database is not answering right now; retry shortly',
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_S) },
    };
  }
  // A data exception (class 22: a value out of range, an invalid text representation) comes
  // from a value the request carried past validation. It is still the client's value, so a
  // 400; it is logged as an error because validation should have caught it.
  if (sqlState(error)?.startsWith('22')) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'a value in the request is out of range or malformed',
      details: [
        {
          field: 'request',
          message: 'a value could not be stored or compared',
          type: 'any.invalid',
        },
      ],
    };
  }
  return { status: 500, code: 'INTERNAL', message: 'something went wrong on our side' };
}

/** The one place errors become HTTP responses: `{error, message, details?, correlationId}`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, code, message, details, headers } = toBody(error);
    if (status >= 500 && status !== 503) logger.error({ err: error }, 'request failed');
    else if (status === 503) logger.warn({ err: error }, 'database unavailable');
    else if (sqlState(error)?.startsWith('22'))
      logger.error({ err: error }, 'a data exception got past validation');
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
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

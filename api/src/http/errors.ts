import type { ErrorCode, FieldError } from '@todo/contracts';

/** A failure the client can act on; the error middleware maps it to its HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: FieldError[]) {
    super('VALIDATION_FAILED', message, details);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class CursorExpiredError extends DomainError {
  constructor(since: string, retentionDays: number) {
    super(
      'CURSOR_EXPIRED',
      `cursor ${since} is older than the change feed keeps (${retentionDays} days): reload the task list and continue from its changesCursor`,
    );
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'a valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(type: string | undefined) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `request bodies must be application/json${type ? `, not ${type}` : ''}`,
    );
  }
}

/** A known path asked with a method it does not have: 405 with `Allow`. */
export class MethodNotAllowedError extends DomainError {
  constructor(
    method: string,
    path: string,
    readonly allowed: string[],
  ) {
    super('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allowed.join(', ')}`);
  }
}

/** The auth endpoints refused a caller who tried too often: 429 with `Retry-After`. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

import { DomainError } from '../../domain/errors.js';

// Failures only the HTTP edge can have (authentication, media type, method, rate limit). They
// share the domain errors' base class so the one error middleware maps them all the same way.

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

/** Authenticated, but this credential may not do this (a read-only token writing). */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

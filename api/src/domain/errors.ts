import type { ErrorCode, FieldError } from '@todo/contracts';

/**
 * A failure the client can act on. The domain throws these without knowing HTTP; the one error
 * middleware at the edge maps each code to its status.
 */
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

/** An `Idempotency-Key` used before for a different request (ADR 230). */
export class IdempotencyKeyReusedError extends DomainError {
  constructor(key: string) {
    super(
      'UNPROCESSABLE',
      `Idempotency-Key ${key} was already used for a different request: use a new key for a new change`,
      [
        {
          field: 'Idempotency-Key',
          message: 'this key was already used for a different request',
          type: 'idempotency.reused',
        },
      ],
    );
  }
}

/** A request well formed but not what it claims to be (e.g. an import file of another kind). */
export class UnprocessableError extends DomainError {
  constructor(message: string, field: string) {
    super('UNPROCESSABLE', message, [{ field, message, type: 'any.unprocessable' }]);
  }
}

/**
 * A member of the list whose role does not allow the action (a viewer writing). Only a member
 * ever gets it: to anyone else the list and its tasks do not exist (404).
 */
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

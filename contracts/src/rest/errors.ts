import Joi from 'joi';

/** Machine-readable error codes of the REST API; each maps to exactly one HTTP status. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  /** The edge refused a path with dot segments, encoded separators or empty segments. */
  BAD_PATH: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** The path exists but not with this method; `Allow` lists the ones it has. */
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** A change-feed cursor older than the feed's retention: reload the list instead. */
  CURSOR_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one field of a request. */
export interface FieldError {
  /** Dotted path of the field, e.g. `recurrence.byWeekday.0`, or `body` / `query`. */
  field: string;
  message: string;
  /** joi's error type, e.g. `string.max`, `object.unknown`. */
  type: string;
}

/** Body of every error response. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details?: FieldError[];
  correlationId: string;
}

export const fieldErrorSchema = Joi.object<FieldError>({
  field: Joi.string().description(
    'Dotted path of the field, e.g. recurrence.byWeekday.0, or body/query.',
  ),
  message: Joi.string(),
  type: Joi.string().description("joi's error type, e.g. string.max or object.unknown."),
})
  .prefs({ presence: 'required' })
  .id('FieldError')
  .description('One problem with one field of a request.');

export const errorBodySchema = Joi.object<ErrorBody>({
  error: Joi.string().valid(...Object.keys(ERROR_CODES)),
  message: Joi.string().description('What went wrong, for a human (or a model) to read.'),
  details: Joi.array().items(fieldErrorSchema).optional(),
  correlationId: Joi.string().description('Quote it when reporting a problem.'),
})
  .prefs({ presence: 'required' })
  .id('ErrorBody')
  .description('Body of every error response.');

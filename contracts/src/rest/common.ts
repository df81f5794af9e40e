import Joi from 'joi';
import type { FieldError } from './errors.js';

/**
 * Reusable joi pieces shared by several REST schemas.
 *
 * An id is any RFC 4122 UUID written 8-4-4-4-12 (what OpenAPI's `format: uuid` allows): ids
 * are lookup keys, so an unknown version is a 404, never a 400. Braces and missing hyphens,
 * which joi's `guid()` alone would take, are refused.
 */
export const uuid = Joi.string()
  .guid({ separator: '-' })
  .pattern(/^[0-9a-fA-F-]{36}$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a UUID (8-4-4-4-12 hex digits)' });

const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * An ISO 8601 timestamp between the years 1 and 9999; joi converts it to a Date during
 * validation. A day the month does not have (`2026-02-30`) is refused rather than rolled
 * over into the next month, and years outside 1-9999 (which PostgreSQL or JavaScript cannot
 * store the same way) are refused rather than failing in the database.
 */
export const isoDate = Joi.date()
  .iso()
  .min('0001-01-01T00:00:00.000Z')
  .max('9999-12-31T23:59:59.999Z')
  .custom((value: Date, helpers) => {
    const original: unknown = helpers.original;
    if (typeof original !== 'string') return value;
    const parts = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})/.exec(original);
    if (!parts) return value;
    const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    return day <= daysInMonth(year, month) ? value : helpers.error('any.invalid');
  })
  .messages({
    'any.invalid': '{{#label}} must be a real calendar date (that month has fewer days)',
  });

/** NUL, which PostgreSQL text cannot hold, and UTF-16 halves without their other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The fields of a parsed request (body, query or params) holding text that cannot be stored:
 * a NUL character or a lone surrogate. Checked on the whole input before its schema, so
 * every string field of every route (chat included) is covered by one rule.
 */
export function unstorableTextFields(input: unknown, path: string[] = []): FieldError[] {
  if (typeof input === 'string') {
    if (!UNSTORABLE.test(input)) return [];
    return [
      {
        field: path.join('.') || 'body',
        message: `${path.join('.') || 'value'} must not contain NUL characters or unpaired UTF-16 surrogates`,
        type: 'string.unstorable',
      },
    ];
  }
  if (Array.isArray(input))
    return input.flatMap((item, i) => unstorableTextFields(item, [...path, String(i)]));
  if (typeof input === 'object' && input !== null)
    return Object.entries(input).flatMap(([key, value]) => [
      ...(UNSTORABLE.test(key)
        ? [
            {
              field: [...path, key].join('.'),
              message: 'field names must not contain NUL characters or unpaired UTF-16 surrogates',
              type: 'object.unstorable',
            },
          ]
        : []),
      ...unstorableTextFields(value, [...path, key]),
    ]);
  return [];
}

/** IANA time zone names accepted by the runtime (e.g. `Europe/Berlin`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = Joi.string()
  .max(64)
  .custom((value: string, helpers) =>
    isValidTimeZone(value) ? value : helpers.error('any.invalid'),
  )
  .messages({ 'any.invalid': '{{#label}} must be an IANA time zone such as "Europe/Berlin"' });

/** `HH:MM`, 24-hour clock. */
export const clockTime = Joi.string()
  .pattern(/^([01]\d|2[0-3]):[0-5]\d$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a time of day as HH:MM (24-hour)' });

/** Options every request schema is validated with: name every bad field, reject unknown ones. */
export const validationOptions: Joi.ValidationOptions = {
  abortEarly: false,
  allowUnknown: false,
  stripUnknown: false,
  convert: true,
  errors: { wrap: { label: false } },
};

import type Joi from 'joi';
import { unstorableTextFields, validationOptions, type FieldError } from '@todo/contracts';
import { timed } from '@todo/platform';
import { ValidationError } from './errors.js';

type Where = 'body' | 'query' | 'params';

/** Validates one part of a request; on failure names every bad field in one 400. */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, where: Where): T {
  return timed('validation', () => validateNow(schema, input, where));
}

function validateNow<T>(schema: Joi.Schema<T>, input: unknown, where: Where): T {
  if (
    where === 'body' &&
    (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input))
  ) {
    throw new ValidationError('the request body must be a JSON object', [
      { field: 'body', message: 'must be a JSON object', type: 'object.base' },
    ]);
  }
  // Text PostgreSQL cannot store (NUL, lone surrogates) is refused before any schema runs.
  const unstorable = unstorableTextFields(input);
  if (unstorable.length) {
    const fields = [...new Set(unstorable.map((d) => d.field))].join(', ');
    throw new ValidationError(`invalid ${where}: ${fields}`, unstorable);
  }
  const { value, error } = schema.validate(input, validationOptions);
  if (!error) return value;
  const details: FieldError[] = error.details.map((d) => ({
    field: d.path.length ? d.path.join('.') : where,
    message: d.message,
    type: d.type,
  }));
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  throw new ValidationError(`invalid ${where}: ${fields}`, details);
}

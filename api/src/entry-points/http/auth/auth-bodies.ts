import type { RequestHandler } from 'express';
import type Joi from 'joi';
import { validate } from '../../../domain/validate.js';
import type { Operation } from '../openapi/operation.js';

const AUTH_PREFIX = '/api/auth';

/**
 * Checks the bodies of the auth calls the api documents (sign-up, sign-in, account management)
 * against the schemas their OpenAPI declarations name, before Better Auth: a bad field is our
 * 400 naming it, and an unknown field is refused rather than silently ignored. Better Auth
 * still reads the body as sent. Built from the declarations so the document and the check
 * cannot drift apart.
 */
export function validateAuthBodies(operations: readonly Operation[]): RequestHandler {
  const schemas = new Map<string, Joi.Schema>();
  for (const op of operations) {
    if (op.method === 'post' && op.body && op.path.startsWith(`${AUTH_PREFIX}/`)) {
      schemas.set(op.path.slice(AUTH_PREFIX.length), op.body.schema);
    }
  }
  return (req, _res, next) => {
    const schema = req.method === 'POST' ? schemas.get(req.path) : undefined;
    if (schema) validate(schema, req.body, 'body');
    next();
  };
}

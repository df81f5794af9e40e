import type { RequestHandler } from 'express';
import { signInRequestSchema, signUpRequestSchema } from '@todo/contracts';
import { validate } from '../../../domain/validate.js';

const schemas: Record<string, typeof signUpRequestSchema | typeof signInRequestSchema> = {
  '/sign-up/email': signUpRequestSchema,
  '/sign-in/email': signInRequestSchema,
};

/**
 * Checks the sign-up and sign-in bodies against the contracts the OpenAPI document is built
 * from, before Better Auth: a bad field is our 400 naming it, and an unknown field is refused
 * rather than silently ignored. Better Auth still reads the body as sent.
 */
export const validateAuthBodies: RequestHandler = (req, _res, next) => {
  const schema = req.method === 'POST' ? schemas[req.path] : undefined;
  if (schema) validate(schema, req.body, 'body');
  next();
};

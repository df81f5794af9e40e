import type { RequestHandler } from 'express';
import type Joi from 'joi';
import {
  changeEmailRequestSchema,
  changePasswordRequestSchema,
  deleteUserRequestSchema,
  passwordResetRequestSchema,
  resetPasswordRequestSchema,
  revokeSessionRequestSchema,
  sendVerificationEmailRequestSchema,
  signInRequestSchema,
  signUpRequestSchema,
  updateUserRequestSchema,
} from '@todo/contracts';
import { validate } from '../../../domain/validate.js';

const schemas: Record<string, Joi.ObjectSchema> = {
  '/sign-up/email': signUpRequestSchema,
  '/sign-in/email': signInRequestSchema,
  '/send-verification-email': sendVerificationEmailRequestSchema,
  '/request-password-reset': passwordResetRequestSchema,
  '/reset-password': resetPasswordRequestSchema,
  '/change-password': changePasswordRequestSchema,
  '/change-email': changeEmailRequestSchema,
  '/update-user': updateUserRequestSchema,
  '/delete-user': deleteUserRequestSchema,
  '/revoke-session': revokeSessionRequestSchema,
};

/**
 * Checks the bodies of the auth calls the api documents (sign-up, sign-in, account management) against the contracts the OpenAPI document is built
 * from, before Better Auth: a bad field is our 400 naming it, and an unknown field is refused
 * rather than silently ignored. Better Auth still reads the body as sent.
 */
export const validateAuthBodies: RequestHandler = (req, _res, next) => {
  const schema = req.method === 'POST' ? schemas[req.path] : undefined;
  if (schema) validate(schema, req.body, 'body');
  next();
};

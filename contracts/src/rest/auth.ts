import Joi from 'joi';

/**
 * Bodies of the Better Auth calls the api documents. The api checks them before Better Auth
 * does, so a bad field is the api's 400 naming it, like everywhere else.
 */

/**
 * The addresses Better Auth accepts (the same expression its validator uses): a dotted local
 * part of letters, digits and `_'+-`, and a domain with a TLD of two letters or more.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const email = Joi.string().max(254).pattern(EMAIL_PATTERN).messages({
  'string.pattern.base': '{{#label}} must be an email address such as ada@example.com',
});

export interface SignUpRequest {
  email: string;
  password: string;
  name: string;
  rememberMe?: boolean;
}

export const signUpRequestSchema = Joi.object<SignUpRequest>({
  email: email.required(),
  password: Joi.string().min(PASSWORD_MIN).max(PASSWORD_MAX).required(),
  name: Joi.string().trim().min(1).max(100).required(),
  rememberMe: Joi.boolean(),
});

export interface SignInRequest {
  email: string;
  password: string;
  rememberMe?: boolean;
}

export const signInRequestSchema = Joi.object<SignInRequest>({
  email: email.required(),
  password: Joi.string().min(1).max(PASSWORD_MAX).required(),
  rememberMe: Joi.boolean(),
});

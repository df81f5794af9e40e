import Joi from 'joi';
import { text } from '../text.js';

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
  password: text({ min: PASSWORD_MIN, max: PASSWORD_MAX }).required(),
  name: text({ min: 1, max: 100 }).trim().required(),
  rememberMe: Joi.boolean(),
});

export interface SignInRequest {
  email: string;
  password: string;
  rememberMe?: boolean;
}

export const signInRequestSchema = Joi.object<SignInRequest>({
  email: email.required(),
  password: text({ min: 1, max: PASSWORD_MAX }).required(),
  rememberMe: Joi.boolean(),
});

// ---- Better Auth's answers: only the fields a client needs are listed (the rest pass) ----

/** The account as Better Auth answers it. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
}

/** `POST /api/auth/sign-up/email` and `/sign-in/email`. */
export interface AuthSession {
  /** A session token (null after sign-up): trade it for a JWT at `GET /api/auth/token`. */
  token: string | null;
  user: AuthUser;
}

export const authSessionSchema = Joi.object<AuthSession>({
  token: Joi.string().allow(null).required(),
  user: Joi.object<AuthUser>({ id: Joi.string(), email: Joi.string(), name: Joi.string() })
    .prefs({ presence: 'required' })
    .unknown(true)
    .required(),
})
  .unknown(true)
  .id('AuthSession')
  .description(
    'A signed-in session. `token` is a session token: exchange it for a JWT at GET /api/auth/token.',
  );

/** `GET /api/auth/token` */
export interface AccessToken {
  token: string;
}

export const accessTokenSchema = Joi.object<AccessToken>({ token: Joi.string().required() })
  .unknown(true)
  .id('AccessToken')
  .description('A JWT (EdDSA, valid 15 minutes): send it as Authorization: Bearer <token>.');

/** Error body of the Better Auth endpoints (`/api/auth/*`). */
export interface AuthError {
  code?: string;
  message: string;
}

export const authErrorSchema = Joi.object<AuthError>({
  code: Joi.string().example('INVALID_EMAIL_OR_PASSWORD'),
  message: Joi.string().required(),
})
  .unknown(true)
  .id('AuthError')
  .description('Error body of the Better Auth endpoints (/api/auth/*).');

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
  /** False until the link mailed to the address is clicked (reminder mail waits for it). */
  emailVerified?: boolean;
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

// ---- Account management (Better Auth's routes, checked by the api first) ----

/**
 * `POST /api/auth/send-verification-email`: mail the verification link again. The links in
 * account mail are the api's own (no caller-chosen redirect), so no callback URL is taken.
 */
export interface SendVerificationEmailRequest {
  email: string;
}

export const sendVerificationEmailRequestSchema = Joi.object<SendVerificationEmailRequest>({
  email: email.required().description('The address to mail the link to'),
});

/** `POST /api/auth/request-password-reset`: mail a reset link (the same answer for any address). */
export interface PasswordResetRequest {
  email: string;
}

export const passwordResetRequestSchema = Joi.object<PasswordResetRequest>({
  email: email.required().description('The address of the account'),
});

/** `POST /api/auth/reset-password`: the token from the mailed link and the new password. */
export interface ResetPasswordRequest {
  token: string;
  newPassword: string;
}

export const resetPasswordRequestSchema = Joi.object<ResetPasswordRequest>({
  token: Joi.string().min(1).max(200).required().description('The token from the mailed link'),
  newPassword: text({ min: PASSWORD_MIN, max: PASSWORD_MAX })
    .required()
    .description('The new password'),
});

/** `POST /api/auth/change-password`: the current password is required. */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
  revokeOtherSessions?: boolean;
}

export const changePasswordRequestSchema = Joi.object<ChangePasswordRequest>({
  currentPassword: text({ min: 1, max: PASSWORD_MAX }).required().description('The password now'),
  newPassword: text({ min: PASSWORD_MIN, max: PASSWORD_MAX })
    .required()
    .description('The new password'),
  revokeOtherSessions: Joi.boolean().description('End every other session of the account'),
});

/** `POST /api/auth/change-email`: the link goes to the new address; the switch waits for it. */
export interface ChangeEmailRequest {
  newEmail: string;
}

export const changeEmailRequestSchema = Joi.object<ChangeEmailRequest>({
  newEmail: email.required().description('The address to switch to, once its link is clicked'),
});

/** `POST /api/auth/update-user`: the name (the address changes through change-email). */
export interface UpdateUserRequest {
  name: string;
}

export const updateUserRequestSchema = Joi.object<UpdateUserRequest>({
  name: text({ min: 1, max: 100 }).trim().required().description('The name to show'),
});

/** `POST /api/auth/delete-user`: the password confirms it. */
export interface DeleteUserRequest {
  password: string;
}

export const deleteUserRequestSchema = Joi.object<DeleteUserRequest>({
  password: text({ min: 1, max: PASSWORD_MAX })
    .required()
    .description('The account password, to confirm'),
});

/** `POST /api/auth/revoke-session`: one of the sessions `list-sessions` answered. */
export interface RevokeSessionRequest {
  token: string;
}

export const revokeSessionRequestSchema = Joi.object<RevokeSessionRequest>({
  token: Joi.string().min(1).max(200).required().description('The session token from listSessions'),
});

/** The `{status: true}` most account calls answer. */
export interface AuthStatus {
  status: boolean;
}

export const authStatusSchema = Joi.object<AuthStatus>({ status: Joi.boolean().required() })
  .unknown(true)
  .id('AuthStatus')
  .description(
    'Done (or, where the address decides, accepted: the answer is the same either way).',
  );

/** One signed-in session of the account, as `GET /api/auth/list-sessions` answers it. */
export interface AuthSessionInfo {
  id: string;
  token: string;
  userAgent?: string | null;
  ipAddress?: string | null;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export const authSessionListSchema = Joi.array()
  .items(
    Joi.object<AuthSessionInfo>({
      id: Joi.string().required(),
      token: Joi.string().required(),
      userAgent: Joi.string().allow(null, ''),
      ipAddress: Joi.string().allow(null, ''),
      createdAt: Joi.string().required(),
      updatedAt: Joi.string().required(),
      expiresAt: Joi.string().required(),
    }).unknown(true),
  )
  .id('AuthSessionList')
  .description('The signed-in sessions of the account; `updatedAt` is their last refresh.');

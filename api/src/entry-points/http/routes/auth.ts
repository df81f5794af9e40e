import {
  accessTokenSchema,
  authSessionListSchema,
  authSessionSchema,
  authStatusSchema,
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
import type Joi from 'joi';
import type { Operation } from '../openapi/operation.js';

/** A session call: Better Auth's session cookie or `Authorization: Bearer <session token>`. */
const SESSION = [{ sessionToken: [] }];
const NO_SESSION = 'No valid session: sign in again.';

/**
 * The Better Auth routes a client needs to get a JWT. Better Auth serves them (mounted in
 * `app.ts` behind our body checks and rate limits); these are their declarations. Only the
 * 429 and the 400s are ours; other errors are Better Auth's `AuthError` bodies.
 */
export const authOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/auth/sign-up/email',
    operationId: 'signUp',
    tag: 'auth',
    summary: 'Create an account',
    description:
      'Creates an account with email and password; then call signIn. The answer is the same whether or not the address already has an account (token is null), so it never reveals which addresses are registered.',
    body: {
      name: 'SignUpRequest',
      schema: signUpRequestSchema,
      examples: {
        signUp: {
          summary: 'A new account',
          value: { email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada' },
        },
      },
    },
    success: {
      status: 200,
      description: 'Accepted: sign in next (token is null).',
      schema: authSessionSchema,
    },
    errors: [429, 400, 413, 415],
    security: [],
  },
  {
    method: 'post',
    path: '/api/auth/sign-in/email',
    operationId: 'signIn',
    tag: 'auth',
    summary: 'Sign in with email and password',
    description:
      'Signs in and answers a session token; exchange it for a JWT with getAccessToken. 401 when the email or password is wrong.',
    body: {
      name: 'SignInRequest',
      schema: signInRequestSchema,
      examples: {
        signIn: {
          summary: 'Sign in',
          value: { email: 'ada@example.com', password: 'correct-horse-battery' },
        },
      },
    },
    success: { status: 200, description: 'Signed in.', schema: authSessionSchema },
    errors: [429, 400, 413, 415],
    authErrors: { 401: 'Wrong email or password.' },
    security: [],
  },
  {
    method: 'get',
    path: '/api/auth/token',
    operationId: 'getAccessToken',
    tag: 'auth',
    summary: 'Get a JWT for the REST API',
    description:
      'Exchanges the session token (Authorization: Bearer <session token>) for a JWT valid 15 minutes. Send the JWT as Authorization: Bearer <jwt> to every /api/v1 operation; call again when it expires.',
    success: { status: 200, description: 'A fresh JWT.', schema: accessTokenSchema },
    errors: [429],
    authErrors: { 401: 'No valid session token: sign in again.' },
    security: [{ sessionToken: [] }],
  },
  ...accountOperations(),
];

/** Verification, password reset and account management (ADRs 260–263). */
function accountOperations(): Operation[] {
  const post = (
    path: string,
    operationId: string,
    summary: string,
    description: string,
    body: { name: string; schema: Joi.Schema; example: unknown },
    extra: Partial<Operation> = {},
  ): Operation => ({
    method: 'post',
    path: `/api/auth${path}`,
    operationId,
    tag: 'account',
    summary,
    description,
    body: {
      name: body.name,
      schema: body.schema,
      examples: { example: { summary, value: body.example } },
    },
    success: { status: 200, description: 'Done.', schema: authStatusSchema },
    errors: [429, 400, 413, 415],
    security: SESSION,
    authErrors: {
      401: NO_SESSION,
      400: 'A bad field (ours), or Better Auth refused: wrong current password, same address.',
    },
    ...extra,
  });
  return [
    post(
      '/send-verification-email',
      'sendVerificationEmail',
      'Mail the address-verification link again',
      'Mails a new verification link to the address (valid 24 hours). The answer is the same whether or not the address has an account or is already verified.',
      {
        name: 'SendVerificationEmailRequest',
        schema: sendVerificationEmailRequestSchema,
        example: { email: 'ada@example.com' },
      },
      { security: [], authErrors: {} },
    ),
    post(
      '/request-password-reset',
      'requestPasswordReset',
      'Mail a password-reset link',
      'Mails a single-use link to set a new password (valid 30 minutes). The answer is the same whether or not the address has an account.',
      {
        name: 'PasswordResetRequest',
        schema: passwordResetRequestSchema,
        example: { email: 'ada@example.com' },
      },
      { security: [], authErrors: {} },
    ),
    post(
      '/reset-password',
      'resetPassword',
      'Set a new password with a reset link',
      "Sets the password from the mailed link's token (once). Every session of the account ends. 400 INVALID_TOKEN when the token is unknown, used or expired.",
      {
        name: 'ResetPasswordRequest',
        schema: resetPasswordRequestSchema,
        example: { token: 'aZ3kq9LmX2pR7tYv1BnC4dEf', newPassword: 'a-new-long-passphrase' },
      },
      {
        security: [],
        authErrors: {
          400: 'A bad field (ours), or INVALID_TOKEN: the link is unknown, used or expired.',
        },
      },
    ),
    post(
      '/update-user',
      'updateUser',
      'Change the name',
      'Changes the account name. The address changes through changeEmail.',
      { name: 'UpdateUserRequest', schema: updateUserRequestSchema, example: { name: 'Ada L.' } },
    ),
    post(
      '/change-password',
      'changePassword',
      'Change the password',
      'Sets a new password; the current one is required (400 INVALID_PASSWORD when wrong). revokeOtherSessions ends every other session.',
      {
        name: 'ChangePasswordRequest',
        schema: changePasswordRequestSchema,
        example: {
          currentPassword: 'the-current-passphrase',
          newPassword: 'a-new-long-passphrase',
          revokeOtherSessions: true,
        },
      },
    ),
    post(
      '/change-email',
      'changeEmail',
      'Change the email address',
      'Mails a link to the new address; the account switches when it is clicked. The answer is the same whether or not the new address has an account.',
      {
        name: 'ChangeEmailRequest',
        schema: changeEmailRequestSchema,
        example: { newEmail: 'ada.new@example.com' },
      },
    ),
    {
      method: 'get',
      path: '/api/auth/list-sessions',
      operationId: 'listSessions',
      tag: 'account',
      summary: 'List the signed-in sessions',
      description:
        'Every signed-in session of the account: device (user agent), address, when it started and was last refreshed.',
      success: { status: 200, description: 'The sessions.', schema: authSessionListSchema },
      errors: [429],
      authErrors: { 401: NO_SESSION },
      security: SESSION,
    },
    post(
      '/revoke-session',
      'revokeSession',
      'End one session',
      'Ends one session of the account (its token from listSessions); its JWTs and sockets stop at once.',
      {
        name: 'RevokeSessionRequest',
        schema: revokeSessionRequestSchema,
        example: { token: 'session-token-from-listSessions' },
      },
    ),
    {
      method: 'post',
      path: '/api/auth/revoke-other-sessions',
      operationId: 'revokeOtherSessions',
      tag: 'account',
      summary: 'Sign out everywhere else',
      description:
        'Ends every session of the account except the one calling; their JWTs and sockets stop at once.',
      success: { status: 200, description: 'Done.', schema: authStatusSchema },
      errors: [429],
      authErrors: { 401: NO_SESSION },
      security: SESSION,
    },
    post(
      '/delete-user',
      'deleteUser',
      'Delete the account',
      'Deletes the account and everything in it (tasks, conversations, notifications, devices, tokens, calendar feed); every session and socket ends. The password is required.',
      {
        name: 'DeleteUserRequest',
        schema: deleteUserRequestSchema,
        example: { password: 'the-current-passphrase' },
      },
    ),
  ];
}

import {
  accessTokenSchema,
  authSessionSchema,
  signInRequestSchema,
  signUpRequestSchema,
} from '@todo/contracts';
import type { Operation } from '../openapi/operation.js';

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
];

import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { bearer, jwt } from 'better-auth/plugins';
import type pg from 'pg';
import { JWT_LIFETIME_SECONDS, PASSWORD_MAX, PASSWORD_MIN } from '@todo/contracts';
import type { ApiConfig } from '../../../config.js';

/** What the rest of the api hears from Better Auth. */
export interface AuthHooks {
  /** A session ended (sign-out, revoked, user deleted): its JWTs must stop working now. */
  onSessionEnded?: (sessionId: string) => Promise<void> | void;
  /** Someone tried to sign up with the address of an existing account. */
  onExistingUserSignUp?: (userId: string) => Promise<void> | void;
}

/**
 * Better Auth: email + password accounts, sessions, and the JWT plugin whose JWKS lets
 * the socket nodes and workers verify our tokens without calling the api. The bearer
 * plugin lets scripts trade the sign-in session token for a JWT without cookies.
 *
 * - Every JWT carries `sid`, its session's id, so signing out ends the JWTs issued from
 *   that session at once (`SessionLiveness`).
 * - Sign-up does not sign in (`autoSignIn: false`): Better Auth then answers an existing
 *   address exactly as a new one (200, `{token: null, user}` with a made-up id), so sign-up
 *   cannot tell anyone which addresses have accounts. The client signs in next.
 * - Better Auth's own rate limiter is off: ours (`authRateLimits`) is keyed by account as
 *   well as by IP, lives in Redis, and answers `Retry-After` in the api's error shape.
 * - Errors that are not Better Auth's own answers (a database timeout, a lost connection) are
 *   rethrown (`onAPIError.throw`) instead of becoming its bare 500: Express hands them to the
 *   api's error middleware, which maps a stalled database to 503 + `Retry-After` for every
 *   route alike. Its own answers (401, 422 …) stay its responses.
 */
export function authOptions(config: ApiConfig, pool: pg.Pool, hooks: AuthHooks = {}) {
  return {
    appName: 'Todo Chatbot',
    database: pool,
    baseURL: config.BETTER_AUTH_URL,
    basePath: '/api/auth',
    secret: config.BETTER_AUTH_SECRET,
    trustedOrigins: [config.BETTER_AUTH_URL, ...config.CORS_ORIGINS],
    emailAndPassword: {
      enabled: true,
      // The api's schema has already bounded the password in characters (ADR 180); Better Auth
      // counts UTF-16 code units, in which a character is one or two.
      minPasswordLength: PASSWORD_MIN,
      maxPasswordLength: PASSWORD_MAX * 2,
      autoSignIn: false,
      onExistingUserSignUp: async ({ user }: { user: { id: string } }) => {
        await hooks.onExistingUserSignUp?.(user.id);
      },
    },
    rateLimit: { enabled: false },
    onAPIError: { throw: true },
    databaseHooks: {
      session: {
        delete: {
          after: async (session: { id: string }) => {
            await hooks.onSessionEnded?.(session.id);
          },
        },
      },
    },
    telemetry: { enabled: false },
    plugins: [
      jwt({
        jwt: {
          expirationTime: `${JWT_LIFETIME_SECONDS}s`,
          definePayload: ({ user, session }) => ({ ...user, sid: session.id }),
        },
      }),
      bearer(),
    ],
  } satisfies BetterAuthOptions;
}

export function createAuth(config: ApiConfig, pool: pg.Pool, hooks: AuthHooks = {}) {
  return betterAuth(authOptions(config, pool, hooks));
}

export type Auth = ReturnType<typeof createAuth>;

/** Creates or updates Better Auth's own tables (user, session, account, verification, jwks). */
export async function migrateAuth(options: BetterAuthOptions): Promise<void> {
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
}

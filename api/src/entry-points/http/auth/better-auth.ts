import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { bearer, jwt } from 'better-auth/plugins';
import { decodeJwt } from 'jose';
import type pg from 'pg';
import { JWT_LIFETIME_SECONDS, PASSWORD_MAX, PASSWORD_MIN } from '@todo/contracts';
import type { ApiConfig } from '../../../config.js';

/** What the rest of the api hears from Better Auth. */
export interface AuthHooks {
  /** A session ended (sign-out, revoked, user deleted): its JWTs must stop working now. */
  onSessionEnded?: (sessionId: string) => Promise<void> | void;
  /** Someone tried to sign up with the address of an existing account. */
  onExistingUserSignUp?: (user: { id: string; email: string }) => Promise<void> | void;
  /** Hands an account mail to the transport; never waits for SMTP (ADR 260). */
  sendMail?: (to: string, mail: AccountMail) => void;
  /** The address was verified, or changed to a verified one: reminder mail may go there now. */
  onAddressChanged?: (userId: string) => Promise<void> | void;
  /** The account is about to be deleted (its password was checked): erase what is ours. */
  onUserDeleting?: (userId: string) => Promise<void> | void;
}

/** What a mail hook is asked to send: which mail, the link in it, how long the link works. */
export interface AccountMail {
  kind: 'verify-email' | 'change-email' | 'reset-password' | 'existing-account';
  url: string;
  ttlSeconds?: number;
}

/** Where verification links land in the app (relative: Better Auth's origin check allows it). */
export const EMAIL_VERIFIED_PATH = '/email-verified';
/** The app's page that sets a new password from a reset link's token. */
export const RESET_PASSWORD_PATH = '/reset-password';

/** A verification token asks to switch the account to a new address (`updateTo`). */
const changesAddress = (token: string): boolean => {
  try {
    return typeof decodeJwt(token).updateTo === 'string';
  } catch {
    return false;
  }
};

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
  const app = config.BETTER_AUTH_URL.replace(/\/+$/, '');
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
      onExistingUserSignUp: async ({ user }: { user: { id: string; email: string } }) => {
        // The owner learns by mail; the person signing up gets the same answer as for a new address.
        hooks.sendMail?.(user.email, { kind: 'existing-account', url: `${app}/sign-in` });
        await hooks.onExistingUserSignUp?.(user);
      },
      // Reset links open the app's page, which posts the token with the new password; the
      // token is single use (consumed with the password change) and expires (ADR 261).
      sendResetPassword: async ({ user, token }: { user: { email: string }; token: string }) => {
        hooks.sendMail?.(user.email, {
          kind: 'reset-password',
          url: `${app}${RESET_PASSWORD_PATH}?token=${encodeURIComponent(token)}`,
          ttlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
        });
      },
      resetPasswordTokenExpiresIn: config.PASSWORD_RESET_TTL_SECONDS,
      // Whoever had the old password is signed out everywhere (each session's JWTs and sockets
      // end through the session-delete hook below).
      revokeSessionsOnPasswordReset: true,
    },
    // Reset tokens are kept as their SHA-256 only: a leaked database (or backup) holds no
    // working reset link (ADR 261).
    verification: { storeIdentifier: 'hashed' as const },
    // A new account can use the app at once; reminder mail waits for a verified address (ADR 260).
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: false,
      expiresIn: config.EMAIL_VERIFICATION_TTL_SECONDS,
      sendVerificationEmail: async ({
        user,
        token,
      }: {
        user: { email: string };
        token: string;
      }) => {
        hooks.sendMail?.(user.email, {
          kind: changesAddress(token) ? 'change-email' : 'verify-email',
          url: `${app}/api/auth/verify-email?token=${encodeURIComponent(token)}&callbackURL=${encodeURIComponent(EMAIL_VERIFIED_PATH)}`,
          ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
        });
      },
    },
    user: {
      // A new address is used only once its link was clicked: the link goes to the new address.
      changeEmail: { enabled: true },
      deleteUser: {
        enabled: true,
        beforeDelete: async (user: { id: string }) => {
          await hooks.onUserDeleting?.(user.id);
        },
      },
    },
    rateLimit: { enabled: false },
    onAPIError: { throw: true },
    databaseHooks: {
      user: {
        update: {
          // Switching to a new address happens only from the link mailed to it, which proves
          // the address: it counts as verified even if the old one never was.
          before: async (data: Record<string, unknown>, context: { path?: string } | null) =>
            typeof data.email === 'string' && context?.path === '/verify-email'
              ? { data: { ...data, emailVerified: true } }
              : undefined,
          // Verifying an address, or switching to a new one, is always this path's update.
          after: async (user: { id: string }, context: { path?: string } | null) => {
            if (context?.path === '/verify-email') await hooks.onAddressChanged?.(user.id);
          },
        },
      },
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

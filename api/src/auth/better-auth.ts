import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { bearer, jwt } from 'better-auth/plugins';
import type pg from 'pg';
import type { ApiConfig } from '../config.js';

/**
 * Better Auth: email + password accounts, sessions, and the JWT plugin whose JWKS lets
 * the socket nodes and workers verify our tokens without calling the api. The bearer
 * plugin lets scripts trade the sign-in session token for a JWT without cookies.
 */
export function authOptions(config: ApiConfig, pool: pg.Pool) {
  return {
    appName: 'Todo Chatbot',
    database: pool,
    baseURL: config.BETTER_AUTH_URL,
    basePath: '/api/auth',
    secret: config.BETTER_AUTH_SECRET,
    trustedOrigins: [config.BETTER_AUTH_URL, ...config.CORS_ORIGINS],
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    telemetry: { enabled: false },
    plugins: [jwt({ jwt: { expirationTime: '15m' } }), bearer()],
  } satisfies BetterAuthOptions;
}

export function createAuth(config: ApiConfig, pool: pg.Pool) {
  return betterAuth(authOptions(config, pool));
}

export type Auth = ReturnType<typeof createAuth>;

/** Creates or updates Better Auth's own tables (user, session, account, verification, jwks). */
export async function migrateAuth(options: BetterAuthOptions): Promise<void> {
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
}

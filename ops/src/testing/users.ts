import { randomBytes } from 'node:crypto';

export interface TestUser {
  userId: string;
  email: string;
  /** A JWT from Better Auth's token endpoint, as the web app and scripts get it. */
  token: string;
  /** The session token the JWT was issued from (sign out with it). */
  sessionToken: string;
}

/**
 * Auth rate limits high enough for test suites that sign up many users from one address;
 * the api's own tests of the limits set theirs. Merge into the api's environment.
 */
export const RELAXED_AUTH_LIMITS: Record<string, string> = {
  AUTH_LIMIT_SIGN_IN_PER_IP: '1000000',
  AUTH_LIMIT_SIGN_IN_PER_ACCOUNT: '1000000',
  AUTH_LIMIT_SIGN_UP_PER_IP: '1000000',
  AUTH_LIMIT_SIGN_UP_PER_ACCOUNT: '1000000',
  AUTH_LIMIT_PASSWORD_RESET_PER_IP: '1000000',
  AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT: '1000000',
  AUTH_LIMIT_TOKEN_PER_IP: '1000000',
  AUTH_LIMIT_TOKEN_PER_SESSION: '1000000',
};

/**
 * Signs a new user up and in through the api's real Better Auth endpoints and returns a JWT.
 * Sign-up does not sign in (it answers the same for taken addresses), so sign-in follows,
 * as in the web app. Node's `fetch`, no `Origin`: the way a server-side client calls.
 */
export async function signUpUser(apiBaseUrl: string, name = 'Test User'): Promise<TestUser> {
  const email = `user-${randomBytes(6).toString('hex')}@example.com`;
  const password = 'correct-horse-battery';
  const post = (path: string, body: unknown) =>
    fetch(`${apiBaseUrl}/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const signUp = await post('sign-up/email', { email, password, name });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const signIn = await post('sign-in/email', { email, password });
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const { token: session, user } = (await signIn.json()) as { token: string; user: { id: string } };
  const jwt = await fetch(`${apiBaseUrl}/api/auth/token`, {
    headers: { authorization: `Bearer ${session}` },
  });
  if (!jwt.ok) throw new Error(`token failed: ${jwt.status} ${await jwt.text()}`);
  const { token } = (await jwt.json()) as { token: string };
  return { userId: user.id, email, token, sessionToken: session };
}

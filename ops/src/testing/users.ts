import { randomBytes } from 'node:crypto';

export interface TestUser {
  userId: string;
  email: string;
  /** A JWT from Better Auth's token endpoint, as the web app and scripts get it. */
  token: string;
}

/** Signs a new user up through the api's real Better Auth endpoints and returns a JWT. */
export async function signUpUser(apiBaseUrl: string, name = 'Test User'): Promise<TestUser> {
  const email = `user-${randomBytes(6).toString('hex')}@example.com`;
  const signUp = await fetch(`${apiBaseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: apiBaseUrl },
    body: JSON.stringify({ email, password: 'correct-horse-battery', name }),
  });
  if (!signUp.ok) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const { token: session, user } = (await signUp.json()) as { token: string; user: { id: string } };
  const jwt = await fetch(`${apiBaseUrl}/api/auth/token`, {
    headers: { authorization: `Bearer ${session}` },
  });
  if (!jwt.ok) throw new Error(`token failed: ${jwt.status} ${await jwt.text()}`);
  const { token } = (await jwt.json()) as { token: string };
  return { userId: user.id, email, token };
}

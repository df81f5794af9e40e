import pg from 'pg';
import type { AcceptInviteResult, CreatedListInvite, ListRole } from '@todo/contracts';
import type { TestUser } from './users.js';

/**
 * Marks the users' addresses confirmed, straight in the api's database: accepting an invite
 * needs a confirmed address, and tests of other services have no inbox to click the link in.
 */
export async function confirmEmails(databaseUrl: string, users: TestUser[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`UPDATE "user" SET "emailVerified" = true WHERE id = ANY($1::text[])`, [
      users.map((u) => u.userId),
    ]);
  } finally {
    await client.end();
  }
}

/**
 * Shares `listId` with `member` as a user would: the owner invites their address over REST and
 * the member accepts the link (their address must be confirmed, see confirmEmails).
 */
export async function shareList(
  apiBaseUrl: string,
  owner: TestUser,
  listId: string,
  member: TestUser,
  role: ListRole,
): Promise<AcceptInviteResult> {
  const post = async <T>(user: TestUser, path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${apiBaseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const invite = await post<CreatedListInvite>(owner, `/lists/${listId}/invites`, {
    email: member.email,
    role,
  });
  const token = invite.acceptUrl.split('/invites/')[1] ?? '';
  return post<AcceptInviteResult>(member, '/invites/accept', { token });
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { allQueues } from '../src/queues/queues.js';
import { startStack, waitFor, type Stack, type UserClient } from './helpers.js';

const DAY = 86_400_000;

describe('a deleted account leaves no job behind (user.deleted)', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack('account-deletion');
  });
  after(async () => {
    await stack?.stop();
  });

  /** Every job of `userId` still waiting in any queue. */
  const jobsOf = async (userId: string): Promise<Job[]> => {
    const jobs: Job[] = [];
    for (const queue of allQueues(stack.workers.queues)) {
      const all = await queue.getJobs(
        ['delayed', 'waiting', 'prioritized', 'waiting-children'],
        0,
        -1,
      );
      jobs.push(
        ...all.filter((job) => {
          const data = job?.data as { userId?: string; reminder?: { userId?: string } };
          return (data.userId ?? data.reminder?.userId) === userId;
        }),
      );
    }
    return jobs;
  };

  const remindersFor = async (user: UserClient, titles: string[]) => {
    for (const [i, title] of titles.entries())
      await user.createTask({
        title,
        dueDate: new Date(Date.now() + (i + 2) * DAY).toISOString(),
        reminderOffset: 30,
      });
    await waitFor(`${titles.length} reminder jobs`, async () =>
      (await jobsOf(user.userId)).length >= titles.length ? true : null,
    );
  };

  it("removes the account's scheduled reminders from BullMQ, and only its own", async () => {
    const doomed = await stack.signUp();
    const other = await stack.signUp();
    await remindersFor(doomed, ['Dentist', 'Passport', 'Tax return']);
    await remindersFor(other, ['Stays scheduled']);

    const response = await fetch(`${stack.api.baseUrl}/api/auth/delete-user`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${doomed.user.sessionToken}`,
      },
      body: JSON.stringify({ password: 'correct-horse-battery' }),
    });
    assert.equal(response.status, 200, await response.text());

    await waitFor('no job of the deleted account', async () =>
      (await jobsOf(doomed.userId)).length === 0 ? true : null,
    );
    assert.equal((await jobsOf(other.userId)).length, 1);
  });
});

import type { Job, JobType } from 'bullmq';
import type { UserDeletedEvent } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import type { PreferencesStore } from '../notifications/preferences-store.js';
import { allQueues, type Queues } from '../queues/queues.js';
import type { DueReminders } from '../reminders/due-reminders.js';

/** States a job of a deleted account can wait in (an active one finishes; nothing new follows). */
const WAITING_STATES: JobType[] = ['delayed', 'waiting', 'prioritized', 'waiting-children'];
const PAGE = 500;

/** The account a job belongs to, whatever its kind (fire, intake, deliver, test, next-instance). */
const ownerOf = (job: Job): string | undefined => {
  const data = job.data as { userId?: unknown; reminder?: { userId?: unknown } } | undefined;
  const owner = data?.userId ?? data?.reminder?.userId;
  return typeof owner === 'string' ? owner : undefined;
};

/**
 * `user.deleted`: the account and its rows are gone from the api's database (the reconciler
 * will not rebuild anything for it), so every job still waiting for it is removed from every
 * queue, with its kept preferences and due set (ADR 262). Job ids name tasks, not users, so the
 * waiting jobs are read page by page: a deletion is rare, and this runs once per account.
 * A redelivery finds nothing left and changes nothing.
 */
export function userDeletedHandler(deps: {
  queues: Queues;
  preferences: PreferencesStore;
  due: DueReminders;
  logger: Logger;
}) {
  return async (event: UserDeletedEvent): Promise<void> => {
    const { userId } = event.data;
    let removed = 0;
    for (const queue of allQueues(deps.queues)) {
      const theirs: Job[] = [];
      for (let start = 0; ; start += PAGE) {
        const page = await queue.getJobs(WAITING_STATES, start, start + PAGE - 1, true);
        theirs.push(...page.filter((job) => job && ownerOf(job) === userId));
        if (page.length < PAGE) break;
      }
      for (const job of theirs) {
        await job.remove();
        removed += 1;
      }
    }
    await deps.preferences.forget(userId);
    await deps.due.forget(userId);
    deps.logger.info({ eventId: event.id, removed }, 'deleted account: its jobs removed');
  };
}

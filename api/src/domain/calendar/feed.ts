import { createHash } from 'node:crypto';
import type { CalendarFeedFormat, ListTasksQuery, Task } from '@todo/contracts';
import { getPreferences } from '../preferences-service.js';
import type { TaskQueryService } from '../task-query-service.js';
import { buildCalendar } from './ics-feed.js';

/** At most this many entries: a calendar app re-reads the whole feed on every poll. */
export const FEED_MAX_TASKS = 2000;
/** Completed to-dos stay in the feed this long after their due date. */
const COMPLETED_DAYS = 30;

export interface CalendarFile {
  body: string;
  /** Strong validator of `body` (quoted), for `If-None-Match`. */
  etag: string;
}

async function collect(
  queries: TaskQueryService,
  userId: string,
  query: Omit<ListTasksQuery, 'sort' | 'limit' | 'cursor'>,
  into: Task[],
): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await queries.list(userId, {
      ...query,
      sort: 'dueDate',
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    into.push(...page.items.slice(0, FEED_MAX_TASKS - into.length));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && into.length < FEED_MAX_TASKS);
}

/**
 * The user's calendar: pending tasks with a due date, and (as to-dos) those completed whose
 * due date is under 30 days old. The ETag hashes the bytes, which depend only on the tasks
 * and the zone (DTSTAMP is each task's last change), so an unchanged feed answers 304.
 */
export async function calendarFile(
  queries: TaskQueryService,
  userId: string,
  format: CalendarFeedFormat,
): Promise<CalendarFile> {
  const { timezone } = await getPreferences(userId);
  const tasks: Task[] = [];
  await collect(
    queries,
    userId,
    { status: 'pending', dueAfter: new Date('0001-01-01T00:00:00Z') },
    tasks,
  );
  if (format === 'todo' && tasks.length < FEED_MAX_TASKS)
    await collect(
      queries,
      userId,
      { status: 'completed', dueAfter: new Date(Date.now() - COMPLETED_DAYS * 86_400_000) },
      tasks,
    );
  const body = buildCalendar(tasks, { timeZone: timezone, format });
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag };
}

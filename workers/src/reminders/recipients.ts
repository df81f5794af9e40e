import type pg from 'pg';
import { REMINDER_RECIPIENT_VIEW, type ReminderRecipient } from '@todo/contracts';
import type { FireReminderJob } from '../queues/job-data.js';
import type { Logger } from '@todo/platform';
import { viewReaderPool } from '../database/view-reader-pool.js';

/** Who a task's reminder goes to, asked when it fires (ADR 376). */
export interface RecipientSource {
  forTask(taskId: string): Promise<ReminderRecipient[]>;
}

/**
 * Who each task's reminder would go to now, asked when it is scheduled, so each one's
 * batching expects it (ADR 385): task id -> recipient ids (a task nobody would get is absent).
 */
export interface ExpectedRecipientSource {
  expectedFor(taskIds: string[]): Promise<Map<string, string[]>>;
}

/** The reminder as one recipient gets it: their id, their channels' rules, their address. */
export const forRecipient = (
  reminder: FireReminderJob,
  recipient: ReminderRecipient,
): FireReminderJob => ({
  ...reminder,
  userId: recipient.userId,
  preferences: recipient.preferences,
});

interface RecipientRow {
  user_id: string;
  email_enabled: boolean;
  push_enabled: boolean;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  timezone: string;
  email: string | null;
  email_verified: boolean;
}

/**
 * Reads `reminder_recipient_view` (the api's migration 019) as the reconciler's role, which may
 * read the api's views and nothing else: PostgreSQL is the truth about who is in a list and
 * who opted in, so a member removed after the reminder was scheduled gets nothing and one who
 * joined and opted in meanwhile gets it. Each recipient comes with their own preferences and
 * address, so their notification goes by their channels and quiet hours, not the owner's.
 */
export class RecipientReader implements RecipientSource, ExpectedRecipientSource {
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    logger: Logger,
    options: { queryTimeoutMs: number; max: number; name: string },
  ) {
    this.pool = viewReaderPool({
      databaseUrl,
      logger,
      ...options,
      what: `reminder recipient reader (${options.name})`,
    });
  }

  async forTask(taskId: string): Promise<ReminderRecipient[]> {
    const { rows } = await this.pool.query<RecipientRow>(
      `SELECT user_id, email_enabled, push_enabled, quiet_hours_start, quiet_hours_end,
              timezone, email, email_verified
       FROM ${REMINDER_RECIPIENT_VIEW} WHERE task_id = $1 ORDER BY user_id`,
      [taskId],
    );
    return rows.map((row) => ({
      userId: row.user_id,
      preferences: {
        emailEnabled: row.email_enabled,
        pushEnabled: row.push_enabled,
        quietHoursStart: row.quiet_hours_start,
        quietHoursEnd: row.quiet_hours_end,
        timezone: row.timezone,
        email: row.email,
        emailVerified: row.email_verified,
      },
    }));
  }

  async expectedFor(taskIds: string[]): Promise<Map<string, string[]>> {
    const expected = new Map<string, string[]>();
    if (!taskIds.length) return expected;
    const { rows } = await this.pool.query<{ task_id: string; user_id: string }>(
      `SELECT task_id, user_id FROM ${REMINDER_RECIPIENT_VIEW}
       WHERE task_id = ANY($1) ORDER BY task_id, user_id`,
      [taskIds],
    );
    for (const row of rows) {
      const ids = expected.get(row.task_id) ?? [];
      ids.push(row.user_id);
      expected.set(row.task_id, ids);
    }
    return expected;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

import type pg from 'pg';
import { REMINDER_RECIPIENT_VIEW, type ReminderRecipient } from '@todo/contracts';
import type { FireReminderJob } from '../queues/job-data.js';
import type { Logger } from '@todo/platform';
import { viewReaderPool } from '../database/view-reader-pool.js';

/** Who a task's reminder goes to, asked when it fires (ADR 376). */
export interface RecipientSource {
  forTask(taskId: string): Promise<ReminderRecipient[]>;
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
export class RecipientReader implements RecipientSource {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, logger: Logger, queryTimeoutMs: number) {
    this.pool = viewReaderPool({
      databaseUrl,
      logger,
      queryTimeoutMs,
      max: 4,
      name: 'recipients',
      what: 'reminder recipient reader',
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

  close(): Promise<void> {
    return this.pool.end();
  }
}

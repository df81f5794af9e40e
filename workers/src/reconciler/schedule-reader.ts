import type pg from 'pg';
import { SCHEDULE_VIEW, type ScheduleRow } from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { viewReaderPool } from '../database/view-reader-pool.js';

interface ViewRow {
  task_id: string;
  user_id: string;
  version: number;
  status: 'pending' | 'completed';
  due_date: Date | null;
  reminder_at: Date | null;
  reminder_channels: string[];
  updated_at: Date;
  reminder_published: boolean;
  series_id: string | null;
  occurrence_index: number | null;
  completed_at: Date | null;
  next_instance_owed: boolean;
  title: string;
  email_enabled: boolean;
  push_enabled: boolean;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  timezone: string;
  email: string | null;
  email_verified: boolean;
}

/**
 * Reads `schedule_view` (the api's read model of owed queue work) with a role that may read
 * that view only. Rows that want something: a reminder not yet published whose time is after
 * `since` and was still ahead when the task last changed (the bridge's own rule), or a next
 * instance owed by a completion after `since`.
 */
export class ScheduleReader {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, logger: Logger, queryTimeoutMs: number) {
    this.pool = viewReaderPool({
      databaseUrl,
      logger,
      queryTimeoutMs,
      max: 2,
      name: 'reconciler',
      what: 'schedule reader',
    });
  }

  /**
   * Every row that wants a job, `pageSize` at a time, from one server-side cursor in one
   * read-only transaction: one scan of the view per pass, whatever its size (paging with
   * LIMIT would sort the whole set again for every page).
   */
  async *scan(since: Date, pageSize: number): AsyncGenerator<ScheduleRow[]> {
    const client = await this.pool.connect();
    let broken: unknown = undefined;
    let committed = false;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(
        `DECLARE schedule_scan NO SCROLL CURSOR FOR
         SELECT task_id, user_id, version, status, due_date, reminder_at, reminder_channels,
                updated_at, reminder_published, series_id, occurrence_index, completed_at,
                next_instance_owed, title, email_enabled, push_enabled, quiet_hours_start,
                quiet_hours_end, timezone, email, email_verified
         FROM ${SCHEDULE_VIEW}
         WHERE (reminder_at IS NOT NULL AND due_date > $1 AND reminder_at > $1
                AND reminder_at >= updated_at - interval '1 second' AND NOT reminder_published)
            OR (next_instance_owed AND completed_at > $1)`,
        [since],
      );
      for (;;) {
        const { rows } = await client.query<ViewRow>(`FETCH ${pageSize} FROM schedule_scan`);
        if (rows.length) yield rows.map(toScheduleRow);
        if (rows.length < pageSize) break;
      }
      await client.query('COMMIT');
      committed = true;
    } catch (error) {
      broken = error;
      throw error;
    } finally {
      // Also when the consumer stopped early (its own error ended the loop).
      if (!committed) await client.query('ROLLBACK').catch((error: unknown) => (broken ??= error));
      // A connection that failed mid-transaction is not handed out again.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function toScheduleRow(row: ViewRow): ScheduleRow {
  return {
    taskId: row.task_id,
    userId: row.user_id,
    version: row.version,
    status: row.status,
    dueDate: row.due_date,
    reminderAt: row.reminder_at,
    reminderChannels: row.reminder_channels,
    updatedAt: row.updated_at,
    reminderPublished: row.reminder_published,
    seriesId: row.series_id,
    occurrenceIndex: row.occurrence_index,
    completedAt: row.completed_at,
    nextInstanceOwed: row.next_instance_owed,
    title: row.title,
    preferences: {
      emailEnabled: row.email_enabled,
      pushEnabled: row.push_enabled,
      quietHoursStart: row.quiet_hours_start,
      quietHoursEnd: row.quiet_hours_end,
      timezone: row.timezone,
      email: row.email,
      emailVerified: row.email_verified,
    },
  };
}

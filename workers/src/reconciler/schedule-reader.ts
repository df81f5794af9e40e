import pg from 'pg';
import { SCHEDULE_VIEW, type ScheduleRow } from '@todo/contracts';
import type { Logger } from '../logger.js';

/** One page of the rows that want a queue job, after `afterTaskId` in task id order. */
export interface SchedulePage {
  rows: ScheduleRow[];
  /** Cursor of the next page, or null after the last one. */
  next: string | null;
}

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
}

const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Reads `schedule_view` (the api's read model of owed queue work) with a role that may read
 * that view only. Rows that want something: a reminder not yet published whose time is after
 * `since` and was still ahead when the task last changed (the bridge's own rule), or a next
 * instance owed by a completion after `since`.
 */
export class ScheduleReader {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, logger: Logger, queryTimeoutMs: number) {
    this.pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 2,
      connectionTimeoutMillis: queryTimeoutMs,
      query_timeout: queryTimeoutMs,
      application_name: 'todo-workers-reconciler',
    });
    this.pool.on('error', (error) =>
      logger.warn({ err: error }, 'schedule reader connection lost'),
    );
  }

  async page(since: Date, afterTaskId: string | null, limit: number): Promise<SchedulePage> {
    const { rows } = await this.pool.query<ViewRow>(
      `SELECT task_id, user_id, version, status, due_date, reminder_at, reminder_channels,
              updated_at, reminder_published, series_id, occurrence_index, completed_at,
              next_instance_owed
       FROM ${SCHEDULE_VIEW}
       WHERE task_id > $1
         AND ((reminder_at IS NOT NULL AND due_date > $2 AND reminder_at > $2
               AND reminder_at >= updated_at - interval '1 second' AND NOT reminder_published)
           OR (next_instance_owed AND completed_at > $2))
       ORDER BY task_id
       LIMIT $3`,
      [afterTaskId ?? FIRST_ID, since, limit],
    );
    return {
      rows: rows.map(toScheduleRow),
      next: rows.length === limit ? (rows[rows.length - 1]?.task_id ?? null) : null,
    };
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
  };
}

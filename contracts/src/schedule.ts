import type { NotificationPreferences } from './rest/notifications.js';

/**
 * The schedule read model: a read-only PostgreSQL view the api's migrations own and the
 * workers' reconciler reads (with a role that may read nothing else). It says, per task,
 * which BullMQ work the database still owes, so lost Redis data can be rebuilt from it.
 */
export const SCHEDULE_VIEW = 'schedule_view';

/** The role production grants `SELECT ON schedule_view` to (and nothing more). */
export const SCHEDULE_READER_ROLE = 'todo_schedule_reader';

/** One row of `schedule_view` (columns in snake_case in SQL, mapped to these names). */
export interface ScheduleRow {
  taskId: string;
  userId: string;
  /** The task's version: a reconciled job never overrides a newer one the bridge applied. */
  version: number;
  status: 'pending' | 'completed';
  dueDate: Date | null;
  /** `due − offset` when the task wants a reminder (pending, enabled, due date set), else null. */
  reminderAt: Date | null;
  reminderChannels: string[];
  /** Last change of the task: a reminder already past at that moment was never wanted. */
  updatedAt: Date;
  /** True once the api published `reminder.due` for this task at `reminderAt`. */
  reminderPublished: boolean;
  seriesId: string | null;
  occurrenceIndex: number | null;
  completedAt: Date | null;
  /** A completed instance of a live series whose next instance does not exist yet. */
  nextInstanceOwed: boolean;
  /** The task's title, for the reminder's text (migration 009). */
  title: string;
  /** The owner's notification preferences now (defaults if never saved; migration 009) and address (011). */
  preferences: ReminderPreferences;
}

/**
 * The owner's preferences a reminder is delivered by: channels, quiet hours, time zone, and
 * the address reminder mail goes to (the account's, with whether it was verified; migration
 * 011). The address is optional on the wire: events from before it travelled carry none.
 */
export type ReminderPreferences = Pick<
  NotificationPreferences,
  'emailEnabled' | 'pushEnabled' | 'quietHoursStart' | 'quietHoursEnd' | 'timezone'
> & { email?: string | null; emailVerified?: boolean };

/**
 * The delayed job of one task's reminder at one time, `reminder-{taskId}-{epochMs}`. Part of
 * the contract because the api records published reminders under this id (its dedupe key)
 * and `schedule_view` derives `reminder_published` from it.
 */
export const reminderJobId = (taskId: string, at: Date): string =>
  `reminder-${taskId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${at.getTime()}`;

/**
 * The next-instance job of one completion: the completed task at the version it was completed
 * with. The bridge (from the `completed` event's snapshot) and the reconciler (from the view)
 * derive the same id, so a rebuilt job never runs beside the original.
 */
export const nextInstanceJobId = (taskId: string, version: number): string =>
  `next-instance-${taskId.replace(/[^A-Za-z0-9_.-]/g, '_')}-v${version}`;

/**
 * Who a task's reminder goes to now: the assignee while they are a member of the task's list,
 * else every member who opted in for the list's reminders (ADR 376). A read-only view the
 * api's migration 019 owns; the workers read it, as the role that reads `schedule_view`, when a
 * reminder fires (never from what the job was scheduled with), and the api checks a recipient
 * against it again when it stores their notification. Columns are only ever added.
 */
export const REMINDER_RECIPIENT_VIEW = 'reminder_recipient_view';

/** One recipient of a task's reminder, with their own delivery preferences and address. */
export interface ReminderRecipient {
  userId: string;
  preferences: ReminderPreferences;
}

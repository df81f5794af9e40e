import type { NotificationChannel, ReminderPreferences } from '@todo/contracts';

/**
 * `recurrence` queue, job `next-instance`: a recurring task was completed; the job publishes
 * `occurrence.due` for the series' next instance.
 */
export interface NextInstanceJob {
  taskId: string;
  userId: string;
  /** The version the task was completed with: with the task id, it names the occurrence. */
  version: number;
  seriesId: string;
  /** The completed instance's index (the new one takes the next). */
  occurrenceIndex: number;
  /** When the completion happened (event time), to measure next-instance latency. */
  completedAt: string;
  correlationId: string;
}

/** What a reminder says and how its owner wants it delivered, from the event or the view. */
export interface ReminderDetails {
  title: string;
  dueDate: string;
  channels: NotificationChannel[];
  preferences: ReminderPreferences;
}

/** `reminders` queue, job `fire`: a delayed job that runs at the reminder time. */
export interface FireReminderJob extends ReminderDetails {
  taskId: string;
  userId: string;
  scheduledFor: string;
  correlationId: string;
}

/** `notifications` queue, job `reminder`: a fired reminder to route into a batch. */
export interface ReminderIntakeJob {
  /** One intake per fired reminder and recipient (`recipientReminderId`). */
  reminderId: string;
  correlationId: string;
  /**
   * The fire job's data as scheduled (the task owner's), or, in the batch, the recipient's
   * copy of it: `userId` and `preferences` are the recipient's.
   */
  reminder: FireReminderJob;
  /**
   * Who it is for, when the recipients were read from the database (ADR 376): the held
   * intake job carries only this id, and reads the recipient again (are they still one? their
   * preferences now?) when their quiet hours end. Absent: the owner, from `reminder`.
   */
  recipientId?: string;
}

/** `notifications` queue, job `deliver`: one batch of a user's reminders to send. */
export interface DeliverBatchJob {
  userId: string;
  batchId: string;
  correlationId: string;
}

/** `notifications` queue, job `test`: the user asked for a test notification in Settings. */
export interface TestNotificationJob {
  userId: string;
  requestId: string;
  preferences: ReminderPreferences;
  correlationId: string;
}

export const JOB_NAMES = {
  nextInstance: 'next-instance',
  fireReminder: 'fire',
  reminderIntake: 'reminder',
  deliverBatch: 'deliver',
  testNotification: 'test',
} as const;

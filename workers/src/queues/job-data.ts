import type { ReminderDueData } from '@todo/contracts';

/** `recurrence` queue, job `next-instance`: a recurring task was completed. */
export interface NextInstanceJob {
  taskId: string;
  userId: string;
  eventId: string;
  /** When the completion happened (event time), to measure next-instance latency. */
  completedAt: string;
  correlationId: string;
}

/** `reminders` queue, job `fire`: a delayed job that runs at the reminder time. */
export interface FireReminderJob {
  taskId: string;
  userId: string;
  scheduledFor: string;
  correlationId: string;
}

/** `notifications` queue, job `reminder`: a `reminder.due` event to route into a batch. */
export interface ReminderIntakeJob {
  eventId: string;
  correlationId: string;
  reminder: ReminderDueData;
}

/** `notifications` queue, job `deliver`: one batch of a user's reminders to send. */
export interface DeliverBatchJob {
  userId: string;
  batchId: string;
  correlationId: string;
}

export const JOB_NAMES = {
  nextInstance: 'next-instance',
  fireReminder: 'fire',
  reminderIntake: 'reminder',
  deliverBatch: 'deliver',
} as const;

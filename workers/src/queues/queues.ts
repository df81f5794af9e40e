import { Queue, type DefaultJobOptions } from 'bullmq';
import { QUEUES } from '@todo/contracts';
import type { WorkersConfig } from '../config.js';
import type {
  DeliverBatchJob,
  FireReminderJob,
  NextInstanceJob,
  ReminderIntakeJob,
  TestNotificationJob,
} from './job-data.js';

/** Retries with exponential backoff; failed jobs are kept (the dead-letter view in Bull Board). */
export function defaultJobOptions(config: WorkersConfig): DefaultJobOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}

/** Redis options of the producers: fail fast while Redis is down, so the bridge can say RETRY. */
export function producerConnection(config: WorkersConfig) {
  return { url: config.REDIS_URL, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
}

/** Redis options of the workers (BullMQ forces unlimited retries on their blocking client). */
export function workerConnection(config: WorkersConfig) {
  return { url: config.REDIS_URL };
}

export interface Queues {
  recurrence: Queue<NextInstanceJob>;
  reminders: Queue<FireReminderJob>;
  notifications: Queue<ReminderIntakeJob | DeliverBatchJob | TestNotificationJob>;
}

export function createQueues(config: WorkersConfig): Queues {
  const options = {
    connection: producerConnection(config),
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: defaultJobOptions(config),
  };
  return {
    recurrence: new Queue<NextInstanceJob>(QUEUES.recurrence, options),
    reminders: new Queue<FireReminderJob>(QUEUES.reminders, options),
    notifications: new Queue<ReminderIntakeJob | DeliverBatchJob | TestNotificationJob>(
      QUEUES.notifications,
      options,
    ),
  };
}

export const allQueues = (queues: Queues): Queue[] => [
  queues.recurrence,
  queues.reminders,
  queues.notifications,
];

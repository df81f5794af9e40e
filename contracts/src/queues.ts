/** BullMQ queue names. Job ids derive from CloudEvent ids (redelivery = same job). */
export const QUEUES = {
  recurrence: 'recurrence',
  reminders: 'reminders',
  notifications: 'notifications',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

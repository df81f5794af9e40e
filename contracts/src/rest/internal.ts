import Joi from 'joi';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from './notifications.js';
import type { Task } from './tasks.js';

/**
 * Service-to-service endpoints of the api (`/internal/v1`, bearer INTERNAL_API_TOKEN),
 * used by the workers. Never exposed through the public ingress.
 */
export const INTERNAL_BASE_PATH = '/internal/v1';

/** `POST /internal/v1/tasks/{id}/next-instance` */
export interface NextInstanceRequest {
  /** CloudEvent id of the `task.completed` event; the idempotency key. */
  eventId: string;
}
export const nextInstanceRequestSchema = Joi.object<NextInstanceRequest>({
  eventId: Joi.string().min(1).max(200).required(),
});
export interface NextInstanceResponse {
  created: boolean;
  task: Task | null;
  reason?: 'series-ended' | 'not-completed' | 'already-created';
}

/** `POST /internal/v1/tasks/{id}/reminder-due` */
export interface ReminderDueRequest {
  scheduledFor: string;
  /** Deterministic BullMQ job id; publishing twice for one job id is a no-op. */
  jobId: string;
}
export const reminderDueRequestSchema = Joi.object<ReminderDueRequest>({
  scheduledFor: Joi.string().isoDate().required(),
  jobId: Joi.string().min(1).max(200).required(),
});
export interface ReminderDueResponse {
  outcome: 'published' | 'already-published' | 'stale';
}

/** `POST /internal/v1/notifications` */
export interface CreateNotificationRequest {
  userId: string;
  title: string;
  body: string;
  taskIds: string[];
  channels: NotificationChannel[];
  idempotencyKey: string;
}
export const createNotificationRequestSchema = Joi.object<CreateNotificationRequest>({
  userId: Joi.string().min(1).max(200).required(),
  title: Joi.string().min(1).max(255).required(),
  body: Joi.string().min(1).max(5000).required(),
  taskIds: Joi.array().items(Joi.string().guid()).required(),
  channels: Joi.array()
    .items(Joi.string().valid(...NOTIFICATION_CHANNELS))
    .unique()
    .required(),
  idempotencyKey: Joi.string().min(1).max(200).required(),
});

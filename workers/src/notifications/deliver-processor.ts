import type { Job } from 'bullmq';
import {
  REMINDER_FIRED_TYPE,
  TOPICS,
  WORKERS_EVENT_SOURCE,
  type NotificationChannel,
  type ReminderFiredEvent,
} from '@todo/contracts';
import type { EventPublisher } from '../events/event-publisher.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { DeliverBatchJob } from '../queues/job-data.js';
import type { BatchStore } from './batch-store.js';
import type { ChannelSenders } from './channels.js';
import { composeNotification } from './compose.js';

export interface DeliverDeps {
  batches: BatchStore;
  senders: ChannelSenders;
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
}

export interface DeliverResult {
  eventId: string | null;
  taskIds: string[];
  channels: NotificationChannel[];
}

/**
 * The batch is complete (no other reminder of the user due in its window, or the window
 * closed): one notification for the whole batch, published as
 * `reminder.fired` (the api stores the inbox row, the socket nodes push it from there), then
 * sent on each allowed channel, each at most once per batch even across retries. The in-app
 * notification comes first, so a failing channel never holds it back; the event id and the
 * idempotency key name the batch, so a retried delivery publishes the same event again,
 * which the api stores once.
 */
export function deliverProcessor({ batches, senders, publisher, logger, metrics }: DeliverDeps) {
  return async (job: Job<DeliverBatchJob>): Promise<DeliverResult> => {
    const { userId, batchId, correlationId } = job.data;
    const items = await batches.close(userId, batchId);
    if (items.length === 0) {
      logger.info({ batchId }, 'notification batch already delivered');
      return { eventId: null, taskIds: [], channels: [] };
    }
    const taskIds = [...new Set(items.map((item) => item.reminder.taskId))];
    const channels = [...new Set(items.flatMap((item) => item.channels))].sort();
    const { title, body } = composeNotification(items);
    const notification = { title, body, idempotencyKey: `batch-${batchId}` };
    const event: ReminderFiredEvent = {
      specversion: '1.0',
      id: `reminder-fired-${batchId}`,
      source: WORKERS_EVENT_SOURCE,
      type: REMINDER_FIRED_TYPE,
      subject: `notifications/${notification.idempotencyKey}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      userid: userId,
      correlationid: correlationId,
      data: {
        userId,
        title,
        body,
        channels,
        reminders: items.map((item) => ({
          taskId: item.reminder.taskId,
          scheduledFor: item.reminder.scheduledFor,
        })),
        idempotencyKey: notification.idempotencyKey,
      },
    };
    await publisher.publish(TOPICS.reminders, event);
    for (const channel of channels) {
      if (await batches.wasSent(batchId, channel)) continue;
      const channelTaskIds = items
        .filter((item) => item.channels.includes(channel))
        .map((item) => item.reminder.taskId);
      await senders[channel].send({ channel, userId, taskIds: channelTaskIds, notification });
      await batches.markSent(batchId, channel);
      metrics.deliveries.inc({ channel });
    }
    await batches.finish(batchId);
    logger.info(
      { batchId, eventId: event.id, taskIds, channels, reminders: items.length },
      'notification delivered; reminder.fired published',
    );
    return { eventId: event.id, taskIds, channels };
  };
}

import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { NotificationChannel } from '@todo/contracts';
import type { InternalApiClient } from '../api-client/internal-api-client.js';
import { ApiRequestError } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { DeliverBatchJob } from '../queues/job-data.js';
import type { BatchStore } from './batch-store.js';
import type { ChannelSenders } from './channels.js';
import { composeNotification } from './compose.js';
import type { SocketPush } from './socket-push.js';

export interface DeliverDeps {
  api: InternalApiClient;
  batches: BatchStore;
  senders: ChannelSenders;
  socket: SocketPush;
  logger: Logger;
  metrics: Metrics;
}

export interface DeliverResult {
  notificationId: string | null;
  taskIds: string[];
  channels: NotificationChannel[];
}

/**
 * The batching window closed: one notification for the whole batch, stored in the inbox
 * (idempotent per batch), sent on each allowed channel (each at most once per batch, even
 * across retries) and pushed live to the user's sockets.
 */
export function deliverProcessor({ api, batches, senders, socket, logger, metrics }: DeliverDeps) {
  return async (job: Job<DeliverBatchJob>): Promise<DeliverResult> => {
    const { userId, batchId } = job.data;
    const items = await batches.close(userId, batchId);
    if (items.length === 0) {
      logger.info({ batchId }, 'notification batch already delivered');
      return { notificationId: null, taskIds: [], channels: [] };
    }
    const taskIds = [...new Set(items.map((item) => item.reminder.taskId))];
    const channels = [...new Set(items.flatMap((item) => item.channels))].sort();
    const { title, body } = composeNotification(items);
    let notification;
    try {
      notification = await api.createNotification({
        userId,
        title,
        body,
        taskIds,
        channels,
        idempotencyKey: `batch-${batchId}`,
      });
    } catch (error) {
      if (error instanceof ApiRequestError && error.permanent)
        throw new UnrecoverableError(error.message);
      throw error;
    }
    for (const channel of channels) {
      if (await batches.wasSent(batchId, channel)) continue;
      const channelTaskIds = items
        .filter((item) => item.channels.includes(channel))
        .map((item) => item.reminder.taskId);
      await senders[channel].send({ channel, userId, taskIds: channelTaskIds, notification });
      await batches.markSent(batchId, channel);
      metrics.deliveries.inc({ channel });
    }
    socket.notify(notification);
    await batches.finish(batchId);
    logger.info(
      { batchId, notificationId: notification.id, taskIds, channels, reminders: items.length },
      'notification delivered',
    );
    return { notificationId: notification.id, taskIds, channels };
  };
}

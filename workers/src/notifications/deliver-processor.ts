import { UnrecoverableError, type Job } from 'bullmq';
import {
  DELIVERY_REPORTED_TYPE,
  REMINDER_FIRED_TYPE,
  TOPICS,
  WORKERS_EVENT_SOURCE,
  type ChannelDelivery,
  type CloudEvent,
  type DeliveryReportedData,
  type NotificationChannel,
  type ReminderFiredEvent,
} from '@todo/contracts';
import type { EventPublisher } from '../events/event-publisher.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { DeliverBatchJob } from '../queues/job-data.js';
import type { BatchItem, BatchStore } from './batch-store.js';
import { initialDelivery, type ChannelSenders, type Delivery } from './channels.js';
import { composeNotification } from './compose.js';
import { describe } from './email-sender.js';

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
  deliveries?: ChannelDelivery[];
}

/** A workers event on `reminders`, partitioned (and owned) by the user. */
export function workersEvent<T, K extends string>(
  type: K,
  id: string,
  userId: string,
  correlationId: string,
  subject: string,
  data: T,
): CloudEvent<T, K> {
  return {
    specversion: '1.0',
    id,
    source: WORKERS_EVENT_SOURCE,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: userId,
    correlationid: correlationId,
    data,
  };
}

/**
 * Sends one notification on each of its pending channels, each at most once across retries
 * (the outcome is kept per channel until the batch finishes), then reports every outcome as
 * `notification.delivery-reported` (the api records it on the inbox row). A channel that
 * throws does not stop the others: after the report, a transient failure is rethrown so the
 * job retries the channels left (with backoff); a permanent one, or a transient one on the
 * last attempt, is reported `failed` and ends the job in the failed set.
 */
export async function sendOnChannels(
  job: Job,
  key: string,
  deliveries: Omit<Delivery, 'channel'> & {
    channels: NotificationChannel[];
    /** What differs per channel (a reminder asked for email only is not in the push). */
    perChannel?: (channel: NotificationChannel) => Pick<Delivery, 'taskIds' | 'reminders' | 'kind'>;
  },
  deps: DeliverDeps,
): Promise<ChannelDelivery[]> {
  const { batches, senders, publisher, logger, metrics } = deps;
  const { channels, perChannel, ...delivery } = deliveries;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const reports: ChannelDelivery[] = [];
  let retry: unknown = null;
  let final: unknown = null;
  for (const channel of channels) {
    const known = await batches.outcome(key, channel);
    if (known) {
      reports.push(known);
      continue;
    }
    let outcome: ChannelDelivery;
    try {
      const sent = await senders[channel].send({ ...delivery, ...perChannel?.(channel), channel });
      outcome =
        sent?.status === 'skipped'
          ? { channel, status: 'skipped', reason: sent.reason, at: new Date().toISOString() }
          : { channel, status: 'sent', reason: null, at: new Date().toISOString() };
    } catch (error) {
      const permanent = error instanceof UnrecoverableError;
      logger.warn(
        { err: error, channel, key, permanent, attempt: job.attemptsMade + 1 },
        `${channel} delivery failed`,
      );
      if (!permanent && !lastAttempt) {
        retry ??= error;
        continue;
      }
      final ??= error;
      outcome = {
        channel,
        status: 'failed',
        reason: describe(error),
        at: new Date().toISOString(),
      };
    }
    await batches.markSent(key, outcome);
    metrics.deliveries.inc({ channel, status: outcome.status });
    reports.push(outcome);
  }
  if (reports.length) {
    const data: DeliveryReportedData = {
      userId: delivery.userId,
      idempotencyKey: delivery.notification.idempotencyKey,
      deliveries: reports,
    };
    // One id per set of outcomes: a retry that decided nothing new publishes the same event.
    const decided = reports.map((r) => `${r.channel}.${r.status}`).join('-');
    await publisher.publish(
      TOPICS.reminders,
      workersEvent(
        DELIVERY_REPORTED_TYPE,
        `delivery-reported-${key}-${decided}`,
        delivery.userId,
        job.data.correlationId as string,
        `notifications/${delivery.notification.idempotencyKey}`,
        data,
      ),
    );
  }
  if (final) throw new UnrecoverableError(`delivery failed for good: ${describe(final)}`);
  if (retry) throw retry;
  return reports;
}

/** The one notification of a batch, as `reminder.fired` carries it to the api. */
function batchEvent(userId: string, batchId: string, correlationId: string, items: BatchItem[]) {
  const taskIds = [...new Set(items.map((item) => item.reminder.taskId))];
  const channels = [...new Set(items.flatMap((item) => item.channels))].sort();
  const requested = [...new Set(items.flatMap((item) => item.reminder.channels))].sort();
  const { title, body } = composeNotification(items);
  const notification = { title, body, idempotencyKey: `batch-${batchId}` };
  const now = new Date();
  const event: ReminderFiredEvent = workersEvent(
    REMINDER_FIRED_TYPE,
    `reminder-fired-${batchId}`,
    userId,
    correlationId,
    `notifications/${notification.idempotencyKey}`,
    {
      userId,
      title,
      body,
      channels,
      reminders: items.map((item) => ({
        taskId: item.reminder.taskId,
        scheduledFor: item.reminder.scheduledFor,
      })),
      idempotencyKey: notification.idempotencyKey,
      deliveries: requested.map((c) => initialDelivery(c, channels.includes(c), now)),
    },
  );
  return { event, notification, taskIds, channels };
}

/**
 * Publishes a lone batch's `reminder.fired` from the job that formed it, without waiting for
 * the delivery job (ADR 280): the batch was closed when it formed, so its content is final
 * and the event is the very one the delivery job would publish (same id, same reminders).
 * Marked published, so the delivery job then only sends the other channels.
 */
export async function publishLoneBatch(
  deps: Pick<DeliverDeps, 'batches' | 'publisher'>,
  batch: DeliverBatchJob,
): Promise<void> {
  const items = await deps.batches.close(batch.userId, batch.batchId);
  if (items.length === 0) return; // delivered and finished already
  const { event } = batchEvent(batch.userId, batch.batchId, batch.correlationId, items);
  await deps.publisher.publish(TOPICS.reminders, event);
  await deps.batches.markPublished(batch.batchId);
}

/**
 * The batch is complete (no other reminder of the user due in its window, or the window
 * closed): one notification for the whole batch, published as `reminder.fired` (the api
 * stores the inbox row with each channel's status, pending or skipped by the preferences;
 * the socket nodes push it from there) unless its intake already did (a lone batch), then
 * sent on each allowed channel. The in-app notification comes first, so a failing channel
 * never holds it back; the event id and the idempotency key name the batch, so a retried
 * delivery publishes the same event again, which the api stores once.
 */
export function deliverProcessor(deps: DeliverDeps) {
  const { batches, publisher, logger } = deps;
  return async (job: Job<DeliverBatchJob>): Promise<DeliverResult> => {
    const { userId, batchId, correlationId } = job.data;
    const items = await batches.close(userId, batchId);
    if (items.length === 0) {
      logger.info({ batchId }, 'notification batch already delivered');
      return { eventId: null, taskIds: [], channels: [] };
    }
    const { event, notification, taskIds, channels } = batchEvent(
      userId,
      batchId,
      correlationId,
      items,
    );
    if (!(await batches.published(batchId))) await publisher.publish(TOPICS.reminders, event);
    // The latest item carries the freshest zone and address the intake saw.
    const latest = items[items.length - 1]!;
    const preferences = {
      ...latest.reminder.preferences,
      timezone: latest.timeZone ?? latest.reminder.preferences.timezone,
      email:
        latest.email !== undefined ? latest.email : (latest.reminder.preferences.email ?? null),
      emailVerified: latest.emailVerified ?? latest.reminder.preferences.emailVerified,
    };
    const deliveries = await sendOnChannels(
      job,
      batchId,
      {
        channels,
        userId,
        taskIds,
        notification,
        kind: items.length === 1 ? 'reminder' : 'digest',
        reminders: items.map(({ reminder }) => ({
          taskId: reminder.taskId,
          title: reminder.title,
          dueDate: reminder.dueDate,
        })),
        preferences,
        perChannel: (channel) => {
          const own = items.filter((item) => item.channels.includes(channel));
          return {
            taskIds: [...new Set(own.map((item) => item.reminder.taskId))],
            kind: own.length === 1 ? 'reminder' : 'digest',
            reminders: own.map(({ reminder }) => ({
              taskId: reminder.taskId,
              title: reminder.title,
              dueDate: reminder.dueDate,
            })),
          };
        },
      },
      deps,
    );
    await batches.finish(batchId);
    logger.info(
      { batchId, eventId: event.id, taskIds, deliveries, reminders: items.length },
      'notification delivered; reminder.fired published',
    );
    return { eventId: event.id, taskIds, channels, deliveries };
  };
}

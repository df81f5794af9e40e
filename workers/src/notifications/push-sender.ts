import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import webpush from 'web-push';
import {
  PUSH_SUBSCRIPTION_GONE_TYPE,
  TOPICS,
  WORKERS_EVENT_SOURCE,
  pushSubscriptionGoneEventId,
  type PushPayload,
  type PushSubscriptionGoneEvent,
  type PushSubscriptionRow,
} from '@todo/contracts';
import { currentContext, type Logger } from '@todo/platform';
import type { EventPublisher } from '../events/event-publisher.js';
import type { ChannelSender, SendOutcome, Delivery } from './channels.js';
import type { PushSubscriptionSource } from './push-subscriptions.js';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:` contact the push services may use to reach the operator. */
  subject: string;
}

export interface PushSenderOptions {
  subscriptions: PushSubscriptionSource;
  redis: Redis;
  /** Redis key prefix (the queue prefix), so test runs never share sent-device records. */
  prefix: string;
  publisher: EventPublisher;
  vapid: VapidKeys;
  /** How long a push service keeps a message for an offline device. */
  ttlSeconds: number;
  timeoutMs: number;
  logger: Logger;
}

/** A push service refused or failed a request that a retry may get through. */
export class PushDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where a click on the notification leads: the task, or the inbox for a batch. */
export function pushUrl(taskIds: string[]): string {
  return taskIds.length === 1 ? `/tasks?task=${encodeURIComponent(taskIds[0]!)}` : '/inbox';
}

/**
 * The JSON a device decrypts. `notification` is what Angular's service worker shows;
 * `onActionClick.default` makes a click open (or focus) the app at `url`.
 */
export function pushPayload(delivery: Delivery): PushPayload {
  const url = pushUrl(delivery.taskIds);
  return {
    notification: {
      title: delivery.notification.title,
      body: delivery.notification.body,
      tag: delivery.notification.idempotencyKey,
      data: {
        url,
        taskIds: delivery.taskIds,
        onActionClick: { default: { operation: 'navigateLastFocusedOrOpen', url } },
      },
    },
  };
}

/** A push `Topic` (RFC 8030: ≤ 32 base64url characters): the service replaces, not repeats. */
const topicOf = (idempotencyKey: string) =>
  createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);

const SENT_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Web Push with VAPID (RFC 8292) and aes128gcm payloads (RFC 8291), to every device of the
 * user: `web-push` builds the signed, encrypted request; it goes out with fetch so the
 * answer is ours to read. Each device gets a batch once: a device that accepted is recorded
 * in Redis, so the retry after another device's failure skips it. A 404/410 means the device
 * is gone: `push-subscription.gone` asks the api to delete it. Anything else fails the
 * delivery job, which retries with backoff and ends in Bull Board's failed set.
 */
export class PushSender implements ChannelSender {
  constructor(private readonly options: PushSenderOptions) {}

  async send(delivery: Delivery): Promise<SendOutcome | void> {
    const { subscriptions, redis, prefix, logger } = this.options;
    const devices = await subscriptions.forUser(delivery.userId);
    if (devices.length === 0) {
      // Said on the inbox row, so "push: sent" never claims a device that does not exist.
      logger.info({ userId: delivery.userId }, 'push: the user has no devices subscribed');
      return { status: 'skipped', reason: 'no device has turned on notifications' };
    }
    const sentKey = `${prefix}:push-sent:${delivery.notification.idempotencyKey}`;
    const payload = JSON.stringify(pushPayload(delivery));
    const failures: string[] = [];
    for (const device of devices) {
      if (await redis.sismember(sentKey, device.id)) continue;
      const status = await this.post(
        device,
        payload,
        topicOf(delivery.notification.idempotencyKey),
      ).catch((error: unknown) => {
        failures.push(`${device.id}: ${String(error)}`);
        return null;
      });
      if (status === null) continue;
      if (status === 404 || status === 410) await this.gone(device, status);
      else if (status < 200 || status >= 300) {
        failures.push(`${device.id}: push service answered ${status}`);
        continue;
      }
      await redis.multi().sadd(sentKey, device.id).expire(sentKey, SENT_TTL_SECONDS).exec();
      logger.info(
        {
          userId: delivery.userId,
          subscriptionId: device.id,
          status,
          batch: delivery.notification.idempotencyKey,
        },
        status < 300 ? 'push notification accepted by the push service' : 'push device gone',
      );
    }
    if (failures.length) throw new PushDeliveryError(`push failed for ${failures.join('; ')}`);
  }

  private async post(device: PushSubscriptionRow, payload: string, topic: string): Promise<number> {
    const { vapid, ttlSeconds, timeoutMs } = this.options;
    const request = webpush.generateRequestDetails(
      { endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
      payload,
      {
        vapidDetails: vapid,
        TTL: ttlSeconds,
        urgency: 'high',
        topic,
        contentEncoding: 'aes128gcm',
      },
    );
    const response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body ?? null,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    return response.status;
  }

  /** The push service no longer knows the device: the api deletes it (ADR 220). */
  private async gone(device: PushSubscriptionRow, status: number): Promise<void> {
    const event: PushSubscriptionGoneEvent = {
      specversion: '1.0',
      id: pushSubscriptionGoneEventId(device.id),
      source: WORKERS_EVENT_SOURCE,
      type: PUSH_SUBSCRIPTION_GONE_TYPE,
      subject: `push-subscriptions/${device.id}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      userid: device.userId,
      correlationid: currentContext()?.correlationId ?? randomUUID(),
      data: { userId: device.userId, subscriptionId: device.id, endpoint: device.endpoint, status },
    };
    await this.options.publisher.publish(TOPICS.reminders, event);
  }
}

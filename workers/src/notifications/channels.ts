import type { ChannelDelivery, NotificationChannel, ReminderPreferences } from '@todo/contracts';
import type { Logger } from '@todo/platform';

/** One delivery of a notification on one channel. */
export interface Delivery {
  channel: NotificationChannel;
  userId: string;
  taskIds: string[];
  /** What the notification says (the inbox row gets the same). */
  notification: { title: string; body: string; idempotencyKey: string };
  /** One reminder, a digest of several, or the Settings test: channels pick their template. */
  kind: 'reminder' | 'digest' | 'test';
  /** The reminders on this channel, for templates that show each (title, due time). */
  reminders: { taskId: string; title: string; dueDate: string }[];
  /** The recipient's preferences as delivery uses them: zone, and address for mail. */
  preferences: ReminderPreferences;
}

/**
 * What a send decided. Returning nothing means sent. Throwing makes the delivery job retry
 * (with backoff); throwing BullMQ's `UnrecoverableError` means it never can (the channel is
 * reported failed and the job ends in the failed set).
 */
export type SendOutcome = { status: 'sent' } | { status: 'skipped'; reason: string };

/** Sends on one channel. */
export interface ChannelSender {
  send(delivery: Delivery): Promise<SendOutcome | void>;
}

export type ChannelSenders = Record<NotificationChannel, ChannelSender>;

/**
 * The `log` transport of a channel: one structured line per delivery, for development
 * (MAIL_TRANSPORT=log) — nothing leaves the machine.
 */
export function loggingSender(channel: NotificationChannel, logger: Logger): ChannelSender {
  return {
    async send({ userId, taskIds, notification }) {
      logger.info(
        { channel, userId, taskIds, batch: notification.idempotencyKey, title: notification.title },
        `${channel} notification written to the log (${channel} log transport)`,
      );
    },
  };
}

/** The task's reminder channels that the user's preferences allow. */
export function allowedChannels(
  requested: NotificationChannel[],
  preferences: Pick<ReminderPreferences, 'emailEnabled' | 'pushEnabled'>,
): NotificationChannel[] {
  return requested.filter((channel) =>
    channel === 'email' ? preferences.emailEnabled : preferences.pushEnabled,
  );
}

/** A channel's status as a notification leaves: `pending`, or why it will not be sent. */
export function initialDelivery(
  channel: NotificationChannel,
  allowed: boolean,
  at: Date,
): ChannelDelivery {
  return allowed
    ? { channel, status: 'pending', reason: null, at: at.toISOString() }
    : { channel, status: 'skipped', reason: `${channel} is off in Settings`, at: at.toISOString() };
}

/** Every channel as its `log` transport (the defaults a real sender replaces). */
export function loggingSenders(logger: Logger): ChannelSenders {
  return { email: loggingSender('email', logger), push: loggingSender('push', logger) };
}

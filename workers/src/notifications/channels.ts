import type { NotificationChannel, ReminderPreferences } from '@todo/contracts';
import type { Logger } from '@todo/platform';

/** One delivery of a notification on one channel. */
export interface Delivery {
  channel: NotificationChannel;
  userId: string;
  taskIds: string[];
  /** What the notification says (the inbox row gets the same). */
  notification: { title: string; body: string; idempotencyKey: string };
}

/** Sends on one channel; throwing makes the delivery job retry. */
export interface ChannelSender {
  send(delivery: Delivery): Promise<void>;
}

export type ChannelSenders = Record<NotificationChannel, ChannelSender>;

/** Email and push are simulated: one structured log line per delivery. */
export function loggingSenders(logger: Logger): ChannelSenders {
  const sender = (channel: NotificationChannel): ChannelSender => ({
    async send({ userId, taskIds, notification }) {
      logger.info(
        { channel, userId, taskIds, batch: notification.idempotencyKey, title: notification.title },
        `${channel} notification sent (simulated)`,
      );
    },
  });
  return { email: sender('email'), push: sender('push') };
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

import type { Job } from 'bullmq';
import {
  NOTIFICATION_CHANNELS,
  TEST_NOTIFICATION_FIRED_TYPE,
  TOPICS,
  type ChannelDelivery,
  type TestNotificationFiredData,
} from '@todo/contracts';
import type { TestNotificationJob } from '../queues/job-data.js';
import { allowedChannels, initialDelivery } from './channels.js';
import { sendOnChannels, workersEvent, type DeliverDeps } from './deliver-processor.js';
import { quietHoursEnd } from './quiet-hours.js';

const clock = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);

/**
 * "Send me a test notification": the inbox row at once (`notification.test-fired`, with each
 * channel pending or skipped and why), then every channel the preferences allow, reported
 * like a reminder's. Unlike a reminder it is not held for quiet hours (the user is looking
 * at the screen): the channels are skipped with that reason instead, so the test shows
 * what a reminder at this moment would do.
 */
export function testNotificationProcessor(deps: DeliverDeps) {
  return async (job: Job<TestNotificationJob>): Promise<ChannelDelivery[]> => {
    const { userId, requestId, preferences, correlationId } = job.data;
    const now = new Date();
    const quietUntil = quietHoursEnd(now, preferences);
    const enabled = allowedChannels([...NOTIFICATION_CHANNELS], preferences);
    const channels = quietUntil ? [] : enabled;
    const deliveries = NOTIFICATION_CHANNELS.map((channel) =>
      quietUntil && enabled.includes(channel)
        ? {
            channel,
            status: 'skipped' as const,
            reason: `quiet hours until ${clock(quietUntil, preferences.timezone)}`,
            at: now.toISOString(),
          }
        : initialDelivery(channel, enabled.includes(channel), now),
    );
    const idempotencyKey = `test-${requestId}`;
    const title = 'Test notification';
    const body = channels.length
      ? `Sent on ${channels.join(' and ')}; each channel's status shows here.`
      : 'No channel would send it now; each channel shows why.';
    const data: TestNotificationFiredData = { userId, title, body, deliveries, idempotencyKey };
    await deps.publisher.publish(
      TOPICS.reminders,
      workersEvent(
        TEST_NOTIFICATION_FIRED_TYPE,
        `test-fired-${requestId}`,
        userId,
        correlationId,
        `notifications/${idempotencyKey}`,
        data,
      ),
    );
    const reports = await sendOnChannels(
      job,
      idempotencyKey,
      {
        channels,
        userId,
        taskIds: [],
        notification: { title, body, idempotencyKey },
        kind: 'test',
        reminders: [],
        preferences,
      },
      deps,
    );
    await deps.batches.finish(idempotencyKey);
    return [...deliveries.filter((d) => d.status === 'skipped'), ...reports];
  };
}

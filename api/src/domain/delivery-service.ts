import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import {
  NOTIFICATION_UPDATED_TYPE,
  type ChannelDelivery,
  type DeliveryReportedData,
  type TestNotificationAccepted,
  type TestNotificationFiredData,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import {
  recordNotificationCreated,
  recordTestNotificationRequested,
} from '../data-access/events/outbox-writer.js';
import { NotificationModel, ProcessedEventModel } from '../data-access/models/index.js';
import { userAddress, userExists } from '../data-access/user-address.js';
import { inUserTransaction } from '../data-access/user-transaction.js';
import { toNotificationDto } from './notification-service.js';
import { lockUserAndGetPreferences } from './preferences-service.js';

const TEST_FIRED_CONSUMER = 'api.test-notification';
const REPORT_CONSUMER = 'api.delivery-reported';

/** `deliveries` with each reported channel replaced by its report (order: channel name). */
export function mergeDeliveries(
  current: ChannelDelivery[],
  reported: ChannelDelivery[],
): ChannelDelivery[] {
  const byChannel = new Map(current.map((d) => [d.channel, d]));
  for (const report of reported) {
    const known = byChannel.get(report.channel);
    // A late retry's report never undoes a newer one (e.g. `failed` after `sent`).
    if (!known || known.at <= report.at) byChannel.set(report.channel, report);
  }
  return [...byChannel.values()].sort((a, b) => a.channel.localeCompare(b.channel));
}

/**
 * Per-channel delivery status on inbox rows, and the "send me a test notification" request.
 * The workers decide and send; the api only records what they report (ADR 120).
 */
export class DeliveryService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  /**
   * Asks the workers (an event on `task-events`) to deliver a test notification on every
   * channel the user's preferences allow; it lands in the inbox with its per-channel status.
   */
  async requestTest(userId: string): Promise<TestNotificationAccepted> {
    const requestId = randomUUID();
    await inUserTransaction(
      this.sequelize,
      userId,
      async (transaction) => {
        const preferences = await lockUserAndGetPreferences(userId, transaction);
        const address = await userAddress(userId, transaction);
        await recordTestNotificationRequested(transaction, userId, requestId, {
          emailEnabled: preferences.emailEnabled,
          pushEnabled: preferences.pushEnabled,
          quietHoursStart: preferences.quietHoursStart,
          quietHoursEnd: preferences.quietHoursEnd,
          timezone: preferences.timezone,
          ...address,
        });
      },
      { lockInFirstQuery: true },
    );
    this.logger.info({ userId, requestId }, 'test notification requested');
    return { requestId };
  }

  /** Stores the inbox row of a delivered test notification (once per event and per key). */
  async recordTestFired(fired: TestNotificationFiredData, eventId: string): Promise<void> {
    await inUserTransaction(this.sequelize, fired.userId, async (transaction) => {
      // Under the user's lock, so an account deleted meanwhile is seen as gone.
      if (!(await userExists(fired.userId, transaction))) {
        this.logger.info(
          { userId: fired.userId, eventId },
          'test notification of a deleted account dropped',
        );
        return;
      }
      const [, first] = await ProcessedEventModel.findOrCreate({
        where: { eventId, consumer: TEST_FIRED_CONSUMER },
        transaction,
      });
      if (!first) return;
      const [model, created] = await NotificationModel.findOrCreate({
        where: { idempotencyKey: fired.idempotencyKey },
        defaults: {
          id: randomUUID(),
          userId: fired.userId,
          title: fired.title,
          body: fired.body,
          taskIds: [],
          channels: fired.deliveries.map((d) => d.channel),
          deliveries: fired.deliveries,
          idempotencyKey: fired.idempotencyKey,
          readAt: null,
        },
        transaction,
      });
      if (created) await recordNotificationCreated(transaction, toNotificationDto(model));
    });
  }

  /**
   * Records what the workers report of a notification's channels on its inbox row and
   * announces the row again. A report of a row that was never stored (its reminders were
   * stale) changes nothing.
   */
  async recordReport(report: DeliveryReportedData, eventId: string): Promise<'updated' | 'none'> {
    const outcome = await inUserTransaction(this.sequelize, report.userId, async (transaction) => {
      const [, first] = await ProcessedEventModel.findOrCreate({
        where: { eventId, consumer: REPORT_CONSUMER },
        transaction,
      });
      if (!first) return 'none' as const;
      const model = await NotificationModel.findOne({
        where: { idempotencyKey: report.idempotencyKey, userId: report.userId },
        transaction,
        lock: transaction.LOCK.UPDATE,
      });
      if (!model) return 'none' as const;
      model.deliveries = mergeDeliveries(model.deliveries ?? [], report.deliveries);
      model.changed('deliveries', true);
      await model.save({ transaction });
      await recordNotificationCreated(
        transaction,
        toNotificationDto(model),
        NOTIFICATION_UPDATED_TYPE,
      );
      return 'updated' as const;
    });
    this.logger.info(
      { userId: report.userId, key: report.idempotencyKey, outcome, deliveries: report.deliveries },
      'delivery status reported',
    );
    return outcome;
  }
}

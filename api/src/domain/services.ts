import type { Sequelize } from 'sequelize';
import type { Logger } from '@todo/platform';
import { AccountService } from './account/account-service.js';
import { DeliveryService } from './delivery-service.js';
import { ConnectionStore } from '../data-access/connection-store.js';
import { ConnectionService } from './connection-service.js';
import { ListService } from './list-service.js';
import { SharingService, type SharingHooks } from './sharing/sharing-service.js';
import { NotificationService } from './notification-service.js';
import { PushSubscriptionService } from './push-subscription-service.js';
import { PushSubscriptionRepository } from '../data-access/push-subscription-repository.js';
import { RecurrenceService } from './recurrence-service.js';
import { ReminderService } from './reminder-service.js';
import { TaskQueryService } from './task-query-service.js';
import { TaskService } from './task-service.js';
import { PortabilityService } from './portability/portability-service.js';

/** The task services every entry point uses; the chatbot is built on top (./chat/index.ts). */
export function createServices(
  sequelize: Sequelize,
  logger: Logger,
  options: { changeFeedRetentionDays?: number; sharing?: SharingHooks } = {},
) {
  const tasks = new TaskService(sequelize, logger);
  return {
    tasks,
    portability: new PortabilityService(tasks, logger),
    queries: new TaskQueryService(options.changeFeedRetentionDays),
    lists: new ListService(sequelize, logger),
    sharing: new SharingService(sequelize, logger, options.sharing),
    recurrence: new RecurrenceService(sequelize, logger),
    reminders: new ReminderService(sequelize, logger),
    notifications: new NotificationService(),
    deliveries: new DeliveryService(sequelize, logger),
    push: new PushSubscriptionService(new PushSubscriptionRepository(sequelize), logger),
    connections: new ConnectionService(new ConnectionStore(sequelize)),
    accounts: new AccountService(sequelize, logger),
  };
}

export type Services = ReturnType<typeof createServices>;

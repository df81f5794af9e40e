import type { Sequelize } from 'sequelize';
import { NotificationPreferenceModel } from './notification-preference.js';
import { NotificationModel } from './notification.js';
import { OutboxEventModel } from './outbox-event.js';
import { ProcessedEventModel } from './processed-event.js';
import { RecurrencePatternModel } from './recurrence-pattern.js';
import { TaskChangeModel } from './task-change.js';
import { TaskModel } from './task.js';

export {
  NotificationPreferenceModel,
  NotificationModel,
  OutboxEventModel,
  ProcessedEventModel,
  RecurrencePatternModel,
  TaskChangeModel,
  TaskModel,
};

export function initModels(sequelize: Sequelize): void {
  for (const model of [
    TaskModel,
    RecurrencePatternModel,
    NotificationPreferenceModel,
    NotificationModel,
    OutboxEventModel,
    TaskChangeModel,
    ProcessedEventModel,
  ]) {
    model.initialize(sequelize);
  }
}

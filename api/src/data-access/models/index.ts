import type { Sequelize } from 'sequelize';
import { ChatMessageModel } from './chat-message.js';
import {
  ConversationModel,
  type ConversationState,
  type PendingQuestion,
  type UndoStep,
} from './conversation.js';
import { ListModel } from './list.js';
import { NotificationPreferenceModel } from './notification-preference.js';
import { NotificationModel } from './notification.js';
import { OutboxEventModel } from './outbox-event.js';
import { ProcessedEventModel } from './processed-event.js';
import { RecurrencePatternModel } from './recurrence-pattern.js';
import { TaskChangeHorizonModel } from './task-change-horizon.js';
import { TaskChangeModel } from './task-change.js';
import { TaskModel } from './task.js';

export type { ConversationState, PendingQuestion, UndoStep };
export {
  ChatMessageModel,
  ConversationModel,
  ListModel,
  NotificationPreferenceModel,
  NotificationModel,
  OutboxEventModel,
  ProcessedEventModel,
  RecurrencePatternModel,
  TaskChangeHorizonModel,
  TaskChangeModel,
  TaskModel,
};

export function initModels(sequelize: Sequelize): void {
  for (const model of [
    ListModel,
    TaskModel,
    RecurrencePatternModel,
    NotificationPreferenceModel,
    NotificationModel,
    OutboxEventModel,
    TaskChangeModel,
    TaskChangeHorizonModel,
    ProcessedEventModel,
    ConversationModel,
    ChatMessageModel,
  ]) {
    model.initialize(sequelize);
  }
}

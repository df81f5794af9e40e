// Wire types come from @todo/contracts (type-only imports: nothing of joi/rrule is bundled).
export type {
  Task,
  TaskPriority,
  TaskStatus,
  TaskSort,
  TaskPage,
  CompleteTaskResult,
  Reminder,
  RecurrencePattern,
  RecurrenceFrequency,
  RecurrenceAnchor,
  TaskChange,
  TaskChangesPage,
  NotificationPreferences,
  Notification,
  NotificationPage,
  NotificationChannel,
  ErrorBody,
  FieldError,
  ConnectionAck,
  TaskUpdateMessage,
  ServerToClientEvents,
  ClientToServerEvents,
  SocketConnectErrorData,
  ChatAction,
  ChatActionType,
  ConversationSummary,
  ConversationPage,
  ChatMessagePage,
} from '@todo/contracts';

import type { NotificationChannel, RecurrencePattern, TaskPriority } from '@todo/contracts';

/** What the app sends to create or update a task (dates as ISO strings). */
export interface TaskDraft {
  title: string;
  description?: string | null;
  dueDate?: string | null;
  priority?: TaskPriority;
  tags?: string[];
  reminderOffset?: number | null;
  reminderChannels?: NotificationChannel[];
  recurrence?: RecurrencePatternInput | null;
}

/** Recurrence as sent: interval/anchor optional, server fills defaults. */
export type RecurrencePatternInput = Omit<RecurrencePattern, 'interval' | 'anchor'> & {
  interval?: number;
  anchor?: RecurrencePattern['anchor'];
};

export interface User {
  id: string;
  email: string;
  name: string;
}

/** `POST /api/v1/chat` answer (contracts' ChatResponse). */
export type { ChatResponse as ChatReply } from '@todo/contracts';

/** A stored chat message as read back (contracts' ChatMessage). */
export type { ChatMessage as StoredChatMessage } from '@todo/contracts';

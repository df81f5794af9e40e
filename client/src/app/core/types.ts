// Wire types come from @todo/contracts (type-only imports: nothing of joi/rrule is bundled).
export type {
  Task,
  TaskPriority,
  TaskStatus,
  TaskSort,
  TaskPage,
  TaskList,
  CompleteTaskResult,
  ReopenTaskResult,
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
  ChannelDelivery,
  DeliveryStatus,
  TestNotificationAccepted,
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
  // What the app sends: the request bodies as JSON (dates as ISO strings).
  CreateTaskRequest,
  UpdateTaskRequest,
  RecurrenceRequest,
  AuthUser,
  AuthSession,
  AccessToken,
} from '@todo/contracts';

/** `POST /api/v1/chat` answer (contracts' ChatResponse). */
export type { ChatResponse as ChatReply } from '@todo/contracts';

/** A stored chat message as read back (contracts' ChatMessage). */
export type { ChatMessage as StoredChatMessage } from '@todo/contracts';

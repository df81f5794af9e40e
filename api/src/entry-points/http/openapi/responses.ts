import {
  CHAT_ACTION_TYPES,
  ERROR_CODES,
  NOTIFICATION_CHANNELS,
  RECURRENCE_ANCHORS,
  RECURRENCE_FREQUENCIES,
  TASK_CHANGE_ACTIONS,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from '@todo/contracts';
import type { JsonSchema } from '../../../joi-to-json-schema.js';

/**
 * JSON Schemas of the response bodies. The response types in `@todo/contracts` are TypeScript
 * interfaces, so these are written by hand; `api/test/openapi.test.ts` validates real
 * responses against them (every object is closed and lists its required fields, so a field
 * added to or removed from a response fails that test until this file follows).
 */

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const string: JsonSchema = { type: 'string' };
const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const nullable = (schema: JsonSchema): JsonSchema => ({
  ...schema,
  type: [schema.type as string, 'null'],
});
const channels: JsonSchema = {
  type: 'array',
  items: { type: 'string', enum: [...NOTIFICATION_CHANNELS] },
  uniqueItems: true,
};

/** A closed object: every listed property is required unless named in `optional`. */
function object(
  properties: Record<string, JsonSchema>,
  description: string,
  optional: string[] = [],
): JsonSchema {
  return {
    type: 'object',
    description,
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  };
}

const describe = (schema: JsonSchema, description: string): JsonSchema => ({
  ...schema,
  description,
});

export const responseSchemas: Record<string, JsonSchema> = {
  RecurrencePattern: object(
    {
      frequency: { type: 'string', enum: [...RECURRENCE_FREQUENCIES] },
      interval: { type: 'integer', minimum: 1 },
      byWeekday: describe(
        { type: 'array', items: { type: 'integer', minimum: 0, maximum: 6 } },
        'Weekdays, 0 = Monday … 6 = Sunday.',
      ),
      byMonthday: describe(
        { type: 'integer', minimum: -1, maximum: 31, not: { const: 0 } },
        'Day of the month, 1 to 31; -1 = the last day.',
      ),
      endDate: dateTime,
      maxOccurrences: { type: 'integer', minimum: 1 },
      rrule: describe(string, 'RFC 5545 RRULE body; only for frequency "custom".'),
      anchor: describe(
        { type: 'string', enum: [...RECURRENCE_ANCHORS] },
        'Whether the next instance is scheduled from the due date or from the completion time.',
      ),
    },
    'A recurring series pattern. At most one of endDate or maxOccurrences is present; neither = the series never ends.',
    ['byWeekday', 'byMonthday', 'endDate', 'maxOccurrences', 'rrule'],
  ),

  Task: object(
    {
      id: uuid,
      userId: string,
      title: string,
      description: nullable(string),
      status: { type: 'string', enum: [...TASK_STATUSES] },
      priority: { type: 'string', enum: [...TASK_PRIORITIES] },
      tags: { type: 'array', items: string },
      dueDate: nullable(dateTime),
      reminderEnabled: { type: 'boolean' },
      reminderOffset: describe(
        nullable({ type: 'integer', minimum: 0 }),
        'Minutes before the due date the reminder fires.',
      ),
      reminderChannels: channels,
      reminderAt: describe(
        nullable(dateTime),
        'When the reminder will fire (dueDate − reminderOffset), or null when none is pending.',
      ),
      recurrence: { anyOf: [ref('RecurrencePattern'), { type: 'null' }] },
      seriesId: nullable(uuid),
      parentTaskId: nullable(uuid),
      occurrenceIndex: nullable({ type: 'integer', minimum: 1 }),
      version: describe(
        { type: 'integer', minimum: 1 },
        'Increases on every change; send it back as If-Match: "<version>" for a conditional write.',
      ),
      completedAt: nullable(dateTime),
      deletedAt: nullable(dateTime),
      createdAt: dateTime,
      updatedAt: dateTime,
    },
    'A task. Dates are ISO 8601 timestamps in UTC.',
  ),

  TaskPage: object(
    {
      items: { type: 'array', items: ref('Task') },
      nextCursor: describe(
        nullable(string),
        'Pass as `cursor` to get the next page; null on the last page.',
      ),
      changesCursor: describe(
        string,
        'Cursor of the change feed as of this response: pass it to GET /api/v1/tasks/changes?since=.',
      ),
    },
    'One page of tasks.',
  ),

  TaskList: object(
    { items: { type: 'array', items: ref('Task') } },
    'Every live instance of a recurring series, first to last.',
  ),

  CompleteTaskResult: object(
    {
      task: ref('Task'),
      nextInstance: describe(
        {
          anyOf: [
            object(
              { scheduledFor: nullable(dateTime) },
              'The next instance of the series is being created.',
            ),
            { type: 'null' },
          ],
        },
        'null when the task does not recur (or its series has ended).',
      ),
    },
    'The completed task and, for a recurring task, when its next instance is due.',
  ),

  Reminder: object(
    {
      enabled: { type: 'boolean' },
      offsetMinutes: describe(
        nullable({ type: 'integer', minimum: 0 }),
        'Minutes before the due date.',
      ),
      channels,
      scheduledFor: describe(nullable(dateTime), 'When it will fire; null when none is pending.'),
    },
    "A task's reminder.",
  ),

  TaskChange: object(
    {
      seq: describe(string, 'Position in the change feed.'),
      action: { type: 'string', enum: [...TASK_CHANGE_ACTIONS] },
      taskId: uuid,
      task: ref('Task'),
      changedFields: { type: 'array', items: string },
      timestamp: dateTime,
    },
    'One entry of the change feed.',
  ),

  TaskChangesPage: object(
    {
      changes: { type: 'array', items: ref('TaskChange') },
      nextCursor: describe(
        string,
        'Pass back as `since` to continue; equals `since` when nothing happened.',
      ),
      hasMore: { type: 'boolean' },
    },
    'Changes after a cursor, in commit order, deletions included.',
  ),

  NotificationPreferences: object(
    {
      emailEnabled: { type: 'boolean' },
      pushEnabled: { type: 'boolean' },
      quietHoursStart: describe(nullable(string), 'HH:MM in `timezone`, or null.'),
      quietHoursEnd: describe(nullable(string), 'HH:MM in `timezone`, or null.'),
      timezone: describe(
        string,
        'IANA time zone, e.g. Europe/Berlin; UTC until the user or a device sets one.',
      ),
      timezoneChosen: describe(
        { type: 'boolean' },
        'true once the user chose timezone; false while it is the default or adopted from a device.',
      ),
      defaultReminderOffset: describe(
        nullable({ type: 'integer', minimum: 0 }),
        'Minutes before the due date used for new reminders.',
      ),
    },
    "The user's notification preferences.",
  ),

  Notification: object(
    {
      id: uuid,
      userId: string,
      title: string,
      body: string,
      taskIds: { type: 'array', items: uuid },
      channels,
      readAt: nullable(dateTime),
      createdAt: dateTime,
    },
    'One entry of the inbox.',
  ),

  NotificationPage: object(
    {
      items: { type: 'array', items: ref('Notification') },
      unreadCount: { type: 'integer', minimum: 0 },
    },
    'The inbox, newest first.',
  ),

  ChatAction: object(
    {
      type: { type: 'string', enum: [...CHAT_ACTION_TYPES] },
      taskId: uuid,
      fields: describe(
        { type: 'object', additionalProperties: true },
        'The fields it set, as sent to the REST API (for tasks.listed: the filter and ids).',
      ),
    },
    'One thing the chatbot did.',
    ['taskId', 'fields'],
  ),

  ChatResponse: object(
    {
      reply: describe(string, 'What was done (or a question back), in plain words.'),
      actions: { type: 'array', items: ref('ChatAction') },
      conversationId: describe(uuid, 'Send it with the next message to continue.'),
    },
    "The chatbot's answer.",
  ),

  ConversationSummary: object(
    {
      id: describe(uuid, 'The conversationId.'),
      title: describe(
        nullable(string),
        'The start of the first user message (up to 80 characters); null before the first turn.',
      ),
      createdAt: dateTime,
      updatedAt: describe(dateTime, 'When the last turn was stored.'),
      messageCount: { type: 'integer', minimum: 0 },
    },
    'One conversation with the chatbot.',
  ),

  ConversationPage: object(
    {
      items: { type: 'array', items: ref('ConversationSummary') },
      nextCursor: describe(nullable(string), 'Pass as cursor for the next page; null on the last.'),
    },
    'Conversations, most recent activity first.',
  ),

  ChatMessage: object(
    {
      id: uuid,
      role: { type: 'string', enum: ['user', 'assistant'] },
      text: string,
      actions: describe(
        { type: 'array', items: ref('ChatAction') },
        'What the assistant did in this turn (assistant messages only).',
      ),
      createdAt: dateTime,
    },
    'One message of a conversation.',
    ['actions'],
  ),

  ChatMessagePage: object(
    {
      items: { type: 'array', items: ref('ChatMessage') },
      nextCursor: describe(
        nullable(string),
        'Pass as cursor for the messages before these; null when this page starts the conversation.',
      ),
    },
    'Messages of a conversation, oldest to newest.',
  ),

  FieldError: object(
    {
      field: describe(
        string,
        'Dotted path of the field, e.g. recurrence.byWeekday.0, or body/query.',
      ),
      message: string,
      type: describe(string, "joi's error type, e.g. string.max or object.unknown."),
    },
    'One problem with one field of a request.',
  ),

  ErrorBody: object(
    {
      error: { type: 'string', enum: Object.keys(ERROR_CODES) },
      message: describe(string, 'What went wrong, for a human (or a model) to read.'),
      details: { type: 'array', items: ref('FieldError') },
      correlationId: describe(string, 'Quote it when reporting a problem.'),
    },
    'Body of every error response.',
    ['details'],
  ),

  // Better Auth owns these bodies; only the fields a client needs are listed.
  AuthSession: {
    type: 'object',
    description:
      'A signed-in session. `token` is a session token: exchange it for a JWT at GET /api/auth/token.',
    properties: {
      token: nullable(string),
      user: {
        type: 'object',
        properties: { id: string, email: string, name: string },
        required: ['id', 'email', 'name'],
      },
    },
    required: ['token', 'user'],
  },

  AuthError: {
    type: 'object',
    description: 'Error body of the Better Auth endpoints (/api/auth/*).',
    properties: {
      code: { type: 'string', examples: ['INVALID_EMAIL_OR_PASSWORD'] },
      message: string,
    },
    required: ['message'],
  },

  AccessToken: {
    type: 'object',
    description: 'A JWT (EdDSA, valid 15 minutes): send it as Authorization: Bearer <token>.',
    properties: { token: string },
    required: ['token'],
  },
};

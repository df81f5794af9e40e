import Joi from 'joi';
import {
  changesQuerySchema,
  chatRequestSchema,
  conversationIdParamsSchema,
  createTaskSchema,
  listChatMessagesQuerySchema,
  listConversationsQuerySchema,
  listNotificationsQuerySchema,
  listTasksQuerySchema,
  recurrenceSchema,
  signInRequestSchema,
  signUpRequestSchema,
  taskIdParamsSchema,
  updatePreferencesSchema,
  updateReminderSchema,
  updateTaskSchema,
  uuid,
} from '@todo/contracts';
import { joiToJsonSchema, type JsonSchema } from '../../../joi-to-json-schema.js';
import { ref, responseSchemas } from './responses.js';

/**
 * The OpenAPI 3.1 document of the public REST API. Request schemas are generated from the joi
 * contracts the routes validate with; response schemas come from `responses.ts`. Summaries and
 * descriptions are written for a model calling these operations as tools.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type ErrorStatus = 400 | 401 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

interface RequestExample {
  summary: string;
  value: Record<string, unknown>;
}

/** One operation, as written here before it becomes an OpenAPI Operation Object. */
export interface OperationSpec {
  method: Method;
  /** OpenAPI path, `{param}` style. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description: string;
  /** Path parameters (a joi object). */
  params?: Joi.ObjectSchema;
  /** Query parameters (a joi object). */
  query?: Joi.ObjectSchema;
  /** JSON body: the joi schema the route validates with, its component name and examples. */
  body?: {
    name: string;
    schema: Joi.Schema | JsonSchema;
    examples: Record<string, RequestExample>;
    /** Descriptions of body fields (top level), put before what the converter derived. */
    notes?: Record<string, string>;
  };
  /**
   * Descriptions of parameters, for a tool caller; put before what the converter derived from
   * joi. The test checks each names a real parameter.
   */
  notes?: Record<string, string>;
  /** Accepts `If-Match: "<version>"` (409 when stale). */
  ifMatch?: boolean;
  /** The success response. */
  success: { status: 200 | 201 | 204; description: string; schema?: string; etag?: boolean };
  errors: ErrorStatus[];
  /** Better Auth's errors (`{code, message}`) with what each status means. */
  authErrors?: Record<number, string>;
  /** Omitted = bearer JWT; `[]` = public. */
  security?: Record<string, string[]>[];
}

const API = '/api/v1';
const idParams = taskIdParamsSchema;
const notificationIdParams = Joi.object({ id: uuid.required() });

const TASK_FIELD_NOTES: Record<string, string> = {
  title: 'What to do, short.',
  description: 'Longer notes; null or "" clears.',
  dueDate: 'When it is due: ISO 8601 with an offset or Z; null removes the due date.',
  priority: 'How important.',
  tags: 'Labels such as "work"; the whole list is replaced.',
  reminderOffset: 'Remind this many minutes before dueDate; null = no reminder.',
  reminderChannels: 'Where the reminder goes.',
  recurrence: 'Makes the task repeat (see RecurrenceRequest); null = once.',
};

/** PATCH takes neither reminderChannels (see the reminder) nor recurrence (see its PUT). */
const UPDATABLE_TASK_FIELD_NOTES = Object.fromEntries(
  Object.entries(TASK_FIELD_NOTES).filter(
    ([key]) => key !== 'reminderChannels' && key !== 'recurrence',
  ),
);

const RECURRENCE_FIELD_NOTES: Record<string, string> = {
  frequency: '"custom" takes an RFC 5545 rule in rrule.',
  interval: 'Every n-th period (2 = every other week with weekly).',
  byWeekday: 'Weekdays for weekly: 0 = Monday … 6 = Sunday.',
  byMonthday:
    'Day of the month for monthly, 1 to 31 (the last day in shorter months); -1 = the last day.',
  endDate:
    'Last possible occurrence (ISO 8601). Without endDate and maxOccurrences the series never ends.',
  maxOccurrences: 'How many occurrences in total. Without it and endDate the series never ends.',
  anchor:
    '"due" schedules the next one from the due date; "completion" from when it was completed.',
};

/**
 * Errors every authenticated `/api/v1` operation can answer: 503 when the database stalls
 * (every one of them checks the session there).
 */
const AUTHED: ErrorStatus[] = [401, 429, 503];
/** Errors of the limited auth calls (the api's own error body, not Better Auth's). */
const AUTH_LIMITED: ErrorStatus[] = [429];
/** Errors of an operation with a JSON body. */
const WITH_BODY: ErrorStatus[] = [400, 413, 415];

export const operations: OperationSpec[] = [
  // ---- auth (Better Auth) ------------------------------------------------------------------
  {
    method: 'post',
    path: '/api/auth/sign-up/email',
    operationId: 'signUp',
    tag: 'auth',
    summary: 'Create an account',
    description:
      'Creates an account with email and password; then call signIn. The answer is the same whether or not the address already has an account (token is null), so it never reveals which addresses are registered.',
    body: {
      name: 'SignUpRequest',
      schema: signUpRequestSchema,
      examples: {
        signUp: {
          summary: 'A new account',
          value: { email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada' },
        },
      },
    },
    success: {
      status: 200,
      description: 'Accepted: sign in next (token is null).',
      schema: 'AuthSession',
    },
    errors: [...AUTH_LIMITED, 400, 413, 415],

    security: [],
  },
  {
    method: 'post',
    path: '/api/auth/sign-in/email',
    operationId: 'signIn',
    tag: 'auth',
    summary: 'Sign in with email and password',
    description:
      'Signs in and answers a session token; exchange it for a JWT with getAccessToken. 401 when the email or password is wrong.',
    body: {
      name: 'SignInRequest',
      schema: signInRequestSchema,
      examples: {
        signIn: {
          summary: 'Sign in',
          value: { email: 'ada@example.com', password: 'correct-horse-battery' },
        },
      },
    },
    success: { status: 200, description: 'Signed in.', schema: 'AuthSession' },
    errors: [...AUTH_LIMITED, 400, 413, 415],
    authErrors: { 401: 'Wrong email or password.' },
    security: [],
  },
  {
    method: 'get',
    path: '/api/auth/token',
    operationId: 'getAccessToken',
    tag: 'auth',
    summary: 'Get a JWT for the REST API',
    description:
      'Exchanges the session token (Authorization: Bearer <session token>) for a JWT valid 15 minutes. Send the JWT as Authorization: Bearer <jwt> to every /api/v1 operation; call again when it expires.',
    success: { status: 200, description: 'A fresh JWT.', schema: 'AccessToken' },
    errors: [...AUTH_LIMITED],
    authErrors: {
      401: 'No valid session token: sign in again.',
    },
    security: [{ sessionToken: [] }],
  },

  // ---- tasks -------------------------------------------------------------------------------
  {
    method: 'get',
    path: `${API}/tasks`,
    operationId: 'listTasks',
    tag: 'tasks',
    summary: 'List or search tasks',
    description:
      'Lists the user’s tasks, newest first by default. Filter by status, priority, tag, text (q) and due-date range; page with limit and the nextCursor of the previous page. Use it to find a task’s id before changing it.',
    query: listTasksQuerySchema,
    notes: {
      status: 'Omitted = pending and completed (deleted tasks are never listed).',
      tag: 'Only tasks carrying this tag.',
      q: 'Text search in title and description (case-insensitive, substring).',
      dueBefore: 'Only tasks due strictly before this ISO 8601 time (e.g. overdue: now).',
      dueAfter: 'Only tasks due strictly after this ISO 8601 time.',
      sort: 'Sort field; a leading "-" sorts descending.',
      limit: 'Page size.',
      cursor: 'The nextCursor of the previous page.',
    },
    success: { status: 200, description: 'One page of tasks.', schema: 'TaskPage' },
    errors: [400, ...AUTHED],
  },
  {
    method: 'post',
    path: `${API}/tasks`,
    operationId: 'createTask',
    tag: 'tasks',
    summary: 'Create a task',
    description:
      'Creates a task. Only title is required. dueDate is an ISO 8601 timestamp (with offset or Z); reminderOffset is minutes before dueDate; recurrence makes it repeat.',
    body: {
      name: 'CreateTaskRequest',
      schema: createTaskSchema,
      notes: TASK_FIELD_NOTES,
      examples: {
        simple: { summary: 'Just a title', value: { title: 'Buy milk' } },
        full: {
          summary: 'Due, prioritised, tagged, with a reminder',
          value: {
            title: 'Submit the report',
            description: 'Q3 numbers',
            dueDate: '2026-12-04T17:00:00+01:00',
            priority: 'high',
            tags: ['work'],
            reminderOffset: 60,
            reminderChannels: ['push'],
          },
        },
        recurring: {
          summary: 'Every Tuesday and Thursday, for good',
          value: {
            title: 'Gym',
            dueDate: '2026-12-01T07:00:00Z',
            recurrence: { frequency: 'weekly', byWeekday: [1, 3] },
          },
        },
      },
    },
    success: {
      status: 201,
      description: 'Created. Location names the new task.',
      schema: 'Task',
      etag: true,
    },
    errors: [...WITH_BODY, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/tasks/changes`,
    operationId: 'listTaskChanges',
    tag: 'tasks',
    summary: 'Changes to tasks after a cursor',
    description:
      'The change feed: every create, update, completion and deletion after `since` (a cursor from a previous answer or from listTasks’ changesCursor), in order. Used to catch up after being offline. Changes are kept for a retention period (30 days by default); an older cursor gets 410 CURSOR_EXPIRED.',
    query: changesQuerySchema,
    notes: {
      since:
        'A cursor from a previous answer (nextCursor) or listTasks (changesCursor); 0 = from the start.',
      limit: 'At most this many changes; hasMore tells whether more follow.',
    },
    success: { status: 200, description: 'Changes after the cursor.', schema: 'TaskChangesPage' },
    errors: [400, 410, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/tasks/{id}`,
    operationId: 'getTask',
    tag: 'tasks',
    summary: 'Get a task',
    description: 'Reads one task by id. 404 when there is no such task (or it is not the user’s).',
    params: idParams,
    success: { status: 200, description: 'The task.', schema: 'Task', etag: true },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'patch',
    path: `${API}/tasks/{id}`,
    operationId: 'updateTask',
    tag: 'tasks',
    summary: 'Change a task',
    description:
      'Partial update: send only the fields to change (rename, describe, reschedule, reprioritise, retag). status "completed" completes it and "pending" reopens it. dueDate null removes the due date.',
    params: idParams,
    body: {
      name: 'UpdateTaskRequest',
      schema: updateTaskSchema,
      notes: {
        ...UPDATABLE_TASK_FIELD_NOTES,
        status: '"completed" completes the task, "pending" reopens it.',
      },
      examples: {
        reschedule: { summary: 'Move the due date', value: { dueDate: '2026-12-05T09:00:00Z' } },
        rename: {
          summary: 'Rename and raise priority',
          value: { title: 'Call mum', priority: 'high' },
        },
        reopen: { summary: 'Reopen a completed task', value: { status: 'pending' } },
      },
    },
    ifMatch: true,
    success: { status: 200, description: 'The updated task.', schema: 'Task', etag: true },
    errors: [...WITH_BODY, 404, 409, ...AUTHED],
  },
  {
    method: 'delete',
    path: `${API}/tasks/{id}`,
    operationId: 'deleteTask',
    tag: 'tasks',
    summary: 'Delete a task',
    description:
      'Deletes a task. Deleting an instance of a recurring task also ends its series (no further instances). Confirm with the user first.',
    params: idParams,
    ifMatch: true,
    success: { status: 204, description: 'Deleted.' },
    errors: [400, 404, 409, ...AUTHED],
  },
  {
    method: 'post',
    path: `${API}/tasks/{id}/complete`,
    operationId: 'completeTask',
    tag: 'tasks',
    summary: 'Mark a task done',
    description:
      'Completes a task; completing twice is a no-op. For a recurring task the answer says when the next instance is due (it is created shortly after).',
    params: idParams,
    ifMatch: true,
    success: {
      status: 200,
      description: 'The completed task and the next instance, if any.',
      schema: 'CompleteTaskResult',
      etag: true,
    },
    errors: [400, 404, 409, ...AUTHED],
  },

  // ---- recurrence --------------------------------------------------------------------------
  {
    method: 'get',
    path: `${API}/tasks/{id}/recurrence`,
    operationId: 'getTaskRecurrence',
    tag: 'recurrence',
    summary: 'How a task repeats',
    description: 'The recurrence pattern of a task’s series. 404 when the task does not repeat.',
    params: idParams,
    success: { status: 200, description: 'The pattern.', schema: 'RecurrencePattern' },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'put',
    path: `${API}/tasks/{id}/recurrence`,
    operationId: 'setTaskRecurrence',
    tag: 'recurrence',
    summary: 'Make a task repeat, or change how',
    description:
      'Sets or replaces the pattern; it applies from the next completion. Weekdays are 0 = Monday … 6 = Sunday. At most one end, endDate or maxOccurrences; neither = never ends. rrule only with frequency "custom".',
    params: idParams,
    body: {
      name: 'RecurrenceRequest',
      schema: recurrenceSchema,
      notes: RECURRENCE_FIELD_NOTES,
      examples: {
        forGood: {
          summary: 'Every Monday, with no end',
          value: { frequency: 'weekly', byWeekday: [0] },
        },
        lastDay: {
          summary: 'On the last day of every month',
          value: { frequency: 'monthly', byMonthday: -1 },
        },
        weekdays: {
          summary: 'Every weekday until the end of the year',
          value: {
            frequency: 'weekly',
            byWeekday: [0, 1, 2, 3, 4],
            endDate: '2026-12-31T23:59:59Z',
          },
        },
        monthly: {
          summary: 'On the 1st of every month, 12 times',
          value: { frequency: 'monthly', byMonthday: 1, maxOccurrences: 12 },
        },
        custom: {
          summary: 'An RFC 5545 rule',
          value: {
            frequency: 'custom',
            rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH',
            maxOccurrences: 20,
          },
        },
      },
    },
    success: { status: 200, description: 'The stored pattern.', schema: 'RecurrencePattern' },
    errors: [...WITH_BODY, 404, ...AUTHED],
  },
  {
    method: 'delete',
    path: `${API}/tasks/{id}/recurrence`,
    operationId: 'deleteTaskRecurrence',
    tag: 'recurrence',
    summary: 'Stop a task repeating',
    description:
      'Ends the series: no further instances are created; existing ones stay. 404 when the task does not repeat.',
    params: idParams,
    success: { status: 204, description: 'The series has ended.' },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/tasks/{id}/instances`,
    operationId: 'listTaskInstances',
    tag: 'recurrence',
    summary: 'Every instance of a recurring task',
    description:
      'Every live instance of the task’s series, first to last (just the task itself when it does not repeat).',
    params: idParams,
    success: { status: 200, description: 'The instances.', schema: 'TaskList' },
    errors: [400, 404, ...AUTHED],
  },

  // ---- reminders ---------------------------------------------------------------------------
  {
    method: 'get',
    path: `${API}/tasks/{id}/reminder`,
    operationId: 'getTaskReminder',
    tag: 'reminders',
    summary: 'A task’s reminder',
    description:
      'Whether the task has a reminder, how long before the due date, on which channels.',
    params: idParams,
    success: { status: 200, description: 'The reminder.', schema: 'Reminder' },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'patch',
    path: `${API}/tasks/{id}/reminder`,
    operationId: 'updateTaskReminder',
    tag: 'reminders',
    summary: 'Set, change or turn off a task’s reminder',
    description:
      'offsetMinutes is minutes before the due date (60 = an hour before; 0 = at the due time). enabled false turns it off. A reminder fires only when the task has a due date.',
    params: idParams,
    body: {
      name: 'UpdateReminderRequest',
      schema: updateReminderSchema,
      notes: {
        enabled:
          'false turns the reminder off; true turns it on (at the due time if no offset is set).',
        offsetMinutes: 'Minutes before the due date (60 = an hour before).',
        channels: 'Where to send it.',
      },
      examples: {
        hourBefore: {
          summary: 'An hour before, by push and email',
          value: { enabled: true, offsetMinutes: 60, channels: ['push', 'email'] },
        },
        off: { summary: 'Turn it off', value: { enabled: false } },
      },
    },
    success: { status: 200, description: 'The reminder now.', schema: 'Reminder' },
    errors: [...WITH_BODY, 404, ...AUTHED],
  },

  // ---- notifications -----------------------------------------------------------------------
  {
    method: 'get',
    path: `${API}/notifications`,
    operationId: 'listNotifications',
    tag: 'notifications',
    summary: 'The notification inbox',
    description: 'Notifications sent to the user (reminders), newest first, with the unread count.',
    query: listNotificationsQuerySchema,
    notes: { unread: 'true = only unread notifications.', limit: 'At most this many.' },
    success: { status: 200, description: 'The inbox.', schema: 'NotificationPage' },
    errors: [400, ...AUTHED],
  },
  {
    method: 'post',
    path: `${API}/notifications/{id}/read`,
    operationId: 'markNotificationRead',
    tag: 'notifications',
    summary: 'Mark a notification read',
    description: 'Marks one notification read; marking it again is a no-op.',
    params: notificationIdParams,
    success: { status: 200, description: 'The notification.', schema: 'Notification' },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/users/me/notifications`,
    operationId: 'getNotificationPreferences',
    tag: 'preferences',
    summary: 'Notification preferences',
    description:
      'Email/push switches, quiet hours, the user’s time zone and the default reminder offset. The time zone is the one dates without an offset are read in.',
    success: { status: 200, description: 'The preferences.', schema: 'NotificationPreferences' },
    errors: AUTHED,
  },
  {
    method: 'patch',
    path: `${API}/users/me/notifications`,
    operationId: 'updateNotificationPreferences',
    tag: 'preferences',
    summary: 'Change notification preferences',
    description:
      'Partial update. Quiet hours are HH:MM in the user’s time zone and are set (or cleared with null) together. A device-adopted zone (timezoneChosen false) never replaces a chosen one.',
    body: {
      name: 'UpdatePreferencesRequest',
      schema: updatePreferencesSchema,
      notes: {
        quietHoursStart: 'Start of quiet hours (no notifications), HH:MM; null clears.',
        quietHoursEnd: 'End of quiet hours, HH:MM; null clears.',
        timezone:
          'The user’s IANA time zone; sent without timezoneChosen it counts as the user’s choice.',
        timezoneChosen:
          'false = adopted from a device (never replaces a chosen zone); true = the user chose it.',
        defaultReminderOffset: 'Minutes before the due date for new reminders; null = none.',
      },
      examples: {
        quietHours: {
          summary: 'Quiet from 22:00 to 07:00',
          value: { quietHoursStart: '22:00', quietHoursEnd: '07:00' },
        },
        timezone: { summary: 'Move to Berlin time', value: { timezone: 'Europe/Berlin' } },
        adopt: {
          summary: 'Adopt the device’s zone (kept only while the user has not chosen one)',
          value: { timezone: 'Asia/Kolkata', timezoneChosen: false },
        },
        noEmail: { summary: 'No emails', value: { emailEnabled: false } },
      },
    },
    success: {
      status: 200,
      description: 'The preferences now.',
      schema: 'NotificationPreferences',
    },
    errors: [...WITH_BODY, ...AUTHED],
  },

  // ---- chat --------------------------------------------------------------------------------
  {
    method: 'post',
    path: `${API}/chat`,
    operationId: 'chat',
    tag: 'chat',
    summary: 'Manage tasks in plain words',
    description:
      'Sends one message to the Todo chatbot (e.g. "add buy milk tomorrow at 9", "what is overdue?", "complete the second one"). Send conversationId back to continue a conversation. The reply says what was done; actions lists it.',
    body: {
      name: 'ChatRequest',
      schema: chatRequestSchema,
      notes: {
        message: 'What the user said, in plain words.',
        conversationId: 'The conversationId of an earlier reply, to continue that conversation.',
      },
      examples: {
        start: {
          summary: 'Start a conversation',
          value: { message: 'add buy milk tomorrow at 9am' },
        },
        followUp: {
          summary: 'Continue it',
          value: {
            message: 'make it every Friday',
            conversationId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a11',
          },
        },
      },
    },
    success: { status: 200, description: 'The reply and what was done.', schema: 'ChatResponse' },
    errors: [...WITH_BODY, 404, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/chat/conversations`,
    operationId: 'listConversations',
    tag: 'chat',
    summary: 'List chat conversations',
    description:
      'The user’s conversations with the chatbot, most recent activity first, each with the start of its first message as title and its message count. Pass nextCursor back as cursor for the next page.',
    query: listConversationsQuerySchema,
    notes: {
      limit: 'At most this many conversations.',
      cursor: 'nextCursor of the previous page.',
    },
    success: { status: 200, description: 'A page of conversations.', schema: 'ConversationPage' },
    errors: [400, ...AUTHED],
  },
  {
    method: 'get',
    path: `${API}/chat/conversations/{id}/messages`,
    operationId: 'listConversationMessages',
    tag: 'chat',
    summary: 'Read a conversation back',
    description:
      'Messages of one conversation, oldest to newest: the latest ones first; nextCursor (passed as cursor) gives the messages before them. Assistant messages carry the actions taken.',
    params: conversationIdParamsSchema,
    query: listChatMessagesQuerySchema,
    notes: {
      id: 'The conversationId of a chat reply.',
      limit: 'At most this many messages.',
      cursor: 'nextCursor of the previous page: the messages before it.',
    },
    success: { status: 200, description: 'A page of messages.', schema: 'ChatMessagePage' },
    errors: [400, 404, ...AUTHED],
  },
  {
    method: 'delete',
    path: `${API}/chat/conversations/{id}`,
    operationId: 'deleteConversation',
    tag: 'chat',
    summary: 'Delete a conversation',
    description:
      'Deletes the conversation and its messages; the chatbot forgets what it referred to. Sending its conversationId to chat afterwards answers 404.',
    params: conversationIdParamsSchema,
    notes: { id: 'The conversationId to delete.' },
    success: { status: 204, description: 'Deleted.' },
    errors: [400, 404, ...AUTHED],
  },
];

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'The request is invalid: error VALIDATION_FAILED names every bad field in details (fix them all and retry), or MALFORMED_JSON.',
  },
  401: {
    name: 'Unauthenticated',
    description: 'No valid bearer token: get a fresh JWT with getAccessToken and retry.',
  },
  404: { name: 'NotFound', description: 'No such resource for this user.' },
  409: {
    name: 'Conflict',
    description:
      'If-Match named an older version: someone changed it meanwhile. Read it again before retrying.',
  },
  410: {
    name: 'CursorExpired',
    description:
      'error CURSOR_EXPIRED: the cursor is older than the change feed keeps (CHANGE_FEED_RETENTION_DAYS). Reload the list with listTasks and continue from its changesCursor.',
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is larger than the limit (BODY_LIMIT, 100 kB by default).',
  },
  415: { name: 'UnsupportedMediaType', description: 'Bodies must be application/json.' },
  429: {
    name: 'RateLimited',
    description:
      'Too many requests: wait as long as the Retry-After header says (or the RateLimit header, per user) and retry.',
  },
  503: {
    name: 'Unavailable',
    description:
      'The database is not answering right now (error UNAVAILABLE): retry after the Retry-After header’s seconds.',
  },
};

const errorBody = { 'application/json': { schema: ref('ErrorBody') } };

function parameters(spec: OperationSpec): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  const add = (where: 'path' | 'query', schema: Joi.ObjectSchema) => {
    const json = joiToJsonSchema(schema);
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description: derived, ...rest } = property;
      const description = joinText(spec.notes?.[name], derived);
      result.push({
        name,
        in: where,
        required: where === 'path' || (json.required?.includes(name) ?? false),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  if (spec.params) add('path', spec.params);
  if (spec.query) add('query', spec.query);
  if (spec.ifMatch) {
    result.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'The task version you last saw, e.g. "3": the change is refused with 409 if the task has changed since. Omit for an unconditional change.',
      // What expectedVersion() reads: a version, quoted or not, optionally weak, or `*`.
      schema: { type: 'string', pattern: '^ *((W/)?"?[0-9]{1,9}"?|\\*) *$', examples: ['"3"'] },
    });
  }
  return result;
}

const isJoi = (schema: Joi.Schema | JsonSchema): schema is Joi.Schema => Joi.isSchema(schema);

/** The JSON Schema of an operation's request body (generated from joi when it is joi). */
export function requestBodySchema(spec: OperationSpec): JsonSchema | undefined {
  if (!spec.body) return undefined;
  const schema = isJoi(spec.body.schema) ? joiToJsonSchema(spec.body.schema) : spec.body.schema;
  const notes = Object.entries(spec.body.notes ?? {});
  if (!notes.length || !schema.properties) return schema;
  const properties = { ...schema.properties };
  for (const [name, note] of notes) {
    const property = properties[name];
    if (property)
      properties[name] = { ...property, description: joinText(note, property.description) };
  }
  return { ...schema, properties };
}

const joinText = (...parts: (string | undefined)[]): string =>
  parts.filter((p): p is string => Boolean(p)).join(' ');

function operation(spec: OperationSpec): Record<string, unknown> {
  const success: Record<string, unknown> = { description: spec.success.description };
  if (spec.success.schema)
    success.content = { 'application/json': { schema: ref(spec.success.schema) } };
  const headers: Record<string, unknown> = {};
  if (spec.success.etag)
    headers.ETag = {
      description:
        'The task version, quoted ("3"): send it as If-Match to make a change conditional.',
      schema: { type: 'string' },
    };
  if (spec.success.status === 201)
    headers.Location = { description: 'Path of the new resource.', schema: { type: 'string' } };
  if (Object.keys(headers).length) success.headers = headers;

  const responses: Record<string, unknown> = { [String(spec.success.status)]: success };
  for (const status of [...new Set(spec.errors)].sort())
    responses[String(status)] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  for (const [status, description] of Object.entries(spec.authErrors ?? {}))
    responses[status] = {
      description,
      content: { 'application/json': { schema: ref('AuthError') } },
    };

  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    description: spec.description,
    ...(spec.security ? { security: spec.security } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref(spec.body.name),
                examples: spec.body.examples,
              },
            },
          },
        }
      : {}),
    responses,
  };
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** Builds the whole document (cheap, but the route caches it). */
export function buildOpenApiDocument(version = '0.1.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const requestSchemas: Record<string, JsonSchema> = {};
  for (const spec of operations) {
    (paths[spec.path] ??= {})[spec.method] = operation(spec);
    const body = requestBodySchema(spec);
    if (spec.body && body) requestSchemas[spec.body.name] = body;
  }
  shareComponents(requestSchemas);
  const responses: Record<string, unknown> = {};
  const retryAfter = {
    'Retry-After': {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'integer', minimum: 1 },
    },
  };
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES))
    responses[name] = {
      description,
      ...(status === '429' || status === '503' ? { headers: retryAfter } : {}),
      content: errorBody,
    };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Todo Chatbot API',
      version,
      description: [
        'Manage a user’s tasks: create, list and search, update, complete, delete; recurring tasks, reminders, notification preferences, and a natural-language chat endpoint.',
        'Authenticate: signUp or signIn → session token → getAccessToken → send `Authorization: Bearer <jwt>` to every /api/v1 operation.',
        'Dates are ISO 8601 timestamps; weekdays are 0 = Monday … 6 = Sunday. Every error answers `{error, message, details?, correlationId}`; a 400 names every bad field in details.',
        'Text fields never take NUL characters or unpaired UTF-16 surrogates (400 naming the field). A method a path does not list answers 405 with Allow; a database that does not answer in time, 503 with Retry-After.',
        'Not described here: health and metrics endpoints and the internal service API (`/internal/v1`), which are not public.',
      ].join('\n\n'),
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'auth', description: 'Sign up or in and get a JWT (Better Auth).' },
      { name: 'tasks', description: 'Tasks and the change feed.' },
      { name: 'recurrence', description: 'Repeating tasks.' },
      { name: 'reminders', description: 'Per-task reminders.' },
      { name: 'notifications', description: 'The notification inbox.' },
      { name: 'preferences', description: 'Notification preferences and time zone.' },
      { name: 'chat', description: 'The chatbot: task management in plain words.' },
    ],
    paths,
    components: {
      schemas: { ...requestSchemas, ...responseSchemas },
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT from GET /api/auth/token (EdDSA, 15 minutes; verify with GET /api/auth/jwks).',
        },
        sessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token answered by signUp or signIn (only for getAccessToken).',
        },
      },
    },
  };
}

/**
 * A body field whose schema is exactly another request component (e.g. createTask's
 * `recurrence` and RecurrenceRequest) becomes a `$ref` to it, so it is described once.
 */
function shareComponents(schemas: Record<string, JsonSchema>): void {
  // Compared without descriptions (annotations); a field named "description" is an object here.
  const bare = (schema: JsonSchema) =>
    JSON.stringify(schema, (key, value: unknown) =>
      key === 'description' && typeof value === 'string' ? undefined : value,
    );
  const byShape = new Map(Object.entries(schemas).map(([name, s]) => [bare(s), name]));
  const shared = (schema: JsonSchema): JsonSchema | undefined => {
    const name = byShape.get(bare(schema));
    return name ? ref(name) : undefined;
  };
  for (const schema of Object.values(schemas)) {
    const properties = schema.properties;
    if (!properties) continue;
    for (const [key, property] of Object.entries(properties)) {
      const whole = shared(property);
      const branches = Array.isArray(property.anyOf) ? (property.anyOf as JsonSchema[]) : [];
      if (whole) {
        properties[key] = { ...whole, ...pick(property, 'description', 'default') };
      } else if (branches.some((b) => shared(b))) {
        // The referenced component states its own rules: drop them from the field's description.
        let description = property.description ?? '';
        for (const branch of branches) {
          const name = byShape.get(bare(branch));
          const own = name ? schemas[name]?.description : undefined;
          if (own) description = description.replace(own, '').trim();
        }
        const { description: _old, ...rest } = property;
        properties[key] = {
          ...rest,
          anyOf: branches.map((b) => shared(b) ?? b),
          ...(description ? { description } : {}),
        };
      }
    }
  }
}

const pick = (schema: JsonSchema, ...keys: string[]): JsonSchema =>
  Object.fromEntries(keys.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));

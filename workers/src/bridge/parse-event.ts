import Joi from 'joi';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  PREFERENCES_UPDATED_TYPE,
  TASK_EVENT_TYPES,
  TASK_STATUSES,
  cloudEventEnvelopeSchema,
  preferencesUpdatedDataSchema,
  taskEventDataSchema,
  type PreferencesUpdatedEvent,
  type TaskEvent,
} from '@todo/contracts';
import { InvalidEventError } from '../errors.js';

/** The fields of the task snapshot the scheduler and the recurrence path rely on. */
const taskSnapshotSchema = Joi.object({
  id: Joi.string().guid().required(),
  userId: Joi.string().required(),
  status: Joi.string()
    .valid(...TASK_STATUSES)
    .required(),
  version: Joi.number().integer().min(0).required(),
  reminderEnabled: Joi.boolean().required(),
  reminderAt: Joi.string().isoDate().allow(null).required(),
  seriesId: Joi.string().allow(null).required(),
  occurrenceIndex: Joi.number().integer().min(1).allow(null).required(),
  title: Joi.string().required(),
  dueDate: Joi.string().isoDate().allow(null).required(),
  reminderChannels: Joi.array().items(Joi.string()).required(),
}).unknown(true);

/** The owner's preferences the reminder is delivered by. */
const preferencesSchema = Joi.object({
  emailEnabled: Joi.boolean().required(),
  pushEnabled: Joi.boolean().required(),
  quietHoursStart: Joi.string().allow(null).required(),
  quietHoursEnd: Joi.string().allow(null).required(),
  timezone: Joi.string().required(),
}).unknown(true);

const taskEventTypes: string[] = Object.values(TASK_EVENT_TYPES);

function envelope(body: unknown): { id?: string; type: string } {
  const { error, value } = cloudEventEnvelopeSchema.validate(body);
  const id = (body as { id?: unknown } | null)?.id;
  if (error)
    throw new InvalidEventError(
      `bad CloudEvent: ${error.message}`,
      typeof id === 'string' ? id : undefined,
    );
  return value as { id: string; type: string };
}

/**
 * A `task-events` CloudEvent — a task's change, or its owner's new preferences — or
 * InvalidEventError (the bridge answers DROP).
 */
export function parseTaskEvent(body: unknown): TaskEvent | PreferencesUpdatedEvent {
  const { id, type } = envelope(body);
  if (type === PREFERENCES_UPDATED_TYPE) {
    const event = body as PreferencesUpdatedEvent & { userid: string };
    const { error } = preferencesUpdatedDataSchema.validate(event.data);
    if (error) throw new InvalidEventError(`bad preferences data: ${error.message}`, id);
    if (event.data.userId !== event.userid)
      throw new InvalidEventError('userid does not match data.userId', id);
    return event;
  }
  if (!taskEventTypes.includes(type))
    throw new InvalidEventError(`unknown task event type ${type}`, id);
  const event = body as TaskEvent;
  // An event from before preferences travelled with it (a rolling upgrade): the defaults.
  if (event.data && typeof event.data === 'object' && event.data.preferences === undefined)
    event.data.preferences = { ...DEFAULT_NOTIFICATION_PREFERENCES };
  const data =
    taskEventDataSchema.validate(event.data).error ??
    taskSnapshotSchema.validate(event.data.task).error ??
    preferencesSchema.validate(event.data.preferences).error;
  if (data) throw new InvalidEventError(`bad task event data: ${data.message}`, id);
  return event;
}

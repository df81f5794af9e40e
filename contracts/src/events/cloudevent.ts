import Joi from 'joi';

/**
 * A CloudEvents 1.0 envelope as this system publishes it (structured JSON mode).
 * Extension attributes are lowercase per the spec: `userid`, `correlationid`, `traceparent`.
 */
export interface CloudEvent<T = unknown, Type extends string = string> {
  specversion: '1.0';
  /** Unique per event; consumers use it as the idempotency key. */
  id: string;
  source: string;
  type: Type;
  /** `tasks/{taskId}` */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Owner of the task; also the partition key, so one user's events stay ordered. */
  userid: string;
  correlationid: string;
  traceparent?: string;
  data: T;
}

/** Validates the envelope; `data` is checked by each topic's own schema. */
export const cloudEventEnvelopeSchema = Joi.object({
  specversion: Joi.string().valid('1.0').required(),
  id: Joi.string().min(1).max(200).required(),
  source: Joi.string().min(1).required(),
  type: Joi.string().min(1).required(),
  subject: Joi.string().min(1).required(),
  time: Joi.string().isoDate().required(),
  datacontenttype: Joi.string(),
  userid: Joi.string().min(1).required(),
  correlationid: Joi.string().min(1).required(),
  traceparent: Joi.string(),
  data: Joi.object().required(),
}).unknown(true); // Dapr adds its own attributes (pubsubname, topic, traceid, …).

/** Source attribute of events the api emits. */
export const API_EVENT_SOURCE = 'todo-api';

/** Source attribute of events the workers emit. */
export const WORKERS_EVENT_SOURCE = 'todo-workers';

import Joi from 'joi';
import type { CloudEvent } from './cloudevent.js';

/**
 * Published by the workers on `reminders` when a push service answered 404 or 410 for a
 * subscription: the browser unsubscribed or the subscription expired, and no retry will
 * change that. The api deletes the row (PostgreSQL is the truth the workers read from).
 */
export const PUSH_SUBSCRIPTION_GONE_TYPE = 'com.todo.push-subscription.gone' as const;

export interface PushSubscriptionGoneData {
  userId: string;
  subscriptionId: string;
  /** The endpoint that answered: a row re-created for another endpoint is never removed. */
  endpoint: string;
  /** The push service's status (404 or 410). */
  status: number;
}

export type PushSubscriptionGoneEvent = CloudEvent<
  PushSubscriptionGoneData,
  typeof PUSH_SUBSCRIPTION_GONE_TYPE
>;

export const pushSubscriptionGoneDataSchema = Joi.object<PushSubscriptionGoneData>({
  userId: Joi.string().min(1).max(200).required(),
  subscriptionId: Joi.string().guid().required(),
  endpoint: Joi.string().min(1).max(2048).required(),
  status: Joi.number().integer().valid(404, 410).required(),
});

/** One event per subscription: a second 410 for the same one is the same fact. */
export const pushSubscriptionGoneEventId = (subscriptionId: string): string =>
  `push-subscription-gone-${subscriptionId}`;

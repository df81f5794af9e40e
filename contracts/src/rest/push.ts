import Joi from 'joi';
import { uuid } from './common.js';

/**
 * Web Push subscriptions (one per device and browser) as the browser's
 * `PushSubscription.toJSON()` gives them: the push service's endpoint and the two keys the
 * payload is encrypted for (RFC 8291).
 */
export interface PushSubscriptionKeys {
  /** The browser's P-256 public key, uncompressed (65 bytes), base64url. */
  p256dh: string;
  /** The 16-byte authentication secret, base64url. */
  auth: string;
}

export interface CreatePushSubscriptionRequest {
  endpoint: string;
  /** Milliseconds since the epoch when the push service drops it, or null (browsers send it). */
  expirationTime?: number | null;
  keys: PushSubscriptionKeys;
}

export interface PushSubscriptionResource {
  id: string;
  endpoint: string;
  createdAt: string;
}

export interface PushSubscriptionList {
  items: PushSubscriptionResource[];
}

/** What a client needs to subscribe: the server's VAPID public key (null = push is off). */
export interface PushConfig {
  vapidPublicKey: string | null;
}

export const PUSH_ENDPOINT_MAX = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The byte length of a base64url string (padding ignored). */
function base64urlBytes(value: string): number {
  const bare = value.replace(/=+$/, '');
  return Math.floor((bare.length * 3) / 4);
}

/** A base64url string decoding to exactly `bytes` bytes (and, for a key, a leading 0x04). */
function base64urlOf(bytes: number, what: string, uncompressedPoint = false) {
  return Joi.string()
    .max(Math.ceil(bytes / 3) * 4)
    .pattern(BASE64URL)
    .custom((value: string, helpers) => {
      if (base64urlBytes(value) !== bytes) return helpers.error('any.invalid');
      // 0x04 in base64url: the first 6 bits are 000001, so the first character is 'B'.
      if (uncompressedPoint && !value.startsWith('B')) return helpers.error('any.invalid');
      return value;
    })
    .messages({
      'string.pattern.base': `{{#label}} must be base64url (${what})`,
      'string.max': `{{#label}} is too long: it must be ${bytes} bytes (${what})`,
      'any.invalid': `{{#label}} must be ${bytes} bytes (${what})`,
    });
}

/** https anywhere; http only to this machine and only outside production (test push services). */
function pushEndpointAllowed(value: string, production: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return url.hostname !== '';
  return (
    !production &&
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
  );
}

/**
 * The body of `POST /users/me/push-subscriptions`. `production` refuses anything but an https
 * endpoint; outside production, http on 127.0.0.1 or localhost is taken too (test push
 * services). Whether p256dh is a point on the curve is checked by the api (it needs crypto).
 */
export function createPushSubscriptionSchema(production: boolean) {
  return Joi.object<CreatePushSubscriptionRequest>({
    endpoint: Joi.string()
      .max(PUSH_ENDPOINT_MAX)
      .required()
      .custom((value: string, helpers) =>
        pushEndpointAllowed(value, production) ? value : helpers.error('string.pushEndpoint'),
      )
      .messages({
        'string.pushEndpoint': production
          ? '{{#label}} must be an https URL of a push service'
          : '{{#label}} must be an https URL of a push service (or http on 127.0.0.1/localhost outside production)',
      })
      .description('The push service URL the browser gave (https).'),
    expirationTime: Joi.number()
      .integer()
      .min(0)
      .allow(null)
      .description('When the push service drops the subscription (ms since the epoch), or null.'),
    keys: Joi.object<PushSubscriptionKeys>({
      p256dh: base64urlOf(65, 'an uncompressed P-256 public key', true)
        .required()
        .description("The browser's P-256 public key, uncompressed, base64url (65 bytes)."),
      auth: base64urlOf(16, 'the authentication secret')
        .required()
        .description('The authentication secret, base64url (16 bytes).'),
    })
      .required()
      .description('The keys the payload is encrypted for (RFC 8291).'),
  });
}

/** The production form, for the API document. */
export const pushSubscriptionRequestSchema = createPushSubscriptionSchema(true);

export const pushSubscriptionIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The id of one of the user’s push subscriptions.'),
});

export const deletePushSubscriptionQuerySchema = Joi.object<{ endpoint: string }>({
  endpoint: Joi.string()
    .max(PUSH_ENDPOINT_MAX)
    .required()
    .description('The endpoint of the subscription to remove (what the browser unsubscribed).'),
});

export const pushSubscriptionSchema = Joi.object<PushSubscriptionResource>({
  id: Joi.string().guid(),
  endpoint: Joi.string(),
  createdAt: Joi.string().isoDate(),
})
  .prefs({ presence: 'required' })
  .id('PushSubscription')
  .description('One device’s Web Push subscription (its keys are never returned).');

export const pushSubscriptionListSchema = Joi.object<PushSubscriptionList>({
  items: Joi.array().items(pushSubscriptionSchema),
})
  .prefs({ presence: 'required' })
  .id('PushSubscriptionList')
  .description('The user’s push subscriptions, oldest first.');

export const pushConfigSchema = Joi.object<PushConfig>({
  vapidPublicKey: Joi.string()
    .allow(null)
    .description('The VAPID public key (base64url) to subscribe with; null = push is not set up.'),
})
  .prefs({ presence: 'required' })
  .id('PushConfig')
  .description('What a browser needs to subscribe to Web Push.');

import Joi from 'joi';
import { DEFAULT_PUBSUB_NAME } from '@todo/contracts';
import { configFields, loadConfig as load } from '@todo/platform';

/** Every environment variable the workers read, validated once at start-up. */
export interface WorkersConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  /**
   * Interface to listen on: 0.0.0.0 in containers (the pod network reaches it), 127.0.0.1 under
   * `npm start` so only the gateway on the same machine can.
   */
  HOST: string;
  REDIS_URL: string;
  PUBSUB_NAME: string;
  /**
   * How `reminder.fired` and `occurrence.due` leave: `dapr` through the sidecar
   * (DAPR_HOST:DAPR_HTTP_PORT), `direct` to DIRECT_SUBSCRIBERS' declared routes. Events come
   * in the same way with either (the bridge is a plain Dapr subscriber app).
   */
  EVENT_TRANSPORT: 'direct' | 'dapr';
  /** Base URLs of the apps subscribing to the workers' topics (the api), direct transport. */
  DIRECT_SUBSCRIBERS: string[];
  DAPR_HOST: string;
  DAPR_HTTP_PORT: number;
  /**
   * Dapr app API token: when set, the bridge's routes answer 401 unless the caller (daprd, or
   * the api's direct transport) sends it in `dapr-api-token`; the direct transport sends it
   * to the api's routes in turn. Health and metrics stay open.
   */
  APP_API_TOKEN: string | undefined;
  BULL_BOARD_USER: string;
  /** Unset = Bull Board is not served (there is no way in without a credential). */
  BULL_BOARD_PASSWORD: string | undefined;
  LOG_LEVEL: string;
  /** Redis key prefix of every BullMQ queue (tests use one per file). */
  QUEUE_PREFIX: string;
  /** Reminders of one user that fall within this window become one notification. */
  NOTIFICATION_BATCH_WINDOW_MS: number;
  JOB_ATTEMPTS: number;
  /** First retry delay; each further attempt doubles it. */
  JOB_BACKOFF_MS: number;
  /** How long a worker's lock on an active job lives; a crashed worker's job is retried after it. */
  WORKER_LOCK_DURATION_MS: number;
  WORKER_STALLED_INTERVAL_MS: number;
  WORKER_CONCURRENCY: number;
  /** Longest one publish (to the sidecar, or to a direct subscriber) may take. */
  PUBLISH_TIMEOUT_MS: number;
  /** Longest the bridge waits for Redis before answering RETRY. */
  BRIDGE_TIMEOUT_MS: number;
  /**
   * PostgreSQL URL of a role that may read the api's views only: the reconciler rebuilds lost
   * jobs from `schedule_view`, a fired reminder finds its recipients in
   * `reminder_recipient_view` (ADR 376). Required in production; unset elsewhere = no
   * reconciler, and reminders go to the task owner only (logged).
   */
  DATABASE_URL: string | undefined;
  /** How often the reconciler compares the database with the queues (also on start and reconnect). */
  RECONCILE_INTERVAL_MS: number;
  /** Reminders missed by up to this much still fire (late, once); older ones are dropped. */
  RECONCILE_LOOKBACK_MS: number;
  RECONCILE_PAGE_SIZE: number;
  /**
   * How reminder mail leaves: `smtp` through SMTP_URL, `log` as one log line (development;
   * the default when SMTP_URL is unset outside production).
   */
  MAIL_TRANSPORT: 'smtp' | 'log';
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`; required for `smtp`. */
  SMTP_URL: string | undefined;
  /** The From of reminder mail, e.g. `"Todo Chatbot" <reminders@example.com>`. */
  MAIL_FROM: string;
  /** The public origin of the app: links in mail (the app, the unsubscribe link) start here. */
  PUBLIC_URL: string;
  /** Signs the unsubscribe links; the api verifies them with the same value. */
  UNSUBSCRIBE_SECRET: string;
  /**
   * VAPID key pair (base64url, as `web-push generate-vapid-keys` prints it) and contact the
   * push services see (ADR 220). Required in production; unset elsewhere = push is the log
   * channel. Push also needs DATABASE_URL (the devices are read from the database).
   */
  VAPID_PUBLIC_KEY: string | undefined;
  VAPID_PRIVATE_KEY: string | undefined;
  VAPID_SUBJECT: string;
  /** How long a push service keeps a reminder for a device that is offline. */
  PUSH_TTL_SECONDS: number;
  /** Longest one request to a push service may take (then the delivery retries). */
  PUSH_TIMEOUT_MS: number;
}

/** Comma-separated base URLs, trailing slashes dropped. */
const list = Joi.string()
  .allow('')
  .custom((value: string) =>
    value
      .split(',')
      .map((url) => url.trim().replace(/\/$/, ''))
      .filter(Boolean),
  );

export const workersConfigSchema = Joi.object<WorkersConfig>({
  NODE_ENV: configFields.nodeEnv(),
  PORT: configFields.port(3001),
  HOST: configFields.host(),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .required(),
  PUBSUB_NAME: Joi.string().default(DEFAULT_PUBSUB_NAME),
  EVENT_TRANSPORT: Joi.string().valid('direct', 'dapr').default('direct'),
  DAPR_HOST: Joi.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: Joi.number().port().default(3500),
  DIRECT_SUBSCRIBERS: list.default([]),
  APP_API_TOKEN: configFields.appApiToken(),
  BULL_BOARD_USER: Joi.string().min(1).default('admin'),
  BULL_BOARD_PASSWORD: Joi.string()
    .min(8)
    .when('NODE_ENV', { is: 'production', then: Joi.required(), otherwise: Joi.optional() }),
  LOG_LEVEL: configFields.logLevel(),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+$/)
    .default('bull'),
  NOTIFICATION_BATCH_WINDOW_MS: Joi.number().integer().min(0).max(600_000).default(500),
  JOB_ATTEMPTS: Joi.number().integer().min(1).max(100).default(8),
  JOB_BACKOFF_MS: Joi.number().integer().min(1).default(1000),
  WORKER_LOCK_DURATION_MS: Joi.number().integer().min(500).default(30_000),
  WORKER_STALLED_INTERVAL_MS: Joi.number().integer().min(500).default(30_000),
  WORKER_CONCURRENCY: Joi.number().integer().min(1).max(500).default(20),
  PUBLISH_TIMEOUT_MS: Joi.number().integer().min(100).default(5000),
  BRIDGE_TIMEOUT_MS: Joi.number().integer().min(100).default(3000),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .empty('')
    .when('NODE_ENV', { is: 'production', then: Joi.required(), otherwise: Joi.optional() }),
  RECONCILE_INTERVAL_MS: Joi.number().integer().min(200).default(60_000),
  // Below the api's 7-day retention of processed events, which tells a fired reminder apart.
  RECONCILE_LOOKBACK_MS: Joi.number()
    .integer()
    .min(0)
    .max(6 * 24 * 3600_000)
    .default(24 * 3600_000),
  RECONCILE_PAGE_SIZE: Joi.number().integer().min(10).max(10_000).default(1000),
  ...configFields.mail('"Todo Chatbot" <reminders@todo.localhost>'),
  PUBLIC_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .replace(/\/+$/, '')
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.string().default('http://localhost:8080'),
    }),
  UNSUBSCRIBE_SECRET: configFields.unsubscribeSecret(),
  VAPID_PUBLIC_KEY: Joi.string()
    .pattern(/^B[A-Za-z0-9_-]{86}$/)
    .empty('')
    .messages({ 'string.pattern.base': '{{#label}} must be an uncompressed P-256 key, base64url' })
    .when('NODE_ENV', { is: 'production', then: Joi.required() }),
  VAPID_PRIVATE_KEY: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{43}$/)
    .empty('')
    .messages({ 'string.pattern.base': '{{#label}} must be a 32-byte P-256 key, base64url' })
    .when('NODE_ENV', { is: 'production', then: Joi.required() }),
  VAPID_SUBJECT: Joi.string()
    .uri({ scheme: ['mailto', 'https'] })
    .default('mailto:reminders@todo.invalid'),
  PUSH_TTL_SECONDS: Joi.number().integer().min(0).max(2_419_200).default(3600),
  PUSH_TIMEOUT_MS: Joi.number().integer().min(100).default(10_000),
})
  .and('VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY')
  .unknown(true);

/** Reads and validates the configuration; throws one error naming every bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): WorkersConfig =>
  load('workers', workersConfigSchema, env);

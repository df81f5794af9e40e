import Joi from 'joi';
import { SOCKET_ADAPTER_KEY } from '@todo/contracts';
import { configFields, loadConfig as load } from '@todo/platform';

/** Every environment variable the api reads, validated once at start-up. */
export interface ApiConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  /**
   * Interface to listen on: 0.0.0.0 in containers (the pod network reaches it), 127.0.0.1 under
   * `npm start` so only the gateway on the same machine can.
   */
  HOST: string;
  DATABASE_URL: string;
  EVENT_TRANSPORT: 'direct' | 'dapr';
  DAPR_HOST: string;
  DAPR_HTTP_PORT: number;
  PUBSUB_NAME: string;
  /** Base URLs of subscriber apps the `direct` transport delivers to, comma-separated. */
  DIRECT_SUBSCRIBERS: string[];
  /**
   * Dapr app API token the `direct` transport sends in `dapr-api-token` to the subscriber
   * apps, as a sidecar would (they refuse calls without it when they have one configured).
   */
  APP_API_TOKEN: string | undefined;
  BETTER_AUTH_SECRET: string;
  /** Public origin of the site; JWT issuer and audience. */
  BETTER_AUTH_URL: string;
  /** Verifies the unsubscribe links of reminder mail; the workers sign with the same value. */
  UNSUBSCRIBE_SECRET: string;
  /**
   * How account mail (address verification, password reset, notices) leaves: `smtp` through
   * SMTP_URL, `log` as one log line (development; the default when SMTP_URL is unset outside
   * production). The same transport and variables as the workers' reminder mail.
   */
  MAIL_TRANSPORT: 'smtp' | 'log';
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`; required for `smtp`. */
  SMTP_URL: string | undefined;
  /** The From of account mail, e.g. `"Todo Chatbot" <accounts@example.com>`. */
  MAIL_FROM: string;
  /** How long a password-reset link works, in seconds (single use either way). */
  PASSWORD_RESET_TTL_SECONDS: number;
  /** How long an address-verification link works, in seconds. */
  EMAIL_VERIFICATION_TTL_SECONDS: number;
  CORS_ORIGINS: string[];
  LOG_LEVEL: string;
  RATE_LIMIT_PER_MINUTE: number;
  BODY_LIMIT: string;
  MIGRATE_ON_START: boolean;
  /** How often the outbox relay looks for unsent events when no notification woke it. */
  OUTBOX_POLL_MS: number;
  /** Ceiling of the relay's exponential backoff while the transport fails. */
  OUTBOX_MAX_BACKOFF_MS: number;
  /** Optional OpenAI-compatible chat-completions endpoint for the chatbot (all three or none). */
  LLM_BASE_URL?: string;
  LLM_API_KEY?: string;
  LLM_MODEL?: string;
  LLM_TIMEOUT_MS: number;
  /** How often the retention janitor prunes the outbox, change feed and idempotency records. */
  RETENTION_INTERVAL_MS: number;
  OUTBOX_RETENTION_HOURS: number;
  CHANGE_FEED_RETENTION_DAYS: number;
  PROCESSED_EVENTS_RETENTION_DAYS: number;
  ACTIVITY_RETENTION_DAYS: number;
  /**
   * Redis for what must hold across replicas: the auth rate limits, and the Socket.IO
   * emitter that disconnects a signed-out session's sockets. Required in production; without
   * it (development, tests) limits are per process and sockets are not told.
   */
  REDIS_URL?: string;
  /** Redis channel prefix of the socket nodes' adapter (the emitter must use the same). */
  SOCKET_ADAPTER_KEY: string;
  /** Window of every auth rate limit, in seconds. */
  AUTH_LIMIT_WINDOW_SECONDS: number;
  AUTH_LIMIT_SIGN_IN_PER_IP: number;
  AUTH_LIMIT_SIGN_IN_PER_ACCOUNT: number;
  AUTH_LIMIT_SIGN_UP_PER_IP: number;
  AUTH_LIMIT_SIGN_UP_PER_ACCOUNT: number;
  AUTH_LIMIT_PASSWORD_RESET_PER_IP: number;
  AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT: number;
  AUTH_LIMIT_TOKEN_PER_IP: number;
  AUTH_LIMIT_TOKEN_PER_SESSION: number;
  /** How long a JWT's session is taken as still signed in before it is looked up again. */
  SESSION_CHECK_CACHE_MS: number;
  /** Server-side cap on one SQL statement (lock waits included): a stall becomes a 503. */
  DB_STATEMENT_TIMEOUT_MS: number;
  /** How long a request waits for a pooled database connection before answering 503. */
  DB_ACQUIRE_TIMEOUT_MS: number;
  /**
   * The VAPID public key browsers subscribe to Web Push with (base64url, 65 bytes); the
   * workers hold the pair. Unset = push is off (`GET /push/config` answers null).
   */
  VAPID_PUBLIC_KEY?: string;
}

const list = Joi.string()
  .allow('')
  .custom((value: string) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const DEV_SECRET = 'dev-only-secret-change-me-0123456789abcdef';

export const apiConfigSchema = Joi.object<ApiConfig>({
  NODE_ENV: configFields.nodeEnv(),
  PORT: configFields.port(3000),
  HOST: configFields.host(),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .required(),
  EVENT_TRANSPORT: Joi.string().valid('direct', 'dapr').default('direct'),
  DAPR_HOST: Joi.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: Joi.number().port().default(3500),
  PUBSUB_NAME: Joi.string().default('pubsub'),
  DIRECT_SUBSCRIBERS: list.default([]),
  APP_API_TOKEN: configFields.appApiToken(),
  BETTER_AUTH_SECRET: Joi.string()
    .min(32)
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.optional().default(DEV_SECRET),
    }),
  BETTER_AUTH_URL: Joi.string().uri().default('http://localhost:8080'),
  UNSUBSCRIBE_SECRET: configFields.unsubscribeSecret(),
  ...configFields.mail('"Todo Chatbot" <accounts@todo.localhost>'),
  PASSWORD_RESET_TTL_SECONDS: Joi.number().integer().min(60).max(86_400).default(1800),
  EMAIL_VERIFICATION_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  CORS_ORIGINS: list.default([]),
  LOG_LEVEL: configFields.logLevel(),
  RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(1).default(1200),
  BODY_LIMIT: Joi.string().default('100kb'),
  MIGRATE_ON_START: Joi.boolean().default(true),
  OUTBOX_POLL_MS: Joi.number().integer().min(10).default(1000),
  OUTBOX_MAX_BACKOFF_MS: Joi.number().integer().min(100).default(30_000),
  LLM_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  LLM_API_KEY: Joi.string().min(1),
  LLM_MODEL: Joi.string().min(1),
  LLM_TIMEOUT_MS: Joi.number().integer().min(100).default(15_000),
  RETENTION_INTERVAL_MS: Joi.number().integer().min(1000).default(3_600_000),
  OUTBOX_RETENTION_HOURS: Joi.number().min(1).default(24),
  CHANGE_FEED_RETENTION_DAYS: Joi.number().min(1).default(30),
  PROCESSED_EVENTS_RETENTION_DAYS: Joi.number().min(1).default(7),
  ACTIVITY_RETENTION_DAYS: Joi.number().min(1).default(90),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .empty('')
    .when('NODE_ENV', { is: 'production', then: Joi.required() }),
  SOCKET_ADAPTER_KEY: Joi.string().default(SOCKET_ADAPTER_KEY),
  AUTH_LIMIT_WINDOW_SECONDS: Joi.number().integer().min(1).default(900),
  AUTH_LIMIT_SIGN_IN_PER_IP: Joi.number().integer().min(1).default(50),
  AUTH_LIMIT_SIGN_IN_PER_ACCOUNT: Joi.number().integer().min(1).default(10),
  AUTH_LIMIT_SIGN_UP_PER_IP: Joi.number().integer().min(1).default(20),
  AUTH_LIMIT_SIGN_UP_PER_ACCOUNT: Joi.number().integer().min(1).default(5),
  AUTH_LIMIT_PASSWORD_RESET_PER_IP: Joi.number().integer().min(1).default(10),
  AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT: Joi.number().integer().min(1).default(3),
  AUTH_LIMIT_TOKEN_PER_IP: Joi.number().integer().min(1).default(600),
  AUTH_LIMIT_TOKEN_PER_SESSION: Joi.number().integer().min(1).default(60),
  SESSION_CHECK_CACHE_MS: Joi.number().integer().min(0).default(3000),
  DB_STATEMENT_TIMEOUT_MS: Joi.number().integer().min(100).default(3000),
  DB_ACQUIRE_TIMEOUT_MS: Joi.number().integer().min(100).default(1500),
  VAPID_PUBLIC_KEY: Joi.string()
    .pattern(/^B[A-Za-z0-9_-]{86}$/)
    .empty('')
    .messages({ 'string.pattern.base': '{{#label}} must be an uncompressed P-256 key, base64url' }),
})
  .and('LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL')
  .unknown(true);

/** Reads and validates the configuration; throws one error naming every bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig =>
  load('api', apiConfigSchema, env);

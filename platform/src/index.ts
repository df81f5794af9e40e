export { requireAppToken } from './app-token.js';
export { ConfigError, configFields, loadConfig } from './config.js';
export {
  currentContext,
  parseTraceparent,
  runWithContext,
  type RequestContext,
} from './context.js';
export { CORRELATION_HEADER, correlation } from './correlation.js';
export {
  DropEvent,
  daprSubscriber,
  on,
  type CloudEventHandler,
  type DaprSubscriberOptions,
  type HandlerOptions,
  type TopicSubscription,
} from './dapr-subscriber.js';
export {
  DirectDelivery,
  PublishError,
  type BatchItem,
  type DirectDeliveryOptions,
} from './direct-delivery.js';
export { healthRouter, type HealthCheck, type HealthOptions } from './health.js';
export {
  LOG_LEVELS,
  createLogger,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.js';
export {
  createMailer,
  mailFailureOf,
  type MailFailure,
  type Mailer,
  type MailerOptions,
  type MailMessage,
  type SentMail,
} from './mailer.js';
export { signLinkToken, verifyLinkToken } from './signed-link.js';
export { createRegistry, httpMetrics, metricsRouter } from './metrics.js';
export { recordTiming, requestTimings, timed } from './timings.js';
export { Shutdown, closeServer, type ShutdownHook, type ShutdownOptions } from './shutdown.js';

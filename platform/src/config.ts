import Joi from 'joi';
import { LOG_LEVELS } from './logger.js';

/** The configuration is unusable; the message names every bad variable at once. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** The variables that failed, in schema order. */
    readonly variables: string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Validates the environment against a service's own joi schema (defaults applied, strings
 * converted to numbers and booleans) and returns the typed result. Each service keeps its
 * schema; this is the one place that decides how a bad configuration is reported.
 */
export function loadConfig<T extends object>(
  service: string,
  schema: Joi.ObjectSchema<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  // Other variables (PATH, HOME, …) are always present; only the declared ones are checked.
  const { value, error } = schema.unknown(true).validate(env, { abortEarly: false, convert: true });
  if (error) {
    throw new ConfigError(
      `invalid ${service} configuration: ${error.details.map((d) => d.message).join('; ')}`,
      error.details.map((d) => d.path.join('.')),
    );
  }
  return value as T;
}

/** Building blocks every service schema shares, so they are spelled (and defaulted) alike. */
export const configFields = {
  nodeEnv: () => Joi.string().valid('development', 'production', 'test').default('development'),
  logLevel: () =>
    Joi.string()
      .valid(...LOG_LEVELS)
      .default('info'),
  /** 0.0.0.0 in containers (the pod network reaches it); 127.0.0.1 under `npm start`. */
  host: () => Joi.string().hostname().default('0.0.0.0'),
  port: (fallback: number) => Joi.number().port().default(fallback),
  /** Dapr app API token; empty = unset (the guard then admits everyone, as in local dev). */
  appApiToken: () => Joi.string().min(16).empty(''),
  /**
   * The secret the workers sign mail's unsubscribe links with and the api verifies them by:
   * the same value in both. Required in production; elsewhere a fixed development value, so
   * a test's api and workers agree without setting it.
   */
  unsubscribeSecret: () =>
    Joi.string()
      .min(32)
      .when('NODE_ENV', {
        is: 'production',
        then: Joi.required(),
        otherwise: Joi.optional().default('development-only-unsubscribe-secret-0000'),
      }),
  /**
   * `SMTP_URL`, `MAIL_TRANSPORT` and `MAIL_FROM` for a service that sends mail (the api's
   * account mail, the workers' reminders): spread into the service's schema. In production
   * mail is real unless someone explicitly asks for the log line; elsewhere it is the log line
   * unless an SMTP URL is given. `developmentFrom` is the sender outside production.
   */
  mail: (developmentFrom: string) => ({
    SMTP_URL: Joi.string()
      .uri({ scheme: ['smtp', 'smtps'] })
      .empty('')
      .when('MAIL_TRANSPORT', { is: 'smtp', then: Joi.required() }),
    MAIL_TRANSPORT: Joi.string()
      .valid('smtp', 'log')
      .default((env: { SMTP_URL?: string; NODE_ENV?: string }) =>
        env.SMTP_URL || env.NODE_ENV === 'production' ? 'smtp' : 'log',
      ),
    MAIL_FROM: Joi.string()
      .pattern(/^[^\r\n]*<?[^\s@<>]+@[^\s@<>]+>?$/)
      .message('"MAIL_FROM" must be an address, optionally with a name: "Todo" <todo@example.com>')
      .when('NODE_ENV', {
        is: 'production',
        then: Joi.required(),
        otherwise: Joi.string().default(developmentFrom),
      }),
  }),
};

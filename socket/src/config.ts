import { DEFAULT_PUBSUB_NAME } from '@todo/contracts';
import { configFields, loadConfig as load } from '@todo/platform';
import Joi from 'joi';
import { hostname } from 'node:os';

/** Every environment variable a socket node reads, validated once at start-up. */
export interface SocketConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  PORT: number;
  /**
   * Interface to listen on: 0.0.0.0 in containers (the pod network reaches it), 127.0.0.1 under
   * `npm start` so only the gateway on the same machine can.
   */
  HOST: string;
  /** Shared by every node: the Socket.IO adapter's pub/sub lives here. */
  REDIS_URL: string;
  /** The api's key set (`/api/auth/jwks`); fetched on the first handshake, then cached. */
  JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  PUBSUB_NAME: string;
  /**
   * Dapr app API token: when set, the task-updates subscriber answers 401 unless the caller
   * (daprd, or the api's direct transport) sends it in `dapr-api-token`. Health stays open.
   */
  APP_API_TOKEN: string | undefined;
  LOG_LEVEL: string;
  /**
   * Prefix of every Engine.IO session id this node issues (`{id}.{random}`), so a gateway can
   * route a long-polling session's later requests back to the node that holds it.
   */
  SOCKET_NODE_ID: string;
}

export const socketConfigSchema = Joi.object<SocketConfig>({
  NODE_ENV: configFields.nodeEnv(),
  PORT: configFields.port(3002),
  SOCKET_NODE_ID: Joi.string()
    .pattern(/^[A-Za-z0-9_-]{1,63}$/)
    .default(
      hostname()
        .replace(/[^A-Za-z0-9_-]/g, '-')
        .slice(0, 63) || 'node',
    ),
  HOST: configFields.host(),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .required(),
  JWKS_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.optional().default('http://127.0.0.1:3000/api/auth/jwks'),
    }),
  // The api issues tokens for its public URL (BETTER_AUTH_URL), as issuer and audience.
  JWT_ISSUER: Joi.string()
    .uri()
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required(),
      otherwise: Joi.optional().default('http://localhost:8080'),
    }),
  JWT_AUDIENCE: Joi.string().default(Joi.ref('JWT_ISSUER')),
  PUBSUB_NAME: Joi.string().default(DEFAULT_PUBSUB_NAME),
  APP_API_TOKEN: configFields.appApiToken(),
  LOG_LEVEL: configFields.logLevel(),
}).unknown(true);

/** Reads and validates the configuration; throws one error naming every bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): SocketConfig =>
  load('socket', socketConfigSchema, env);

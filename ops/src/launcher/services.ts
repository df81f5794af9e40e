import type { DevSecrets } from './secrets.js';

/** Services listen on loopback only: the gateway is the one way in from outside. */
const LOOPBACK = '127.0.0.1';

/** What the launcher knows of one service it runs as a child process. */
export interface ServiceDefinition {
  name: string;
  /** Workspace folder, relative to the repository root. */
  dir: string;
  port: number;
  env: Record<string, string>;
  /** Gateway path prefixes routed to this service (first match wins, in list order). */
  routes: string[];
  /** Whether the gateway must proxy WebSocket upgrades on these routes. */
  websocket?: boolean;
}

export interface StackContext {
  publicUrl: string;
  databaseUrl: string;
  /** The workers' reconciler reads `schedule_view` with it (a read-only role where possible). */
  scheduleDatabaseUrl: string;
  redisUrl: string;
  secrets: DevSecrets;
  /** Dapr app API token: the api's direct transport sends it, workers and sockets demand it. */
  appApiToken: string;
  /** Where reminder mail goes: the launcher's mail catcher, or the developer's SMTP_URL; unset = the log transport. */
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  logLevel: string;
}

/**
 * The services `npm start` runs, in start order. Subscribers come before the api so the
 * direct transport finds their `/dapr/subscribe` at its first publish.
 */
export function serviceDefinitions(ctx: StackContext): ServiceDefinition[] {
  // Two socket nodes sharing rooms through the Redis adapter. The gateway spreads /socket.io
  // over both, keeping a polling session on the node its sid names (SOCKET_NODE_ID).
  const socketNode = (name: string, port: number, routes: string[]): ServiceDefinition => ({
    name,
    dir: 'socket',
    port,
    routes,
    websocket: true,
    env: {
      PORT: String(port),
      HOST: LOOPBACK,
      SOCKET_NODE_ID: name,
      REDIS_URL: ctx.redisUrl,
      JWKS_URL: 'http://127.0.0.1:3000/api/auth/jwks',
      JWT_ISSUER: ctx.publicUrl,
      JWT_AUDIENCE: ctx.publicUrl,
      PUBSUB_NAME: 'pubsub',
      APP_API_TOKEN: ctx.appApiToken,
      LOG_LEVEL: ctx.logLevel,
    },
  });
  const sockets = [
    socketNode('socket-1', 3002, ['/socket.io']),
    socketNode('socket-2', 3012, ['/socket.io']),
  ];
  // Ready once Redis answers: any start order works (its events to the api retry until it is up).
  const workers: ServiceDefinition = {
    name: 'workers',
    dir: 'workers',
    port: 3001,
    routes: ['/admin/queues'],
    env: {
      PORT: '3001',
      HOST: LOOPBACK,
      REDIS_URL: ctx.redisUrl,
      DATABASE_URL: ctx.scheduleDatabaseUrl,
      EVENT_TRANSPORT: 'direct',
      // reminder.fired and occurrence.due go to the api's subscriber routes.
      DIRECT_SUBSCRIBERS: 'http://127.0.0.1:3000',
      BULL_BOARD_USER: 'admin',
      BULL_BOARD_PASSWORD: ctx.secrets.bullBoardPassword,
      // Web Push (ADR 220): the devices are read from DATABASE_URL's push_subscription_view.
      VAPID_PUBLIC_KEY: ctx.secrets.vapidPublicKey,
      VAPID_PRIVATE_KEY: ctx.secrets.vapidPrivateKey,
      APP_API_TOKEN: ctx.appApiToken,
      ...(ctx.smtpUrl ? { SMTP_URL: ctx.smtpUrl } : { MAIL_TRANSPORT: 'log' }),
      ...(ctx.mailFrom ? { MAIL_FROM: ctx.mailFrom } : {}),
      // Links in mail (the app, one-click unsubscribe) point at the gateway.
      PUBLIC_URL: ctx.publicUrl,
      UNSUBSCRIBE_SECRET: ctx.secrets.unsubscribeSecret,
      LOG_LEVEL: ctx.logLevel,
    },
  };
  const api: ServiceDefinition = {
    name: 'api',
    dir: 'api',
    port: 3000,
    // /cal/: the private calendar feeds (ICS); /mcp: the MCP server for AI assistants.
    routes: ['/api/', '/cal/', '/mcp'],
    env: {
      PORT: '3000',
      HOST: LOOPBACK,
      DATABASE_URL: ctx.databaseUrl,
      // Auth rate limits and signed-out sessions' socket disconnects (api README).
      REDIS_URL: ctx.redisUrl,
      EVENT_TRANSPORT: 'direct',
      // The workers and one socket node subscribe: the adapter fans each event out to both
      // socket nodes, so subscribing both would emit every update twice (under Dapr, one
      // replica gets each).
      DIRECT_SUBSCRIBERS: 'http://127.0.0.1:3001,http://127.0.0.1:3002',
      APP_API_TOKEN: ctx.appApiToken,
      BETTER_AUTH_SECRET: ctx.secrets.betterAuthSecret,
      UNSUBSCRIBE_SECRET: ctx.secrets.unsubscribeSecret,
      BETTER_AUTH_URL: ctx.publicUrl,
      // Account mail (verification, password reset) goes where reminder mail goes.
      ...(ctx.smtpUrl ? { SMTP_URL: ctx.smtpUrl } : { MAIL_TRANSPORT: 'log' }),
      ...(ctx.mailFrom ? { MAIL_FROM: ctx.mailFrom } : {}),
      VAPID_PUBLIC_KEY: ctx.secrets.vapidPublicKey,
      // Better Auth trusts only listed origins: let http://127.0.0.1:<port> sign in as well.
      CORS_ORIGINS: ctx.publicUrl.includes('//localhost')
        ? ctx.publicUrl.replace('//localhost', '//127.0.0.1')
        : '',
      LOG_LEVEL: ctx.logLevel,
    },
  };
  return [workers, ...sockets, api];
}

/** Moves the launcher's fixed ports (in `port`, PORT and 127.0.0.1:<port> references). */
export function movePorts(
  ports: Map<number, number>,
  definitions: ServiceDefinition[],
): ServiceDefinition[] {
  if (!ports.size) return definitions;
  const shift = (value: string) =>
    value.replace(/127\.0\.0\.1:(\d+)/g, (match, p: string) => {
      const moved = ports.get(Number(p));
      return moved ? `127.0.0.1:${moved}` : match;
    });
  return definitions.map((d) => {
    const port = ports.get(d.port) ?? d.port;
    return {
      ...d,
      port,
      env: Object.fromEntries(
        Object.entries(d.env).map(([k, v]) => [k, k === 'PORT' ? String(port) : shift(v)]),
      ),
    };
  });
}

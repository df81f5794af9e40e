import type { DevSecrets } from './secrets.js';

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
  redisUrl: string;
  secrets: DevSecrets;
  logLevel: string;
}

/**
 * The services `npm start` runs, in start order. Subscribers come before the api so the
 * direct transport finds their `/dapr/subscribe` at its first publish.
 */
export function serviceDefinitions(ctx: StackContext): ServiceDefinition[] {
  const api: ServiceDefinition = {
    name: 'api',
    dir: 'api',
    port: 3000,
    routes: ['/api/'],
    env: {
      PORT: '3000',
      DATABASE_URL: ctx.databaseUrl,
      EVENT_TRANSPORT: 'direct',
      DIRECT_SUBSCRIBERS: '',
      BETTER_AUTH_SECRET: ctx.secrets.betterAuthSecret,
      BETTER_AUTH_URL: ctx.publicUrl,
      INTERNAL_API_TOKEN: ctx.secrets.internalApiToken,
      LOG_LEVEL: ctx.logLevel,
    },
  };
  return [api];
}

import { randomBytes } from 'node:crypto';
import type { ClientToServerEvents, ServerToClientEvents } from '@todo/contracts';
import { testInfra } from '@todo/ops/testing';
import { createLogger } from '@todo/platform';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../src/config.js';
import { createSocketNode, type SocketNode } from '../../src/server.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RunningNode {
  node: SocketNode;
  port: number;
  url: string;
  /** Whether the client socket with this id is connected to this node. */
  holds(socketId: string | undefined): boolean;
  stop(): Promise<void>;
}

export interface NodeSettings {
  jwksUrl: string;
  issuer: string;
  /** One per test file, so runs never hear each other's broadcasts. */
  adapterKey: string;
  port?: number;
  /** Another Redis than the shared test one (outage tests stop their own). */
  redisUrl?: string;
  /** Dapr app API token the subscriber routes then demand. */
  appApiToken?: string;
}

export const uniqueAdapterKey = () => `socket-test-${randomBytes(4).toString('hex')}`;

/** A real socket node in this process, on the test Redis. */
export async function startNode(settings: NodeSettings): Promise<RunningNode> {
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: settings.redisUrl ?? testInfra().redisUrl,
    JWKS_URL: settings.jwksUrl,
    JWT_ISSUER: settings.issuer,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...(settings.appApiToken ? { APP_API_TOKEN: settings.appApiToken } : {}),
  });
  const node = await createSocketNode(config, {
    adapterKey: settings.adapterKey,
    logger: createLogger({ service: 'socket', level: config.LOG_LEVEL }),
  });
  const port = await node.start(settings.port ?? 0, '127.0.0.1');
  let stopped: Promise<void> | null = null;
  return {
    node,
    port,
    url: `http://127.0.0.1:${port}`,
    holds: (id) => id !== undefined && node.io.of('/').sockets.has(id),
    stop: () => (stopped ??= node.stop()),
  };
}

/**
 * A client as the web app makes it: WebSocket only (no sticky sessions needed behind a
 * balancer), quick reconnection so tests do not wait for the production back-off.
 */
export function connectClient(url: string, token: string | undefined): Client {
  return io(url, {
    transports: ['websocket'],
    auth: token === undefined ? {} : { token },
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    forceNew: true,
  });
}

/** Connects and resolves with the client once its `connection_ack` arrived. */
export async function connected(url: string, token: string): Promise<Client> {
  const client = connectClient(url, token);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connection_ack within 5 s')), 5_000);
    client.once('connection_ack', () => {
      clearTimeout(timer);
      resolve();
    });
    client.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return client;
}

/**
 * Round-trips a ping on `client`'s connection: anything the node wrote to this socket
 * before has arrived by then, so "nothing received" can be asserted without sleeping.
 */
export function barrier(client: Client): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client
      .timeout(5_000)
      .emit('ping', (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

import {
  createTestDatabase,
  startApiProcess,
  testInfra,
  type ApiProcess,
  type TestUser,
} from '@todo/ops/testing';
import { startBalancer, type Balancer } from './balancer.js';
import { connected, startNode, uniqueAdapterKey, type Client, type RunningNode } from './nodes.js';

/**
 * The whole path with real parts: the api as a child process (REST, outbox, relay through the
 * direct transport) delivering through a balancer, as it would reach one replica of the socket
 * app under Dapr, to two socket nodes `a` and `b` on one Redis adapter.
 */
export interface LiveStack {
  api: ApiProcess;
  balancer: Balancer;
  a: RunningNode;
  b: RunningNode;
  databaseUrl: string;
  /** A REST request to `/api/v1{path}` as `user`: the response as it is. */
  call(user: TestUser, method: string, path: string, body?: unknown): Promise<Response>;
  /** The same request, which must succeed: its JSON body (undefined for a 204). */
  rest<T>(user: TestUser, method: string, path: string, body?: unknown): Promise<T>;
  /** A socket of `user` on `node`, acknowledged; closed when the stack stops. */
  connect(node: RunningNode, user: TestUser): Promise<Client>;
  /** Runs `close` when the stack stops (a client the test opened another way). */
  closeOnStop(close: () => void): void;
  /** Closes the clients, then stops the nodes, the api and the balancer. */
  stop(): Promise<void>;
}

export async function startLiveStack(options: {
  /** Prefix of the test's own database. */
  database: string;
  /**
   * The api moves sockets between list rooms itself (sharing): it then joins the nodes'
   * Redis adapter channel.
   */
  apiMovesSockets?: boolean;
}): Promise<LiveStack> {
  const adapterKey = uniqueAdapterKey();
  const closers: (() => void)[] = [];
  let balancer: Balancer | undefined;
  let api: ApiProcess | undefined;
  let nodes: RunningNode[] = [];
  let databaseUrl = '';
  const stop = async () => {
    for (const close of closers.splice(0)) close();
    await Promise.all(nodes.map((node) => node.stop()));
    await api?.stop();
    await balancer?.close();
  };
  try {
    databaseUrl = await createTestDatabase(options.database);
    balancer = await startBalancer();
    api = await startApiProcess({
      databaseUrl,
      directSubscribers: [balancer.url],
      ...(options.apiMovesSockets
        ? { env: { REDIS_URL: testInfra().redisUrl, SOCKET_ADAPTER_KEY: adapterKey } }
        : {}),
    });
    const settings = { jwksUrl: `${api.baseUrl}/api/auth/jwks`, issuer: api.baseUrl, adapterKey };
    nodes = await Promise.all([startNode(settings), startNode(settings)]);
  } catch (error) {
    await stop();
    throw error;
  }
  const [a, b] = nodes as [RunningNode, RunningNode];
  balancer.setBackends([a.port, b.port]);
  const baseUrl = api.baseUrl;

  const call = (user: TestUser, method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${user.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  return {
    api,
    balancer,
    a,
    b,
    databaseUrl,
    call,
    async rest<T>(user: TestUser, method: string, path: string, body?: unknown) {
      const response = await call(user, method, path, body);
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
    async connect(node, user) {
      const socket = await connected(node.url, user.token);
      closers.push(() => socket.close());
      return socket;
    },
    closeOnStop: (close) => closers.push(close),
    stop,
  };
}

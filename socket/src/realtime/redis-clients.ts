import { Redis } from 'ioredis';
import type { Logger } from '@todo/platform';

export interface RedisClients {
  pub: Redis;
  sub: Redis;
  /** `redis`: the publishing connection answers PING; `adapter`: the subscription is live. */
  health(): Promise<{ redis: boolean; adapter: boolean }>;
  close(): Promise<void>;
}

/**
 * The adapter's two connections (a subscribed connection cannot publish). They reconnect
 * forever; publishing fails fast while Redis is down (no offline queue), so broadcasts are
 * never replayed late and the subscriber route can answer RETRY instead.
 */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClients> {
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);
  const pub = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy,
    connectionName: 'socket-pub',
  });
  const sub = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy,
    connectionName: 'socket-sub',
  });
  for (const [role, client] of [
    ['pub', pub],
    ['sub', sub],
  ] as const) {
    let down = false;
    client.on('error', (error: Error) => {
      if (!down) logger.warn({ err: error, role }, 'redis connection lost');
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.info({ role }, 'redis connection restored');
      down = false;
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);

  return {
    pub,
    sub,
    async health() {
      const timeout = new Promise<false>((resolve) => setTimeout(resolve, 1_000, false).unref());
      const redis =
        pub.status === 'ready' &&
        (await Promise.race([
          pub.ping().then(
            (reply) => reply === 'PONG',
            () => false,
          ),
          timeout,
        ]));
      // ioredis resubscribes the adapter's channels whenever this connection comes back.
      return { redis, adapter: sub.status === 'ready' };
    },
    async close() {
      await Promise.all(
        [pub, sub].map(async (client) => {
          // QUIT only when connected: queued behind a reconnection it would wait for Redis.
          if (client.status === 'ready') await client.quit().catch(() => undefined);
          client.disconnect();
        }),
      );
    },
  };
}

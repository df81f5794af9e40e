import { Redis } from 'ioredis';
import type { Logger } from '@todo/platform';

/**
 * The api's Redis connection (auth rate limits, the Socket.IO emitter). Commands fail fast
 * while it is down instead of queueing: the rate limiter then counts in memory and a
 * sign-out still succeeds (decisions 090, 091).
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let warned = false;
  redis.on('error', (error: Error) => {
    if (!warned) logger.warn({ err: error }, 'redis unavailable; auth limits count in memory');
    warned = true;
  });
  redis.on('ready', () => {
    if (warned) logger.info('redis connection restored');
    warned = false;
  });
  return redis;
}

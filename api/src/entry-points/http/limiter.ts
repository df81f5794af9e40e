import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/**
 * A fixed-window limiter whose counters live in Redis, so a limit holds across replicas; while
 * Redis is unreachable each replica counts in memory instead (the "insurance" limiter), so
 * limits loosen but never vanish (decision 090). Without Redis (a single process) it counts in
 * memory only.
 */
export function createLimiter(
  redis: Redis | null,
  keyPrefix: string,
  points: number,
  durationSeconds: number,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: durationSeconds,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
  });
}

import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '@todo/platform';
import { RateLimitedError } from './errors.js';
import { createLimiter } from './limiter.js';

const WINDOW_SECONDS = 60;
const POLICY = 'per-user';

/**
 * One per-user budget a minute for REST and MCP alike (ADR 290): an assistant looping over
 * tools spends the same allowance as the app and scripts. Counted in Redis, so N replicas
 * behind a load balancer grant the budget once, not N times. Answers carry the standard
 * `RateLimit-Policy` / `RateLimit` headers; a refusal is the api's 429 with `Retry-After`.
 * Mounted after authentication: the key is always a user id.
 */
export function perUserLimit(
  perMinute: number,
  redis: Redis | null,
  logger: Logger,
): RequestHandler {
  const limiter = createLimiter(redis, 'user-limit', perMinute, WINDOW_SECONDS);
  return async (_req, res, next) => {
    const userId = res.locals.userId as string;
    let state: RateLimiterRes;
    try {
      state = await limiter.consume(userId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) {
        // Neither Redis nor the insurance limiter answered: let the request through.
        logger.warn({ err: error, userId }, 'per-user rate limit unavailable');
        return next();
      }
      state = error;
    }
    const resetSeconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    res.setHeader('RateLimit-Policy', `"${POLICY}";q=${perMinute};w=${WINDOW_SECONDS}`);
    res.setHeader('RateLimit', `"${POLICY}";r=${state.remainingPoints};t=${resetSeconds}`);
    if (state.consumedPoints > perMinute) {
      logger.warn({ userId }, 'per-user rate limit reached');
      return next(
        new RateLimitedError(`more than ${perMinute} requests a minute; slow down`, resetSeconds),
      );
    }
    next();
  };
}

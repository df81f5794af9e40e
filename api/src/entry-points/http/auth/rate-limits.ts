import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { ApiConfig } from '../../../config.js';
import { RateLimitedError } from '../errors.js';
import { createLimiter } from '../limiter.js';
import type { Logger } from '@todo/platform';

/** One limited auth call: its path under `/api/auth`, and whose attempts count together. */
interface Rule {
  name: string;
  method: 'GET' | 'POST';
  paths: string[];
  perIp: number;
  perAccount: number;
  /** The account an attempt is against: the email in the body, or the session presented. */
  account: (req: Request) => string | null;
}

const emailOf = (req: Request): string | null => {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length > 0 ? email.trim().toLowerCase() : null;
};

/** The session credential (bearer session token or session cookie), hashed: never stored raw. */
const sessionOf = (req: Request): string | null => {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
  const cookie = /(?:^|;\s*)(?:__Secure-)?better-auth\.session_token=([^;]+)/.exec(
    req.header('cookie') ?? '',
  )?.[1];
  const credential = bearer ?? cookie;
  return credential ? createHash('sha256').update(credential).digest('base64url') : null;
};

const tokenOf = (req: Request): string | null => {
  const token = (req.body as { token?: unknown } | undefined)?.token ?? req.query.token;
  return typeof token === 'string' && token
    ? createHash('sha256').update(token).digest('base64url')
    : null;
};

export function authRateLimitRules(config: ApiConfig): Rule[] {
  return [
    {
      name: 'sign-in',
      method: 'POST',
      paths: ['/sign-in/email'],
      perIp: config.AUTH_LIMIT_SIGN_IN_PER_IP,
      perAccount: config.AUTH_LIMIT_SIGN_IN_PER_ACCOUNT,
      account: emailOf,
    },
    {
      name: 'sign-up',
      method: 'POST',
      paths: ['/sign-up/email'],
      perIp: config.AUTH_LIMIT_SIGN_UP_PER_IP,
      perAccount: config.AUTH_LIMIT_SIGN_UP_PER_ACCOUNT,
      account: emailOf,
    },
    {
      name: 'password-reset',
      method: 'POST',
      paths: ['/request-password-reset', '/forget-password', '/reset-password'],
      perIp: config.AUTH_LIMIT_PASSWORD_RESET_PER_IP,
      perAccount: config.AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT,
      account: (req) => emailOf(req) ?? tokenOf(req),
    },
    {
      // Every call that mails a link counts like a reset: a mailbox is not to be flooded.
      name: 'verification-email',
      method: 'POST',
      paths: ['/send-verification-email', '/change-email'],
      perIp: config.AUTH_LIMIT_PASSWORD_RESET_PER_IP,
      perAccount: config.AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT,
      account: (req) => emailOf(req) ?? sessionOf(req),
    },
    {
      // Calls that check the current password are password guesses too: limited like sign-in.
      name: 'password-check',
      method: 'POST',
      paths: ['/change-password', '/delete-user'],
      perIp: config.AUTH_LIMIT_SIGN_IN_PER_IP,
      perAccount: config.AUTH_LIMIT_SIGN_IN_PER_ACCOUNT,
      account: sessionOf,
    },
    {
      name: 'token',
      method: 'GET',
      paths: ['/token'],
      perIp: config.AUTH_LIMIT_TOKEN_PER_IP,
      perAccount: config.AUTH_LIMIT_TOKEN_PER_SESSION,
      account: sessionOf,
    },
  ];
}

/**
 * Rate limits on the auth calls an attacker would hammer: sign-in, sign-up, password reset
 * and token issue, each per client IP and per account (the email, or the session presented),
 * in fixed windows of `AUTH_LIMIT_WINDOW_SECONDS`. Counters live in Redis so they hold across
 * replicas; while Redis is unreachable each replica counts in memory instead (the
 * "insurance" limiter), so the limits loosen but never vanish. Mounted before Better Auth,
 * after the body is parsed; a refusal is the api's 429 with `Retry-After` (decision 090).
 */
export function authRateLimits(
  config: ApiConfig,
  redis: Redis | null,
  logger: Logger,
): RequestHandler {
  const duration = config.AUTH_LIMIT_WINDOW_SECONDS;
  const limiter = (keyPrefix: string, points: number) =>
    createLimiter(redis, `auth-limit:${keyPrefix}`, points, duration);

  const rules = authRateLimitRules(config).map((rule) => ({
    ...rule,
    byIp: limiter(`${rule.name}:ip`, rule.perIp),
    byAccount: limiter(`${rule.name}:account`, rule.perAccount),
  }));

  return async (req, _res, next) => {
    const rule = rules.find((r) => r.method === req.method && r.paths.includes(req.path));
    if (!rule) return next();
    const account = rule.account(req);
    const attempts = await Promise.allSettled([
      rule.byIp.consume(req.ip ?? 'unknown'),
      ...(account ? [rule.byAccount.consume(account)] : []),
    ]);
    let waitMs = 0;
    for (const attempt of attempts) {
      if (attempt.status === 'fulfilled') continue;
      if (attempt.reason instanceof RateLimiterRes) {
        waitMs = Math.max(waitMs, attempt.reason.msBeforeNext);
      } else {
        // Neither Redis nor the insurance limiter answered: let the attempt through.
        logger.warn({ err: attempt.reason, rule: rule.name }, 'auth rate limit unavailable');
      }
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      logger.warn({ rule: rule.name, ip: req.ip }, 'auth rate limit reached');
      throw new RateLimitedError(
        `too many ${rule.name} attempts from this address or for this account; retry in ${seconds} s`,
        seconds,
      );
    }
    next();
  };
}

import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { DomainError } from '../../../domain/errors.js';

/** Guards `/internal/*`: only our own services, holding the shared token, may call it. */
export function requireInternalToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  return (req, _res, next) => {
    const given = Buffer.from(
      /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1] ?? '',
    );
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DomainError('FORBIDDEN', 'internal endpoints need the internal service token');
    }
    next();
  };
}

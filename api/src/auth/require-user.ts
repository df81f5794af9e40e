import type { Request, RequestHandler } from 'express';
import { UnauthenticatedError } from '../http/errors.js';
import { currentContext } from '../http/request-context.js';
import type { JwtVerifier } from './jwt-verifier.js';

/** Requires `Authorization: Bearer <jwt>`; puts the user id on the request context. */
export function requireUser(verifier: JwtVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError('a bearer token is required: Authorization: Bearer <jwt>');
    }
    const userId = await verifier.verify(match[1]);
    const context = currentContext();
    if (context) context.userId = userId;
    res.locals.userId = userId;
    next();
  };
}

/** The authenticated user of a request that passed `requireUser`. */
export function userIdOf(req: Request): string {
  const userId = req.res?.locals.userId as string | undefined;
  if (!userId) throw new UnauthenticatedError();
  return userId;
}

import type { Request, RequestHandler } from 'express';
import { UnauthenticatedError } from '../errors.js';
import { currentContext } from '@todo/platform';
import type { JwtVerifier } from './jwt-verifier.js';
import type { SessionLiveness } from './session-liveness.js';

/**
 * Requires `Authorization: Bearer <jwt>` whose session is still signed in; puts the user id
 * on the request context.
 */
export function requireUser(verifier: JwtVerifier, sessions: SessionLiveness): RequestHandler {
  return async (req, res, next) => {
    const header = req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError('a bearer token is required: Authorization: Bearer <jwt>');
    }
    const { userId, sessionId } = await verifier.verify(match[1]);
    if (!(await sessions.isSignedIn(sessionId))) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new UnauthenticatedError('the session of this token has ended: sign in again');
    }
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

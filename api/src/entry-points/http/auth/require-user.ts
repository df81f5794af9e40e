import type { Request, RequestHandler } from 'express';
import type { AccessTokenScope } from '@todo/contracts';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { currentContext, recordTiming } from '@todo/platform';
import { ConnectionService } from '../../../domain/connection-service.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { SessionLiveness } from './session-liveness.js';

/** Methods a `read` token may use. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Requires `Authorization: Bearer <jwt>` whose session is still signed in, or a live personal
 * access token (`todo_pat_…`, ADR 250); puts the user id on the request context. A `read`
 * token is refused (403 naming its scope) on any method that could change something.
 */
export function requireUser(
  verifier: JwtVerifier,
  sessions: SessionLiveness,
  tokens: ConnectionService,
  /** False where the scope is checked per operation instead (MCP: every call is a POST). */
  { scopeByMethod = true }: { scopeByMethod?: boolean } = {},
): RequestHandler {
  return async (req, res, next) => {
    const started = performance.now();
    const header = req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthenticatedError(
        'a bearer token is required: Authorization: Bearer <jwt or personal access token>',
      );
    }
    let userId: string;
    if (ConnectionService.isAccessToken(match[1])) {
      const principal = await tokens.authenticate(match[1]);
      if (!principal) {
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new UnauthenticatedError('the personal access token is not valid or was revoked');
      }
      if (scopeByMethod && principal.scope === 'read' && !READ_METHODS.has(req.method))
        throw new ForbiddenError(
          `this personal access token has the "read" scope: ${req.method} needs a token with the "write" scope`,
        );
      userId = principal.userId;
      res.locals.tokenScope = principal.scope;
    } else {
      const verified = await verifier.verify(match[1]);
      if (!(await sessions.isSignedIn(verified.sessionId))) {
        res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new UnauthenticatedError('the session of this token has ended: sign in again');
      }
      userId = verified.userId;
    }
    const context = currentContext();
    if (context) context.userId = userId;
    res.locals.userId = userId;
    // Only the successful path: a refused token's time is not what the histogram is for.
    recordTiming('auth', performance.now() - started);
    next();
  };
}

/** The authenticated user of a request that passed `requireUser`. */
export function userIdOf(req: Request): string {
  const userId = req.res?.locals.userId as string | undefined;
  if (!userId) throw new UnauthenticatedError();
  return userId;
}

/**
 * Refuses personal access tokens: managing tokens and the calendar feed needs a signed-in
 * session, so a leaked token cannot mint more tokens or open the feed (ADR 250).
 */
export const requireSession: RequestHandler = (_req, res, next) => {
  const scope = res.locals.tokenScope as AccessTokenScope | undefined;
  if (scope)
    throw new ForbiddenError(
      'personal access tokens cannot manage tokens or the calendar feed: sign in to the app',
    );
  next();
};

import type { Logger } from '@todo/platform';
import type { Metrics } from '../http/metrics.js';
import type { RealtimeSocket } from '../realtime/types.js';
import { HandshakeError } from './handshake-error.js';
import type { TokenVerifier } from './token-verifier.js';

type Next = (error?: Error) => void;

/**
 * Socket.IO middleware: admits a connection only with a valid JWT in `auth.token`
 * (browsers cannot set headers on a WebSocket, hence the handshake payload).
 */
export function requireToken(verifier: TokenVerifier, metrics: Metrics, logger: Logger) {
  return (socket: RealtimeSocket, next: Next): void => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    if (typeof token !== 'string' || token.length === 0) {
      refuse(
        new HandshakeError('UNAUTHENTICATED', 'a token is required: connect with auth: { token }'),
      );
      return;
    }
    verifier.verify(token).then(
      ({ userId, expiresAt, sessionId }) => {
        socket.data.userId = userId;
        socket.data.expiresAt = expiresAt;
        if (sessionId) socket.data.sessionId = sessionId;
        next();
      },
      (error: unknown) =>
        refuse(
          error instanceof HandshakeError
            ? error
            : new HandshakeError('UNAUTHENTICATED', 'the token is not valid'),
        ),
    );

    function refuse(error: HandshakeError) {
      metrics.refusedHandshakes.inc({ code: error.data.code });
      const level = error.data.code === 'AUTH_UNAVAILABLE' ? 'warn' : 'debug';
      logger[level]({ code: error.data.code, address: socket.handshake.address }, error.message);
      next(error);
    }
  };
}

import {
  AUTH_REFRESH_EVENT,
  authRefreshRequestSchema,
  listRoom,
  sessionRoom,
  userRoom,
  type AuthRefreshReply,
  type AuthRefreshRequest,
} from '@todo/contracts';
import { HandshakeError } from '../auth/handshake-error.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { RealtimeSocket } from './types.js';

// setTimeout fires at once for delays beyond 2^31-1 ms; such tokens are re-armed in steps.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One admitted connection: joins its user's room (the only room it ever receives from),
 * acknowledges, answers pings, takes fresh tokens of the same user (`auth:refresh`), and
 * ends when the last accepted token expires.
 */
export function handleConnection(
  socket: RealtimeSocket,
  verifier: TokenVerifier,
  metrics: Metrics,
  logger: Logger,
  listsOf: (userId: string) => Promise<string[]> = () => Promise.resolve([]),
): void {
  const { userId, sessionId } = socket.data;
  void socket.join(userRoom(userId));
  // The api disconnects this room through the Redis adapter when the session signs out.
  if (sessionId) void socket.join(sessionRoom(sessionId));
  metrics.connections.inc();
  metrics.connectedSockets.inc();
  logger.debug({ userId, socketId: socket.id }, 'socket connected');

  // The rooms of the lists shared with the user (a Redis set the api keeps, ADR 322), joined
  // before the ack: a client catches up from its feed after the ack, so nothing falls between.
  void listsOf(userId)
    .catch((error: unknown) => {
      logger.warn({ err: error, userId }, 'could not read the user’s lists; only their own room');
      return [] as string[];
    })
    .then((lists) => {
      if (lists.length) void socket.join(lists.map(listRoom));
      socket.emit('connection_ack', {
        connectionId: socket.id,
        userId,
        serverTime: new Date().toISOString(),
        expiresAt: new Date(socket.data.expiresAt).toISOString(),
      });
    });

  socket.on('ping', (ack) => {
    // A client may emit without an ack callback; there is nobody to answer then.
    if (typeof ack === 'function') ack({ serverTime: new Date().toISOString() });
  });

  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    const remaining = socket.data.expiresAt - Date.now();
    if (remaining > MAX_TIMER_MS) {
      timer = setTimeout(arm, MAX_TIMER_MS);
      return;
    }
    timer = setTimeout(
      () => {
        metrics.expiredSessions.inc();
        logger.debug({ userId, socketId: socket.id }, 'token expired, ending the connection');
        // "io server disconnect" on the client: it gets a fresh token, then reconnects.
        socket.disconnect(true);
      },
      Math.max(0, remaining),
    );
  };
  arm();

  socket.on(AUTH_REFRESH_EVENT, (request: unknown, ack: unknown) => {
    // Without an ack there is no one to tell; the refresh is still applied if valid.
    const reply = (answer: AuthRefreshReply) => {
      metrics.tokenRefreshes.inc({ outcome: answer.ok ? 'ok' : answer.error.code });
      if (typeof ack === 'function') (ack as (answer: AuthRefreshReply) => void)(answer);
    };
    const { value, error } = authRefreshRequestSchema.validate(request);
    if (error) {
      reply({ ok: false, error: { code: 'VALIDATION_FAILED', message: error.message } });
      return;
    }
    void refresh(value as AuthRefreshRequest).then(reply);
  });

  async function refresh({ token }: AuthRefreshRequest): Promise<AuthRefreshReply> {
    try {
      const verified = await verifier.verify(token);
      // Another user's token must never take over this connection's room.
      if (verified.userId !== userId)
        return {
          ok: false,
          error: { code: 'USER_MISMATCH', message: 'the token is for another user' },
        };
      // The deadline may have passed while the token was being verified: the socket is gone.
      if (!socket.connected)
        return { ok: false, error: { code: 'TOKEN_EXPIRED', message: 'the connection has ended' } };
      socket.data.expiresAt = verified.expiresAt;
      // A token of another session of the same user: its sign-out must end this socket too.
      if (verified.sessionId) void socket.join(sessionRoom(verified.sessionId));
      arm();
      logger.debug({ userId, socketId: socket.id }, 'token refreshed in place');
      return { ok: true, expiresAt: new Date(verified.expiresAt).toISOString() };
    } catch (error) {
      const refused =
        error instanceof HandshakeError
          ? error
          : new HandshakeError('UNAUTHENTICATED', 'the token is not valid');
      return { ok: false, error: { code: refused.data.code, message: refused.message } };
    }
  }

  socket.once('disconnect', (reason) => {
    clearTimeout(timer);
    metrics.connectedSockets.dec();
    logger.debug({ userId, socketId: socket.id, reason }, 'socket disconnected');
  });
}

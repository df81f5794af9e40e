import { userRoom } from '@todo/contracts';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { RealtimeSocket } from './types.js';

// setTimeout fires at once for delays beyond 2^31-1 ms; such tokens are re-armed in steps.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One admitted connection: joins its user's room (the only room it ever receives from),
 * acknowledges, answers pings, and ends when the token expires.
 */
export function handleConnection(socket: RealtimeSocket, metrics: Metrics, logger: Logger): void {
  const { userId, expiresAt } = socket.data;
  void socket.join(userRoom(userId));
  metrics.connections.inc();
  metrics.connectedSockets.inc();
  logger.debug({ userId, socketId: socket.id }, 'socket connected');

  socket.emit('connection_ack', {
    connectionId: socket.id,
    userId,
    serverTime: new Date().toISOString(),
  });

  socket.on('ping', (ack) => {
    // A client may emit without an ack callback; there is nobody to answer then.
    if (typeof ack === 'function') ack({ serverTime: new Date().toISOString() });
  });

  let timer: NodeJS.Timeout;
  const arm = () => {
    const remaining = expiresAt - Date.now();
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

  socket.once('disconnect', (reason) => {
    clearTimeout(timer);
    metrics.connectedSockets.dec();
    logger.debug({ userId, socketId: socket.id, reason }, 'socket disconnected');
  });
}

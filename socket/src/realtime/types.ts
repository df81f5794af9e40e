import type { ClientToServerEvents, ServerToClientEvents } from '@todo/contracts';
import type { Server, Socket } from 'socket.io';

/** What the handshake learned about the connection's user. */
export interface SocketData {
  userId: string;
  expiresAt: number;
  /** The sign-in session the token came from (`sid`): signing it out disconnects the socket. */
  sessionId?: string;
}

// Nodes never message each other directly: the adapter only relays room broadcasts.
type InterServerEvents = Record<string, never>;

export type RealtimeServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type RealtimeSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

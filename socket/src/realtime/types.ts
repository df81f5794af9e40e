import type { ClientToServerEvents, ServerToClientEvents } from '@todo/contracts';
import type { Server, Socket } from 'socket.io';

/** What the handshake learned about the connection's user. */
export interface SocketData {
  userId: string;
  expiresAt: number;
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

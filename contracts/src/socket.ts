import type { TaskChangedData } from './events/task-updates.js';
import type { Notification } from './rest/notifications.js';

/** Socket.IO room of one user: every tab and device of that user joins it. */
export const userRoom = (userId: string): string => `user:${userId}`;

export interface ConnectionAck {
  connectionId: string;
  userId: string;
  serverTime: string;
}

/** `task_update` as the client receives it. */
export type TaskUpdateMessage = Omit<TaskChangedData, 'userId'>;

export interface ServerToClientEvents {
  connection_ack: (ack: ConnectionAck) => void;
  task_update: (message: TaskUpdateMessage) => void;
  notification: (notification: Notification) => void;
}

export interface ClientToServerEvents {
  /** Latency probe: the ack carries the server's clock. */
  ping: (ack: (reply: { serverTime: string }) => void) => void;
}

/**
 * Redis channel prefix shared by the socket nodes' adapter and any `@socket.io/redis-emitter`
 * (workers push `notification` to `userRoom(id)` through it); both sides must use the same one.
 */
export const SOCKET_ADAPTER_KEY = 'socket.io';

/** Why a handshake was refused: `connect_error.data.code` (the message says it in words). */
export type SocketConnectErrorCode = 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'AUTH_UNAVAILABLE';

export interface SocketConnectErrorData {
  code: SocketConnectErrorCode;
}

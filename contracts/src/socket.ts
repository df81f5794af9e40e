import Joi from 'joi';
import type { ListChangedData, TaskChangedData } from './events/task-updates.js';
import type { Notification } from './rest/notifications.js';
import type { MemberUpdateMessage } from './rest/sharing.js';

/** Socket.IO room of one user: every tab and device of that user joins it. */
export const userRoom = (userId: string): string => `user:${userId}`;

/**
 * Socket.IO room of one sign-in session (the JWT's `sid`): the api disconnects it through the
 * Redis emitter when that session signs out.
 */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/** How long the api's JWTs live (seconds): Better Auth issues them for this long. */
export const JWT_LIFETIME_SECONDS = 15 * 60;

/**
 * Redis key marking a signed-out session. Socket nodes refuse a handshake or `auth:refresh`
 * whose `sid` is marked. The api sets it at sign-out for `JWT_LIFETIME_SECONDS`: every JWT of
 * that session was issued before, so none outlives the mark.
 */
export const revokedSessionKey = (sessionId: string): string => `revoked-session:${sessionId}`;

export interface ConnectionAck {
  connectionId: string;
  userId: string;
  serverTime: string;
  /** When the server ends this connection unless `auth:refresh` moves it (ISO time). */
  expiresAt: string;
}

/** `task_update` as the client receives it. */
export type TaskUpdateMessage = Omit<TaskChangedData, 'userId'>;

/** `list_update` as the client receives it. */
export type ListUpdateMessage = Omit<ListChangedData, 'userId'>;

export interface ServerToClientEvents {
  connection_ack: (ack: ConnectionAck) => void;
  task_update: (message: TaskUpdateMessage) => void;
  list_update: (message: ListUpdateMessage) => void;
  member_update: (message: MemberUpdateMessage) => void;
  notification: (notification: Notification) => void;
}

/**
 * Client → server: a fresh JWT for the SAME user moves the connection's expiry to the new
 * token's, so a client refreshes in place instead of reconnecting (and catching up) whenever
 * its short-lived token runs out. A refused token leaves the connection's old deadline as is.
 */
export const AUTH_REFRESH_EVENT = 'auth:refresh';

export interface AuthRefreshRequest {
  token: string;
}

export const authRefreshRequestSchema = Joi.object<AuthRefreshRequest>({
  // A JWT is a few hundred bytes; the bound keeps a bogus one from costing a verification.
  token: Joi.string().min(1).max(8192).required(),
});

/** Why a refresh was refused; the connection keeps its old deadline either way. */
export type AuthRefreshErrorCode =
  'VALIDATION_FAILED' | 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'AUTH_UNAVAILABLE' | 'USER_MISMATCH';

export type AuthRefreshReply =
  | { ok: true; expiresAt: string }
  | { ok: false; error: { code: AuthRefreshErrorCode; message: string } };

export interface ClientToServerEvents {
  /** Latency probe: the ack carries the server's clock. */
  ping: (ack: (reply: { serverTime: string }) => void) => void;
  [AUTH_REFRESH_EVENT]: (
    request: AuthRefreshRequest,
    ack: (reply: AuthRefreshReply) => void,
  ) => void;
}

/**
 * Redis channel prefix shared by the socket nodes' adapter and any `@socket.io/redis-emitter`
 * (the api ends signed-out sessions through it); both sides must use the same one.
 */
export const SOCKET_ADAPTER_KEY = 'socket.io';

/** Why a handshake was refused: `connect_error.data.code` (the message says it in words). */
export type SocketConnectErrorCode = 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'AUTH_UNAVAILABLE';

export interface SocketConnectErrorData {
  code: SocketConnectErrorCode;
}

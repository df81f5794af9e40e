import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';
import type { AuthRefreshReply } from '@todo/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { AuthService, SessionExpiredError } from './auth.service';
import { NotificationStore } from './notification-store';
import { ListStore } from './list-store';
import { MemberStore } from './member-store';
import { TaskStore } from './task-store';
import type {
  ClientToServerEvents,
  ConnectionAck,
  ServerToClientEvents,
  SocketConnectErrorData,
} from './types';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Creates the socket; a seam for tests. */
export type SocketFactory = (
  options: Partial<ManagerOptions & SocketOptions>,
) => Socket<ServerToClientEvents, ClientToServerEvents>;

export const defaultSocketFactory: SocketFactory = (options) => io(options);

/** Hand the node a fresh token this long before the connection's deadline. */
const SOCKET_REFRESH_MARGIN_MS = 60_000;

/**
 * The live connection: Socket.IO on the same origin with the JWT in the handshake (a fresh
 * one on every attempt). Each (re)connect replays the change feed from the last cursor, so
 * nothing is missed while offline or when a socket node dies. Tokens are short-lived: each
 * new one goes to the node over the live connection (`auth:refresh`), so the connection is
 * not ended (and caught up again) every time one expires.
 */
@Injectable({ providedIn: 'root' })
export class RealtimeService {
  private readonly auth = inject(AuthService);
  private readonly tasks = inject(TaskStore);
  private readonly lists = inject(ListStore);
  private readonly members = inject(MemberStore);
  private readonly notifications = inject(NotificationStore);
  private readonly document = inject(DOCUMENT);

  readonly state = signal<ConnectionState>('offline');
  readonly lastAck = signal<ConnectionAck | null>(null);
  readonly lastError = signal<string | null>(null);

  /** Replaced in unit tests. */
  factory: SocketFactory = defaultSocketFactory;

  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = 500;
  private everConnected = false;
  private readonly onOnline = () => this.online();
  private readonly onOffline = () => this.offline();
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** The token last handed to the node on this connection (the handshake's is not known). */
  private sentToken: string | null = null;
  private stopListening: (() => void) | null = null;

  start(): void {
    if (this.socket) return;
    const socket = this.factory({
      path: '/socket.io',
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: (send: (data: object) => void) => {
        this.auth.token().then(
          (token) => send({ token }),
          () => send({}),
        );
      },
    });
    this.socket = socket;
    this.everConnected = false;
    // A token fetched for any reason (REST included) extends the live connection too.
    this.stopListening = this.auth.onTokenRefreshed((token) => this.refreshInPlace(token));
    this.state.set('connecting');

    socket.on('connect', () => {
      this.retryDelay = 500;
      this.everConnected = true;
      this.lastError.set(null);
      this.state.set('connected');
      void this.tasks.catchUp().catch(() => undefined);
      void this.notifications.load();
    });
    socket.on('connection_ack', (ack) => {
      this.lastAck.set(ack);
      this.sentToken = null;
      this.armRefresh(Date.parse(ack.expiresAt));
    });
    socket.on('task_update', (message) => this.tasks.applyChange(message, true));
    socket.on('list_update', (message) => this.tasks.applyListChange(message));
    // Someone joined, left or changed role: names and counts are read again.
    socket.on('member_update', (message) => {
      void this.members.reload(message.listId);
      this.lists.countsChanged();
    });
    socket.on('notification', (notification) => this.notifications.receive(notification));
    socket.on('disconnect', (reason) => {
      this.clearRefresh();
      if (reason === 'io client disconnect') return;
      this.state.set(this.browserOnline() ? 'reconnecting' : 'offline');
      // The server ended the session (e.g. the JWT expired): reconnect with a fresh token.
      if (reason === 'io server disconnect') this.scheduleRetry();
    });
    socket.on('connect_error', (error) => {
      const code = (error as Error & { data?: SocketConnectErrorData }).data?.code;
      this.state.set(this.browserOnline() ? 'reconnecting' : 'offline');
      if (code === 'TOKEN_EXPIRED' || code === 'UNAUTHENTICATED') {
        this.lastError.set('Refreshing your sign-in…');
        // A fresh JWT; if the session itself is gone, AuthService sends the user to sign-in.
        this.auth.token(true).then(
          () => this.scheduleRetry(),
          (e: unknown) => {
            if (!(e instanceof SessionExpiredError)) this.scheduleRetry();
          },
        );
        return;
      }
      this.lastError.set(
        code === 'AUTH_UNAVAILABLE' ? 'Live updates are briefly unavailable.' : null,
      );
      // Middleware refusals are not retried by socket.io itself; transport errors are.
      if (!socket.active) this.scheduleRetry();
    });

    const win = this.document.defaultView;
    win?.addEventListener('online', this.onOnline);
    win?.addEventListener('offline', this.onOffline);
    if (!this.browserOnline()) this.offline();
  }

  stop(): void {
    this.clearRetry();
    this.clearRefresh();
    this.stopListening?.();
    this.stopListening = null;
    const win = this.document.defaultView;
    win?.removeEventListener('online', this.onOnline);
    win?.removeEventListener('offline', this.onOffline);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.state.set('offline');
  }

  /** Round trip to the socket node in ms (the `ping` event), or null when not connected. */
  ping(): Promise<number | null> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve(null);
    const started = performance.now();
    return new Promise((resolve) => {
      socket.timeout(5000).emit('ping', (error: Error | null) => {
        resolve(error ? null : Math.round(performance.now() - started));
      });
    });
  }

  /** Asks for a fresh token shortly before the node would end the connection. */
  private armRefresh(expiresAt: number): void {
    this.clearRefresh();
    if (Number.isNaN(expiresAt)) return;
    const delay = Math.max(0, expiresAt - SOCKET_REFRESH_MARGIN_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      // Within its own margin AuthService fetches a new one (the listener sends it); if it
      // already had a newer token than the connection's, that one is sent here.
      this.auth.token().then(
        (token) => this.refreshInPlace(token),
        () => undefined,
      );
    }, delay);
  }

  /**
   * Hands `token` to the node. A refusal changes nothing: the node ends the connection at its
   * old deadline and the `io server disconnect` path reconnects with a fresh token.
   */
  private refreshInPlace(token: string): void {
    const socket = this.socket;
    if (!socket?.connected || token === this.sentToken) return;
    this.sentToken = token;
    socket
      .timeout(5000)
      .emit('auth:refresh', { token }, (error: Error | null, reply: AuthRefreshReply) => {
        if (error || !reply.ok) {
          this.sentToken = null;
          return;
        }
        if (this.socket === socket && socket.connected)
          this.armRefresh(Date.parse(reply.expiresAt));
      });
  }

  private clearRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  private offline(): void {
    this.clearRetry();
    this.socket?.disconnect();
    this.state.set('offline');
  }

  private online(): void {
    if (!this.socket) return;
    this.state.set('reconnecting');
    this.socket.connect();
  }

  private scheduleRetry(): void {
    this.clearRetry();
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.socket && !this.socket.connected && this.browserOnline()) this.socket.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private browserOnline(): boolean {
    return this.document.defaultView?.navigator.onLine ?? true;
  }

  get hasConnectedOnce(): boolean {
    return this.everConnected;
  }
}

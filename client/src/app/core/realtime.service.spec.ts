import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { Socket } from 'socket.io-client';
import { makeTask } from '../../testing/fixtures';
import { AuthService } from './auth.service';
import { MemberStore } from './member-store';
import { NotificationStore } from './notification-store';
import { RealtimeService } from './realtime.service';
import { TaskStore } from './task-store';

/** Just enough of a socket.io-client Socket. */
class FakeSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  connected = false;
  active = true;
  connects = 0;
  disconnects = 0;
  options: Record<string, unknown> = {};
  /** What the app emitted to the server, the ack callback last. */
  sent: { event: string; args: unknown[] }[] = [];
  timeout() {
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    this.sent.push({ event, args });
    return this;
  }
  /** Answers the last `event` emitted, as the server's ack would. */
  answer(event: string, error: Error | null, reply?: unknown) {
    const call = [...this.sent].reverse().find((c) => c.event === event);
    const ack = call?.args[call.args.length - 1] as (e: Error | null, r?: unknown) => void;
    ack(error, reply);
  }
  on(event: string, fn: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emitLocal(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  connect() {
    this.connects++;
    return this;
  }
  disconnect() {
    this.disconnects++;
    this.connected = false;
    return this;
  }
  removeAllListeners() {
    this.handlers.clear();
    return this;
  }
}

describe('RealtimeService', () => {
  let socket: FakeSocket;
  let service: RealtimeService;
  let tasks: jasmine.SpyObj<TaskStore>;
  let notifications: jasmine.SpyObj<NotificationStore>;
  let auth: jasmine.SpyObj<AuthService>;
  let members: jasmine.SpyObj<MemberStore>;
  let tokenListener: ((token: string) => void) | null;

  beforeEach(() => {
    tasks = jasmine.createSpyObj<TaskStore>('TaskStore', [
      'catchUp',
      'applyChange',
      'applyListChange',
    ]);
    tasks.catchUp.and.resolveTo();
    notifications = jasmine.createSpyObj<NotificationStore>('NotificationStore', [
      'load',
      'receive',
    ]);
    notifications.load.and.resolveTo();
    members = jasmine.createSpyObj<MemberStore>('MemberStore', ['reload']);
    members.reload.and.resolveTo([]);
    auth = jasmine.createSpyObj<AuthService>('AuthService', ['token', 'onTokenRefreshed']);
    auth.token.and.resolveTo('jwt-1');
    tokenListener = null;
    auth.onTokenRefreshed.and.callFake((listener) => {
      tokenListener = listener;
      return () => (tokenListener = null);
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: TaskStore, useValue: tasks },
        { provide: NotificationStore, useValue: notifications },
        { provide: AuthService, useValue: auth },
        { provide: MatSnackBar, useValue: {} },
        { provide: MemberStore, useValue: members },
      ],
    });
    service = TestBed.inject(RealtimeService);
    socket = new FakeSocket();
    service.factory = (options) => {
      socket.options = options as Record<string, unknown>;
      return socket as unknown as Socket;
    };
    service.start();
  });

  afterEach(() => service.stop());

  it('connects over WebSocket on /socket.io with a fresh JWT in the handshake', async () => {
    expect(socket.options['path']).toBe('/socket.io');
    expect(socket.options['transports']).toEqual(['websocket']);
    const auth = socket.options['auth'] as (cb: (data: object) => void) => void;
    const data = await new Promise<object>((resolve) => auth(resolve));
    expect(data).toEqual({ token: 'jwt-1' });
    expect(service.state()).toBe('connecting');
  });

  it('catches up on every (re)connect and applies live updates', () => {
    socket.emitLocal('connect');
    expect(service.state()).toBe('connected');
    expect(tasks.catchUp).toHaveBeenCalledTimes(1);
    const task = makeTask();
    const message = {
      action: 'created',
      taskId: task.id,
      task,
      changedFields: [],
      seq: '5',
      timestamp: '',
    };
    socket.emitLocal('task_update', message);
    expect(tasks.applyChange).toHaveBeenCalledWith(message as never, true);
    socket.emitLocal('disconnect', 'transport close');
    expect(service.state()).toBe('reconnecting');
    socket.emitLocal('connect');
    expect(tasks.catchUp).toHaveBeenCalledTimes(2);
  });

  it('hands list changes (access revoked included) to the task store, and re-reads members', () => {
    const revoked = {
      action: 'access_revoked',
      listId: 'l1',
      list: { id: 'l1', name: 'Groceries' },
      changedFields: [],
      seq: '7',
      timestamp: '2026-11-27T00:00:00.000Z',
    };
    socket.emitLocal('list_update', revoked);
    expect(tasks.applyListChange).toHaveBeenCalledWith(revoked as never);
    socket.emitLocal('member_update', { action: 'added', listId: 'l1', member: {}, timestamp: '' });
    expect(members.reload).toHaveBeenCalledWith('l1');
  });

  it('passes notifications on to the inbox', () => {
    const notification = {
      id: 'n1',
      title: 'Reminder',
      body: 'Call',
      taskIds: [],
      channels: [],
      readAt: null,
      createdAt: '',
      userId: 'u',
    };
    socket.emitLocal('notification', notification);
    expect(notifications.receive).toHaveBeenCalledWith(notification as never);
  });

  it('refreshes the JWT and retries when the handshake says TOKEN_EXPIRED', async () => {
    jasmine.clock().install();
    try {
      const error = Object.assign(new Error('expired'), { data: { code: 'TOKEN_EXPIRED' } });
      socket.active = false;
      socket.emitLocal('connect_error', error);
      expect(auth.token).toHaveBeenCalledWith(true);
      await Promise.resolve();
      await Promise.resolve();
      jasmine.clock().tick(600);
      expect(socket.connects).toBe(1);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('goes offline with the browser and reconnects when it is back', () => {
    socket.emitLocal('connect');
    window.dispatchEvent(new Event('offline'));
    expect(service.state()).toBe('offline');
    window.dispatchEvent(new Event('online'));
    expect(service.state()).toBe('reconnecting');
    expect(socket.connects).toBe(1);
  });

  /** Connected, with the node's ack saying the connection ends `inMs` from now. */
  function connectUntil(inMs: number) {
    socket.connected = true;
    socket.emitLocal('connect');
    socket.emitLocal('connection_ack', {
      connectionId: 'c1',
      userId: 'u1',
      serverTime: new Date().toISOString(),
      expiresAt: new Date(Date.now() + inMs).toISOString(),
    });
  }

  const refreshes = () => socket.sent.filter((c) => c.event === 'auth:refresh');

  it('hands a refreshed token to the node over the live socket instead of reconnecting', () => {
    connectUntil(15 * 60_000);
    expect(tokenListener).not.toBeNull();
    tokenListener!('jwt-2');
    expect(refreshes().map((c) => c.args[0])).toEqual([{ token: 'jwt-2' }]);
    socket.answer('auth:refresh', null, {
      ok: true,
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    expect(socket.disconnects).toBe(0);
    expect(socket.connects).toBe(0);
    expect(service.state()).toBe('connected');
    expect(tasks.catchUp).toHaveBeenCalledTimes(1);
    // The same token again is not sent twice.
    tokenListener!('jwt-2');
    expect(refreshes().length).toBe(1);
  });

  it('fetches and sends a fresh token a minute before the connection would end', async () => {
    jasmine.clock().install();
    jasmine.clock().mockDate(new Date('2026-01-01T10:00:00Z'));
    try {
      connectUntil(3 * 60_000);
      auth.token.calls.reset();
      auth.token.and.resolveTo('jwt-2');
      jasmine.clock().tick(2 * 60_000 - 1);
      expect(auth.token).not.toHaveBeenCalled();
      jasmine.clock().tick(1);
      expect(auth.token).toHaveBeenCalledTimes(1);
      await Promise.resolve();
      await Promise.resolve();
      expect(refreshes().map((c) => c.args[0])).toEqual([{ token: 'jwt-2' }]);
      // Accepted: the next refresh is planned from the new deadline.
      auth.token.and.resolveTo('jwt-3');
      socket.answer('auth:refresh', null, {
        ok: true,
        expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      });
      jasmine.clock().tick(14 * 60_000);
      await Promise.resolve();
      await Promise.resolve();
      expect(refreshes().map((c) => c.args[0])).toEqual([{ token: 'jwt-2' }, { token: 'jwt-3' }]);
      expect(socket.connects).toBe(0);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('after a refused refresh, reconnects with a fresh token when the node ends the connection', async () => {
    jasmine.clock().install();
    try {
      connectUntil(15 * 60_000);
      tokenListener!('jwt-of-someone-else');
      socket.answer('auth:refresh', null, {
        ok: false,
        error: { code: 'USER_MISMATCH', message: 'the token is for another user' },
      });
      expect(socket.connects).toBe(0);
      expect(service.state()).toBe('connected');
      socket.connected = false;
      socket.emitLocal('disconnect', 'io server disconnect');
      expect(service.state()).toBe('reconnecting');
      jasmine.clock().tick(600);
      expect(socket.connects).toBe(1);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('stops listening for tokens when stopped', () => {
    service.stop();
    expect(tokenListener).toBeNull();
  });
});

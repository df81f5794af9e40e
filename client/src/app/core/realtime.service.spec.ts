import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import type { Socket } from 'socket.io-client';
import { makeTask } from '../../testing/fixtures';
import { AuthService } from './auth.service';
import { NotificationStore } from './notification-store';
import { RealtimeService } from './realtime.service';
import { TaskStore } from './task-store';

/** Just enough of a socket.io-client Socket. */
class FakeSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  connected = false;
  active = true;
  connects = 0;
  options: Record<string, unknown> = {};
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

  beforeEach(() => {
    tasks = jasmine.createSpyObj<TaskStore>('TaskStore', ['catchUp', 'applyChange']);
    tasks.catchUp.and.resolveTo();
    notifications = jasmine.createSpyObj<NotificationStore>('NotificationStore', [
      'load',
      'receive',
    ]);
    notifications.load.and.resolveTo();
    auth = jasmine.createSpyObj<AuthService>('AuthService', ['token']);
    auth.token.and.resolveTo('jwt-1');
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: TaskStore, useValue: tasks },
        { provide: NotificationStore, useValue: notifications },
        { provide: AuthService, useValue: auth },
        { provide: MatSnackBar, useValue: {} },
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
});

import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { NotificationStore } from './notification-store';
import { PushDevice } from './push-device';
import type { Notification as InboxNotification } from './types';

/** Stands in for the browser's Notification (a real one needs a desktop to show on). */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

describe('a notification arriving while the tab is hidden', () => {
  let visibility: DocumentVisibilityState;
  let store: NotificationStore;
  let snackBar: jasmine.SpyObj<MatSnackBar>;
  const original = window.Notification;

  const incoming = (id: string, over: Partial<InboxNotification> = {}): InboxNotification => ({
    id,
    userId: 'u1',
    title: 'Reminder: Call Sam',
    body: 'Call Sam is due soon.',
    taskIds: ['t1'],
    channels: ['email'],
    deliveries: [],
    readAt: null,
    createdAt: '2026-11-27T09:59:00.000Z',
    ...over,
  });

  beforeEach(() => {
    FakeNotification.shown = [];
    FakeNotification.permission = 'granted';
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
    visibility = 'hidden';
    spyOnProperty(document, 'visibilityState', 'get').and.callFake(() => visibility);
    snackBar = jasmine.createSpyObj<MatSnackBar>('MatSnackBar', ['open']);
    snackBar.open.and.returnValue({ onAction: () => new Subject<void>() } as never);
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    store = TestBed.inject(NotificationStore);
  });

  afterEach(() => {
    (window as unknown as { Notification: unknown }).Notification = original;
  });

  it('shows on the desktop besides the toast; a click focuses the tab and opens the task', () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigateByUrl').and.resolveTo(true);
    const focus = spyOn(window, 'focus');
    store.receive(incoming('n1'));
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    expect(FakeNotification.shown.length).toBe(1);
    const [shown] = FakeNotification.shown;
    expect(shown!.title).toBe('Reminder: Call Sam');
    expect(shown!.options.body).toBe('Call Sam is due soon.');
    expect(shown!.options.tag).toBe('n1');
    shown!.onclick!();
    expect(focus).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith('/tasks?task=t1');
    expect(shown!.closed).toBeTrue();
  });

  it('a batch opens the inbox', () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigateByUrl').and.resolveTo(true);
    store.receive(incoming('n2', { taskIds: ['t1', 't2'], title: '2 reminders' }));
    FakeNotification.shown[0]!.onclick!();
    expect(navigate).toHaveBeenCalledWith('/inbox');
  });

  it('not while the tab is visible: the toast is enough', () => {
    visibility = 'visible';
    store.receive(incoming('n3'));
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    expect(FakeNotification.shown.length).toBe(0);
  });

  it('not without the permission (and it never asks for it)', () => {
    FakeNotification.permission = 'default';
    const ask = jasmine.createSpy('requestPermission');
    (FakeNotification as unknown as { requestPermission: unknown }).requestPermission = ask;
    store.receive(incoming('n4'));
    expect(FakeNotification.shown.length).toBe(0);
    expect(ask).not.toHaveBeenCalled();
  });

  it('not twice: when this browser is subscribed to push and the reminder went by push', () => {
    TestBed.inject(PushDevice).endpoint.set('https://push.example.com/send/me');
    store.receive(incoming('n5', { channels: ['push'] }));
    expect(FakeNotification.shown.length).toBe(0);
    store.receive(incoming('n6', { channels: ['email'] }));
    expect(FakeNotification.shown.length).toBe(1);
  });
});

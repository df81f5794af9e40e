import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { ApiService } from './api.service';
import { NotificationStore } from './notification-store';
import type { Notification } from './types';
import { UserZone } from './user-zone';

describe('NotificationStore', () => {
  let api: jasmine.SpyObj<ApiService>;
  let snackBar: jasmine.SpyObj<MatSnackBar>;
  let store: NotificationStore;

  const notification = (id: string, readAt: string | null = null): Notification => ({
    id,
    userId: 'u1',
    title: 'Reminder: Call Sam',
    body: '"Call Sam" is due at 2026-11-27T10:00:00.000Z.',
    taskIds: ['t1'],
    channels: ['push'],
    deliveries: [],
    readAt,
    createdAt: '2026-11-27T09:59:00.000Z',
  });

  beforeEach(() => {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['notifications', 'markRead']);
    snackBar = jasmine.createSpyObj<MatSnackBar>('MatSnackBar', ['open']);
    snackBar.open.and.returnValue({
      onAction: () => new Subject<void>(),
      dismiss: jasmine.createSpy('dismiss'),
    } as never);
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([
          { path: 'inbox', children: [] },
          { path: 'tasks', children: [] },
        ]),
        { provide: ApiService, useValue: api },
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    store = TestBed.inject(NotificationStore);
  });

  it('toasts a live notification once, bumps the unread count, words the date in the user zone', () => {
    TestBed.inject(UserZone).zone.set('Asia/Kolkata');
    store.receive(notification('n1'));
    store.receive(notification('n1'));
    expect(store.unreadCount()).toBe(1);
    expect(store.items().length).toBe(1);
    expect(store.readable(store.items()[0]!.body)).toBe('"Call Sam" is due at Fri 27 Nov, 15:30.');
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    const [message, action, config] = snackBar.open.calls.mostRecent().args;
    expect(message).toBe('Reminder: Call Sam — "Call Sam" is due at Fri 27 Nov, 15:30.');
    expect(action).toBe('Open inbox');
    expect(config?.panelClass).toBe('toast-notification');
  });

  it('an update of a notification it has replaces its channel status, without a second toast', () => {
    store.receive(notification('n1'));
    store.receive({
      ...notification('n1'),
      deliveries: [
        {
          channel: 'email',
          status: 'failed',
          reason: '550 no such user',
          at: '2026-11-27T10:00:01.000Z',
        },
      ],
    });
    expect(store.items().length).toBe(1);
    expect(store.items()[0]!.deliveries[0]?.status).toBe('failed');
    expect(store.unreadCount()).toBe(1);
    expect(snackBar.open).toHaveBeenCalledTimes(1);
  });

  it('on the Notifications page adds the row without a toast, and opening the page puts a toast away', async () => {
    const router = TestBed.inject(Router);
    await router.navigateByUrl('/tasks');
    store.receive(notification('n1'));
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    const toast = snackBar.open.calls.mostRecent().returnValue as unknown as {
      dismiss: jasmine.Spy;
    };
    // The Notifications page, when it opens, puts the toast away: it shows the same row.
    store.dismissToast();
    expect(toast.dismiss).toHaveBeenCalled();
    await router.navigateByUrl('/inbox');
    store.receive(notification('n2'));
    expect(snackBar.open).toHaveBeenCalledTimes(1);
    expect(store.items().map((n) => n.id)).toEqual(['n2', 'n1']);
    expect(store.unreadCount()).toBe(2);
  });

  it('words the toast’s time on the 24-hour clock, as the list does (no "9:00 AM")', () => {
    TestBed.inject(UserZone).zone.set('Europe/Berlin');
    store.receive({ ...notification('n1'), body: '"Run" is due at 2026-11-27T08:00:00.000Z.' });
    expect(snackBar.open.calls.mostRecent().args[0]).toContain('Fri 27 Nov, 09:00');
    expect(snackBar.open.calls.mostRecent().args[0]).not.toMatch(/AM|PM/);
  });

  it('marks read optimistically and puts it back if the server refuses', async () => {
    api.notifications.and.resolveTo({
      items: [notification('n1'), notification('n2', 'x')],
      unreadCount: 1,
    });
    await store.load();
    api.markRead.and.rejectWith(new Error('offline'));
    await store.markRead(store.items()[0]!);
    expect(store.unreadCount()).toBe(1);
    expect(store.items()[0]!.readAt).toBeNull();
    expect(store.error()).toBe('offline');
    api.markRead.and.resolveTo(notification('n1', 'now'));
    await store.markRead(store.items()[0]!);
    expect(store.unreadCount()).toBe(0);
  });
});

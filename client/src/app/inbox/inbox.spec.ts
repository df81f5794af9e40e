import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiService } from '../core/api.service';
import { NotificationStore } from '../core/notification-store';
import type { Notification } from '../core/types';
import { Inbox } from './inbox';

describe('Inbox', () => {
  const notification = (taskIds: string[]): Notification => ({
    id: `n-${taskIds.length}`,
    userId: 'u1',
    title: 'Reminder: תשלום שכר דירה',
    body: 'Pay rent is due Fri 27 Nov, 09:00.',
    taskIds,
    channels: ['push'],
    deliveries: [],
    readAt: null,
    createdAt: '2026-11-27T07:59:00.000Z',
  });

  it('links each notification to its task, writes user text in its own direction, puts a toast away', async () => {
    const api = jasmine.createSpyObj<ApiService>('ApiService', ['notifications', 'markRead']);
    api.notifications.and.resolveTo({
      items: [notification(['t1']), notification(['t2', 't3'])],
      unreadCount: 2,
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: ApiService, useValue: api },
      ],
    });
    const dismissToast = spyOn(TestBed.inject(NotificationStore), 'dismissToast');
    const fixture = TestBed.createComponent(Inbox);
    fixture.detectChanges();
    // A reminder toast still up is put away: this page shows the same row.
    expect(dismissToast).toHaveBeenCalled();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      await fixture.whenStable();
    }
    const el = fixture.nativeElement as HTMLElement;
    const links = [...el.querySelectorAll('a')].map((a) => [
      a.textContent!.trim(),
      a.getAttribute('href'),
    ]);
    expect(links).toEqual([
      ['Open the task', '/tasks?task=t1'],
      ['Open task 1', '/tasks?task=t2'],
      ['Open task 2', '/tasks?task=t3'],
    ]);
    expect(el.querySelector('li strong')!.getAttribute('dir')).toBe('auto');
  });
});

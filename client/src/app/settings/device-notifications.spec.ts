import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SwPush } from '@angular/service-worker';
import { BehaviorSubject, Subject } from 'rxjs';
import { DeviceNotifications } from './device-notifications';

const VAPID = 'B' + 'A'.repeat(86);
const ENDPOINT = 'https://push.example.com/send/device-1';

/**
 * The browser's side (the service worker's push manager and the permission prompt) is
 * replaced: a unit test cannot get a real push subscription. The HTTP calls are checked as
 * they leave.
 */
describe('Settings: Notify me on this device', () => {
  let permission: NotificationPermission;
  let subscription: BehaviorSubject<PushSubscription | null>;
  let swPush: { isEnabled: boolean; subscription: unknown; notificationClicks: unknown } & {
    requestSubscription: jasmine.Spy;
    unsubscribe: jasmine.Spy;
  };
  let http: HttpTestingController;

  function setup() {
    permission = 'default';
    spyOnProperty(Notification, 'permission', 'get').and.callFake(() => permission);
    spyOn(Notification, 'requestPermission').and.callFake(async () => {
      permission = 'granted';
      return permission;
    });
    subscription = new BehaviorSubject<PushSubscription | null>(null);
    const browserSubscription = {
      endpoint: ENDPOINT,
      toJSON: () => ({
        endpoint: ENDPOINT,
        expirationTime: null,
        keys: { p256dh: 'P', auth: 'A' },
      }),
    } as unknown as PushSubscription;
    swPush = {
      isEnabled: true,
      subscription,
      notificationClicks: new Subject(),
      requestSubscription: jasmine.createSpy('requestSubscription').and.callFake(async () => {
        subscription.next(browserSubscription);
        return browserSubscription;
      }),
      unsubscribe: jasmine
        .createSpy('unsubscribe')
        .and.callFake(async () => subscription.next(null)),
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: SwPush, useValue: swPush },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.createComponent(DeviceNotifications);
  }

  const text = (el: HTMLElement) => el.textContent?.replace(/\s+/g, ' ') ?? '';

  it('turning it on asks permission, subscribes with the server key and stores the device', async () => {
    const fixture = setup();
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(text(el)).toContain('This browser gets no push notifications.');
    expect(text(el)).toContain('Browser permission: not asked yet');

    const turnedOn = fixture.componentInstance.toggle(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(Notification.requestPermission).toHaveBeenCalled();
    http.expectOne('/api/v1/push/config').flush({ vapidPublicKey: VAPID });
    await new Promise((r) => setTimeout(r));
    expect(swPush.requestSubscription).toHaveBeenCalledWith({ serverPublicKey: VAPID });
    const post = http.expectOne('/api/v1/users/me/push-subscriptions');
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({
      endpoint: ENDPOINT,
      expirationTime: null,
      keys: { p256dh: 'P', auth: 'A' },
    });
    post.flush({ id: 'd1', endpoint: ENDPOINT, createdAt: '2026-11-29T10:00:00.000Z' });
    await turnedOn;
    await fixture.whenStable();
    expect(text(el)).toContain('Reminders are pushed to this browser');
    expect(text(el)).toContain('Browser permission: allowed');

    const turnedOff = fixture.componentInstance.toggle(false);
    await new Promise((r) => setTimeout(r));
    expect(swPush.unsubscribe).toHaveBeenCalled();
    const del = http.expectOne(
      (r) => r.url === '/api/v1/users/me/push-subscriptions' && r.method === 'DELETE',
    );
    expect(del.request.params.get('endpoint')).toBe(ENDPOINT);
    del.flush(null, { status: 204, statusText: 'No Content' });
    await turnedOff;
    await fixture.whenStable();
    expect(text(el)).toContain('This browser gets no push notifications.');
    http.verify();
  });

  it('a blocked permission is explained, the switch is off, and nothing is sent', async () => {
    const fixture = setup();
    permission = 'denied';
    (Notification.requestPermission as jasmine.Spy).and.resolveTo('denied');
    const turnedOn = fixture.componentInstance.toggle(true);
    await turnedOn;
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(text(el)).toContain('Browser permission: blocked');
    expect(text(el)).toContain('Your browser blocks notifications from this site');
    expect(text(el)).toContain('Could not turn on push');
    const toggle = el.querySelector('mat-slide-toggle button') as HTMLButtonElement;
    expect(toggle.disabled).toBeTrue();
    expect(swPush.requestSubscription).not.toHaveBeenCalled();
    http.verify();
  });

  it('asks for the desktop permission only when the button is pressed', async () => {
    const fixture = setup();
    await fixture.whenStable();
    expect(Notification.requestPermission).not.toHaveBeenCalled();
    const button = [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find(
      (b) => b.textContent?.includes('Allow desktop notifications'),
    )!;
    button.click();
    await fixture.whenStable();
    expect(Notification.requestPermission).toHaveBeenCalledTimes(1);
    expect(text(fixture.nativeElement as HTMLElement)).toContain('Browser permission: allowed');
  });
});

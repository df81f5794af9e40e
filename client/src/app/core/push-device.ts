import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { SwPush } from '@angular/service-worker';
import { firstValueFrom } from 'rxjs';
import { requestServiceWorker } from './sw-registration';
import type { CreatePushSubscriptionRequest, PushConfig } from '@todo/contracts';

const PATH = '/api/v1/users/me/push-subscriptions';

/** What the browser allows this site: the Notification API's permission, or none at all. */
export type PermissionState = NotificationPermission | 'unsupported';

/** Where a click on a notification leads: the task, or the inbox for several. */
export function notificationUrl(taskIds: readonly string[]): string {
  return taskIds.length === 1 ? `/tasks?task=${encodeURIComponent(taskIds[0]!)}` : '/inbox';
}

/** The browser's notification permission now. */
export function notificationPermission(): PermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Web Push on this device (ADR 220): subscribes through Angular's service worker with the
 * server's VAPID key and hands the subscription to the api; unsubscribing removes it from
 * both. A click on a push notification opens the task (the service worker navigates by the
 * payload's `onActionClick`; an open app also routes from `notificationClicks`).
 */
@Injectable({ providedIn: 'root' })
export class PushDevice {
  private readonly http = inject(HttpClient);
  /** Absent where no service worker is provided (unit tests of other parts). */
  private readonly swPush = inject(SwPush, { optional: true });
  private readonly router = inject(Router);

  /** The service worker runs (production builds, https or localhost) and the browser has push. */
  readonly supported = this.swPush?.isEnabled ?? false;
  /** This browser's subscription endpoint, or null. */
  readonly endpoint = signal<string | null>(null);
  readonly permission = signal<PermissionState>(notificationPermission());

  constructor() {
    if (!this.swPush?.isEnabled) return;
    const subscription = this.swPush.subscription.subscribe((current) =>
      this.endpoint.set(current?.endpoint ?? null),
    );
    const clicks = this.swPush.notificationClicks.subscribe(({ notification }) => {
      const url = (notification.data as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string' && url.startsWith('/')) void this.router.navigateByUrl(url);
    });
    inject(DestroyRef).onDestroy(() => {
      subscription.unsubscribe();
      clicks.unsubscribe();
    });
  }

  /**
   * Asks the browser (this must run from a click: browsers refuse permission prompts
   * otherwise), then stores the subscription. Throws when the user or the server says no.
   */
  async enable(): Promise<void> {
    // First, straight from the click: browsers show the prompt only for a user gesture.
    if ((await this.askPermission()) !== 'granted')
      throw new Error('The browser did not allow notifications for this site.');
    if (!this.swPush?.isEnabled) throw new Error('This browser cannot receive push notifications.');
    requestServiceWorker();
    const { vapidPublicKey } = await firstValueFrom(
      this.http.get<PushConfig>('/api/v1/push/config'),
    );
    if (!vapidPublicKey) throw new Error('Push notifications are not set up on this server.');
    try {
      const subscription = await this.swPush.requestSubscription({
        serverPublicKey: vapidPublicKey,
      });
      const json = subscription.toJSON();
      const body: CreatePushSubscriptionRequest = {
        endpoint: subscription.endpoint,
        expirationTime: json.expirationTime ?? null,
        keys: { p256dh: json.keys?.['p256dh'] ?? '', auth: json.keys?.['auth'] ?? '' },
      };
      await firstValueFrom(this.http.post(PATH, body));
      this.endpoint.set(subscription.endpoint);
    } finally {
      this.permission.set(notificationPermission());
    }
  }

  async disable(): Promise<void> {
    const endpoint = this.endpoint();
    await this.swPush?.unsubscribe().catch(() => undefined); // already gone: still tell the api
    this.endpoint.set(null);
    if (endpoint) await firstValueFrom(this.http.delete(PATH, { params: { endpoint } }));
  }

  /** Asks for the Notification permission alone (desktop alerts while the tab is hidden). */
  async askPermission(): Promise<PermissionState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    this.permission.set(await Notification.requestPermission());
    return this.permission();
  }
}

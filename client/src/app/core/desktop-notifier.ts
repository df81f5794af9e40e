import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import { PushDevice, notificationPermission, notificationUrl } from './push-device';
import type { Notification as InboxNotification } from './types';

/**
 * A desktop notification for a notification that arrives over the socket while this tab is
 * hidden (the in-app toast alone would go unseen). Only with the permission the user gave in
 * Settings, never asked for here; and not when this browser is subscribed to Web Push and
 * the reminder went out by push, or it would show twice. A click focuses the tab and opens
 * the task.
 */
@Injectable({ providedIn: 'root' })
export class DesktopNotifier {
  private readonly router = inject(Router);
  private readonly push = inject(PushDevice);

  notify(notification: InboxNotification, text: string): boolean {
    if (document.visibilityState !== 'hidden') return false;
    if (notificationPermission() !== 'granted') return false;
    if (this.push.endpoint() && notification.channels.includes('push')) return false;
    const url = notificationUrl(notification.taskIds);
    const shown = new Notification(notification.title, {
      body: text,
      tag: notification.id,
      data: { url },
    });
    shown.onclick = () => {
      window.focus();
      void this.router.navigateByUrl(url);
      shown.close();
    };
    return true;
  }
}

import { Injectable, inject, signal } from '@angular/core';
import {
  MatSnackBar,
  type MatSnackBarRef,
  type TextOnlySnackBar,
} from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { ApiService } from './api.service';
import { DesktopNotifier } from './desktop-notifier';
import { describeError } from './errors';
import { humanizeDates } from './human-dates';
import type { Notification } from './types';
import { UserZone } from './user-zone';

/** The inbox and its unread count; live notifications also pop up as a toast. */
@Injectable({ providedIn: 'root' })
export class NotificationStore {
  private readonly api = inject(ApiService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly zone = inject(UserZone);
  private readonly desktop = inject(DesktopNotifier);

  readonly items = signal<Notification[]>([]);
  readonly unreadCount = signal(0);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  private toast: MatSnackBarRef<TextOnlySnackBar> | null = null;

  async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.notifications();
      this.items.set(page.items);
      this.unreadCount.set(page.unreadCount);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.loading.set(false);
    }
  }

  /**
   * A `notification` pushed over the socket: into the inbox (once), count it, toast it, and
   * when the tab is hidden also show it on the desktop. One already here is an update of its
   * per-channel status: its copy is replaced (read state kept), without a second toast.
   */
  receive(incoming: Notification): void {
    if (this.items().some((n) => n.id === incoming.id)) {
      this.items.update((items) =>
        items.map((n) => (n.id === incoming.id ? { ...n, deliveries: incoming.deliveries } : n)),
      );
      return;
    }
    const notification = incoming;
    this.items.update((items) => [notification, ...items]);
    if (!notification.readAt) this.unreadCount.update((n) => n + 1);
    const body = this.readable(notification.body);
    this.desktop.notify(notification, body);
    // On the Notifications page the new row is at the top of the list and its unread count is
    // a live region: a toast offering to "open" the page one is on would only cover it.
    if (this.onInboxPage()) return;
    const ref = this.snackBar.open(
      `${notification.title}${body ? ' — ' + body : ''}`,
      'Open inbox',
      { duration: 10_000, panelClass: 'toast-notification', politeness: 'assertive' },
    );
    // Dismissing a toast that already went away is a no-op, so the last one is simply kept.
    this.toast = ref;
    ref.onAction().subscribe(() => void this.router.navigate(['/inbox']));
  }

  /** The Notifications page is shown: a reminder toast still up has nothing left to say. */
  dismissToast(): void {
    this.toast?.dismiss();
    this.toast = null;
  }

  private onInboxPage(): boolean {
    return (
      this.router.parseUrl(this.router.url).root.children['primary']?.segments[0]?.path === 'inbox'
    );
  }

  async markRead(notification: Notification): Promise<void> {
    if (notification.readAt) return;
    const readAt = new Date().toISOString();
    this.items.update((items) =>
      items.map((n) => (n.id === notification.id ? { ...n, readAt } : n)),
    );
    this.unreadCount.update((n) => Math.max(0, n - 1));
    try {
      await this.api.markRead(notification.id);
    } catch (error) {
      this.items.update((items) =>
        items.map((n) => (n.id === notification.id ? { ...n, readAt: null } : n)),
      );
      this.unreadCount.update((n) => n + 1);
      this.error.set(describeError(error).message);
    }
  }

  async markAllRead(): Promise<void> {
    await Promise.all(
      this.items()
        .filter((n) => !n.readAt)
        .map((n) => this.markRead(n)),
    );
  }

  /** Server text with its timestamps as wall time in the user's zone. */
  readable(text: string): string {
    return humanizeDates(text, this.zone.zone());
  }

  clear(): void {
    this.items.set([]);
    this.unreadCount.set(0);
  }
}

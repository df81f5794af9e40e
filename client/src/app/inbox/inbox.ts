import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { NotificationStore } from '../core/notification-store';
import type { DeliveryStatus, NotificationChannel } from '../core/types';
import { UserZone } from '../core/user-zone';
import { ZonedDatePipe } from '../core/zoned-date.pipe';

/** The notification inbox: newest first, unread ones marked, mark one or all as read. */
@Component({
  selector: 'app-inbox',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ZonedDatePipe, MatButtonModule, MatProgressBarModule, RouterLink],
  template: `
    <div class="page">
      <header>
        <h1>Notifications</h1>
        <span class="count" aria-live="polite">{{ store.unreadCount() }} unread</span>
        <button
          mat-stroked-button
          type="button"
          (click)="store.markAllRead()"
          [disabled]="store.unreadCount() === 0"
        >
          Mark all as read
        </button>
      </header>
      @if (store.loading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading notifications" />
      }
      @if (store.error(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
      <ul aria-label="Notifications">
        @for (n of store.items(); track n.id) {
          <li [class.unread]="!n.readAt">
            <div class="text">
              <strong dir="auto">{{ n.title }}</strong>
              @if (!n.readAt) {
                <span class="visually-hidden">(unread)</span>
              }
              <p dir="auto">{{ store.readable(n.body) }}</p>
              @if (n.taskIds.length) {
                <p class="links">
                  @for (id of n.taskIds; track id; let i = $index) {
                    <a
                      [routerLink]="['/tasks']"
                      [queryParams]="{ task: id }"
                      (click)="store.markRead(n)"
                      >{{ n.taskIds.length === 1 ? 'Open the task' : 'Open task ' + (i + 1) }}</a
                    >
                  }
                </p>
              }
              <small
                >{{ n.createdAt | zonedDate: 'EEE d MMM, HH:mm' : zone.zone() }} · via
                {{ n.channels.join(' and ') || 'inbox' }}</small
              >
              @if (n.deliveries.length) {
                <ul class="deliveries" [attr.aria-label]="'Delivery of ' + n.title">
                  @for (d of n.deliveries; track d.channel) {
                    <li [class]="'delivery ' + d.status">
                      {{ channelLabel(d.channel) }}: {{ statusLabel(d.status) }}
                      @if (d.reason) {
                        <span class="reason">({{ d.reason }})</span>
                      }
                    </li>
                  }
                </ul>
              }
            </div>
            @if (!n.readAt) {
              <button
                mat-button
                type="button"
                (click)="store.markRead(n)"
                [attr.aria-label]="'Mark as read: ' + n.title"
              >
                Mark read
              </button>
            }
          </li>
        } @empty {
          @if (!store.loading()) {
            <li class="empty">
              No notifications yet. Reminders you set on tasks will show up here.
            </li>
          }
        }
      </ul>
    </div>
  `,
  styles: `
    header {
      display: flex;
      align-items: center;
      gap: 12px;
      flex-wrap: wrap;
    }
    h1 {
      font: var(--mat-sys-headline-small);
      margin: 8px 0;
    }
    .count {
      flex: 1;
      color: var(--mat-sys-on-surface-variant);
    }
    ul {
      list-style: none;
      padding: 0;
    }
    li {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 12px 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    li.unread {
      background: var(--mat-sys-surface-container);
      border-left: 4px solid var(--mat-sys-primary);
    }
    .text {
      flex: 1;
    }
    p {
      margin: 4px 0;
      white-space: pre-line;
    }
    small {
      color: var(--mat-sys-on-surface-variant);
    }
    .links {
      display: flex;
      gap: 12px;
    }
    .links a {
      display: inline-block;
      min-height: 24px;
      color: var(--mat-sys-primary);
    }
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    ul.deliveries {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 12px;
      margin: 4px 0 0;
    }
    li.delivery {
      display: inline;
      padding: 0;
      border: 0;
      font: var(--mat-sys-body-small);
    }
    li.delivery.failed {
      color: var(--mat-sys-error);
    }
    .reason {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class Inbox implements OnInit {
  protected readonly store = inject(NotificationStore);
  protected readonly zone = inject(UserZone);
  protected channelLabel(channel: NotificationChannel): string {
    return channel === 'email' ? 'Email' : 'Push';
  }
  protected statusLabel(status: DeliveryStatus): string {
    return { pending: 'sending…', sent: 'sent', failed: 'failed', skipped: 'skipped' }[status];
  }
  ngOnInit(): void {
    this.store.dismissToast();
    void this.store.load();
  }
}

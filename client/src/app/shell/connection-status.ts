import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RealtimeService } from '../core/realtime.service';

const LABELS = {
  connected: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
} as const;

const DESCRIPTIONS = {
  connected: 'Live: changes from your other tabs and devices appear instantly.',
  connecting: 'Connecting to live updates…',
  reconnecting: 'Connection lost; reconnecting. Changes made meanwhile will be caught up.',
  offline: 'You are offline. Changes made elsewhere will appear when you are back.',
} as const;

/** The connection state in words and colour, announced politely to screen readers. */
@Component({
  selector: 'app-connection-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span
    class="status"
    role="status"
    [attr.data-state]="state()"
    [attr.title]="description()"
    [attr.aria-label]="description()"
    ><span class="dot" aria-hidden="true"></span>{{ label() }}</span
  >`,
  styles: `
    .status {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 4px 10px;
      border-radius: 999px;
      font: var(--mat-sys-label-large);
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
      white-space: nowrap;
    }
    .dot {
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: #b3261e;
    }
    [data-state='connected'] .dot {
      background: #1b873f;
    }
    [data-state='connecting'] .dot,
    [data-state='reconnecting'] .dot {
      background: #b26a00;
    }
  `,
})
export class ConnectionStatus {
  private readonly realtime = inject(RealtimeService);
  readonly state = this.realtime.state;
  readonly label = computed(() => LABELS[this.state()]);
  readonly description = computed(() => this.realtime.lastError() ?? DESCRIPTIONS[this.state()]);
}

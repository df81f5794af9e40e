import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { describeError } from '../core/errors';
import { PushDevice } from '../core/push-device';

/**
 * Settings for this browser: Web Push ("Notify me on this device") and the permission the
 * desktop alerts of a hidden tab need. Permission is asked only from these controls.
 */
@Component({
  selector: 'app-device-notifications',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatSlideToggleModule],
  template: `
    <fieldset>
      <legend>This device</legend>
      @if (push.supported) {
        <mat-slide-toggle
          [checked]="subscribed()"
          [disabled]="busy() || push.permission() === 'denied'"
          (change)="toggle($event.checked)"
          >Notify me on this device</mat-slide-toggle
        >
        <p class="state" role="status">
          {{
            subscribed()
              ? 'Reminders are pushed to this browser, even when the app is closed.'
              : 'This browser gets no push notifications.'
          }}
        </p>
      } @else {
        <p class="state">
          Push notifications need the installed app build (served over https or from localhost) and
          a browser that supports them.
        </p>
      }
      <p class="permission">
        Browser permission: <strong>{{ permissionLabel() }}</strong>
      </p>
      @switch (push.permission()) {
        @case ('denied') {
          <p class="explain" role="note">
            Your browser blocks notifications from this site, so neither push nor desktop alerts can
            show. To allow them, open the site settings (the icon left of the address), set
            Notifications to Allow, and reload this page.
          </p>
        }
        @case ('default') {
          <button mat-stroked-button type="button" (click)="allowDesktop()" [disabled]="busy()">
            Allow desktop notifications
          </button>
          <p class="hint">
            While this tab is in the background, reminders then also show on your desktop.
          </p>
        }
        @case ('granted') {
          <p class="hint">Reminders show on your desktop while this tab is in the background.</p>
        }
      }
      @if (error(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
    </fieldset>
  `,
  styleUrl: './device-notifications.scss',
})
export class DeviceNotifications {
  protected readonly push = inject(PushDevice);
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly subscribed = computed(() => this.push.endpoint() !== null);
  readonly permissionLabel = computed(
    () =>
      ({
        granted: 'allowed',
        denied: 'blocked',
        default: 'not asked yet',
        unsupported: 'not available in this browser',
      })[this.push.permission()],
  );

  async toggle(on: boolean): Promise<void> {
    await this.run(() => (on ? this.push.enable() : this.push.disable()), on);
  }

  async allowDesktop(): Promise<void> {
    await this.run(() => this.push.askPermission(), null);
  }

  private async run(action: () => Promise<unknown>, turningOn: boolean | null): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await action();
    } catch (error) {
      const { message } = describeError(error);
      this.error.set(
        turningOn === true
          ? `Could not turn on push: ${message}`
          : turningOn === false
            ? `Could not turn off push: ${message}`
            : message,
      );
    } finally {
      this.busy.set(false);
    }
  }
}

import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ApiService } from '../core/api.service';
import { DeviceNotifications } from './device-notifications';
import { describeError } from '../core/errors';
import type { NotificationPreferences } from '../core/types';
import { UserZone } from '../core/user-zone';
import { ConnectionsSettings } from './connections/connections-settings';
import { deviceZone, sameZone } from '../core/zoned-time';
import { REMINDER_OFFSETS } from '../tasks/task-edit-dialog';

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

/** Notification preferences: channels, quiet hours, time zone, default reminder offset. */
@Component({
  selector: 'app-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DeviceNotifications,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ConnectionsSettings,
  ],
  templateUrl: './settings.html',
  styleUrl: './settings.scss',
})
export class Settings implements OnInit {
  private readonly api = inject(ApiService);
  private readonly userZone = inject(UserZone);

  readonly offsets = REMINDER_OFFSETS;
  readonly zones = timeZones();
  readonly deviceZone = deviceZone();
  readonly sameZone = sameZone;
  /** The zone as loaded: saving sends `timezone` only when it changed, since a zone the
   * server receives counts as the user's choice (and stops the silent adoption). */
  private loadedZone: string | null = null;

  readonly prefs = signal<NotificationPreferences | null>(null);
  readonly quiet = signal(false);
  readonly loading = signal(true);
  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly saved = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  async ngOnInit(): Promise<void> {
    try {
      const prefs = await this.api.getPreferences();
      this.prefs.set(prefs);
      this.loadedZone = prefs.timezone;
      this.quiet.set(prefs.quietHoursStart !== null);
    } catch (error) {
      this.error.set(`Could not load your settings: ${describeError(error).message}`);
    } finally {
      this.loading.set(false);
    }
  }

  patch(change: Partial<NotificationPreferences>): void {
    this.saved.set(null);
    this.prefs.update((p) => (p ? { ...p, ...change } : p));
  }

  setQuiet(on: boolean): void {
    this.quiet.set(on);
    const p = this.prefs();
    if (on && p && !p.quietHoursStart)
      this.patch({ quietHoursStart: '22:00', quietHoursEnd: '07:00' });
  }

  async save(): Promise<void> {
    const p = this.prefs();
    if (!p) return;
    this.error.set(null);
    this.fields.set({});
    if (this.quiet() && (!p.quietHoursStart || !p.quietHoursEnd)) {
      this.fields.set({ quietHoursStart: 'Set both the start and the end of quiet hours.' });
      return;
    }
    const body: Partial<NotificationPreferences> = {
      emailEnabled: p.emailEnabled,
      pushEnabled: p.pushEnabled,
      quietHoursStart: this.quiet() ? p.quietHoursStart : null,
      quietHoursEnd: this.quiet() ? p.quietHoursEnd : null,
      defaultReminderOffset: p.defaultReminderOffset,
    };
    if (p.timezone !== this.loadedZone) body.timezone = p.timezone;
    this.saving.set(true);
    try {
      const saved = await this.api.updatePreferences(body);
      this.prefs.set(saved);
      this.loadedZone = saved.timezone;
      this.userZone.apply(saved);
      this.saved.set('Settings saved.');
    } catch (error) {
      const described = describeError(error);
      this.fields.set(described.fields);
      this.error.set(described.message);
    } finally {
      this.saving.set(false);
    }
  }
}

import {
  ChangeDetectionStrategy,
  Component,
  HostListener,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { map, type Observable } from 'rxjs';
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
import { ImportExportSettings } from './import-export/import-export-settings';
import { AccountSettings } from '../account/account-settings';
import { deviceZone, sameZone } from '../core/zoned-time';
import { REMINDER_OFFSETS } from '../tasks/task-edit-dialog';
import { ConfirmDialog, type ConfirmData } from '../shared-confirm';

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf?.('timeZone') ?? [];
  // The browser's list leaves out UTC, the default of every new account.
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** A zone as typed to search: "new york" finds America/New_York. */
const zoneSearch = (text: string) => text.toLowerCase().replace(/[_/]+/g, ' ').trim();

/** Notification preferences: channels, quiet hours, time zone, default reminder offset. */
@Component({
  selector: 'app-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DeviceNotifications,
    FormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    ConnectionsSettings,
    ImportExportSettings,
    AccountSettings,
  ],
  templateUrl: './settings.html',
  styleUrl: './settings.scss',
})
export class Settings implements OnInit {
  private readonly api = inject(ApiService);
  private readonly userZone = inject(UserZone);
  private readonly dialog = inject(MatDialog);

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
  /** What is typed in the time-zone field; only a zone picked from the list is used. */
  readonly zoneText = signal('');
  readonly zoneMatches = computed(() => {
    const wanted = zoneSearch(this.zoneText());
    const all = this.zones.map((zone) => ({ zone, key: zoneSearch(zone) }));
    const found = wanted ? all.filter((z) => z.key.includes(wanted)) : all;
    return found.slice(0, 50).map((z) => z.zone);
  });
  /** The preferences as last loaded or saved, to tell unsaved changes. */
  private readonly savedPrefs = signal<string | null>(null);
  readonly dirty = computed(() => {
    const p = this.prefs();
    return !!p && this.savedPrefs() !== null && this.snapshot(p) !== this.savedPrefs();
  });
  readonly testing = signal(false);
  readonly testResult = signal<string | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      const prefs = await this.api.getPreferences();
      this.quiet.set(prefs.quietHoursStart !== null);
      this.prefs.set(prefs);
      this.savedPrefs.set(this.snapshot(prefs));
      this.zoneText.set(prefs.timezone);
      this.loadedZone = prefs.timezone;
    } catch (error) {
      this.error.set(`Could not load your settings: ${describeError(error).message}`);
    } finally {
      this.loading.set(false);
    }
  }

  patch(change: Partial<NotificationPreferences>): void {
    this.saved.set(null);
    this.prefs.update((p) => (p ? { ...p, ...change } : p));
    if (change.timezone) {
      this.zoneText.set(change.timezone);
      this.fields.update(({ timezone: _, ...rest }) => rest);
    }
  }

  /** A zone picked from the list. */
  pickZone(zone: string): void {
    this.patch({ timezone: zone });
  }

  /** Leaving the field with text that is not a zone: say so beside it; the zone stays as it was. */
  checkZone(): void {
    const p = this.prefs();
    if (!p || this.zoneText() === p.timezone) return;
    const exact = this.zones.find((z) => z.toLowerCase() === this.zoneText().trim().toLowerCase());
    if (exact) this.pickZone(exact);
    else
      this.fields.update((f) => ({
        ...f,
        timezone: `“${this.zoneText()}” is not a time zone. Pick one from the list (type a city, e.g. Berlin); still saved: ${p.timezone}.`,
      }));
  }

  /** Whether the page may be left: yes when everything is saved, else the user is asked. */
  canLeave(): boolean | Observable<boolean> {
    if (!this.dirty()) return true;
    return this.dialog
      .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
        data: {
          title: 'Leave without saving?',
          message: 'Your changes to the settings are not saved yet.',
          confirm: 'Leave without saving',
        },
      })
      .afterClosed()
      .pipe(map((leave) => leave === true));
  }

  /** Closing or reloading the tab with unsaved changes: the browser asks. */
  @HostListener('window:beforeunload', ['$event'])
  onBeforeUnload(event: BeforeUnloadEvent): void {
    if (!this.dirty()) return;
    event.preventDefault();
    event.returnValue = '';
  }

  private snapshot(p: NotificationPreferences): string {
    const quiet = this.quiet();
    return JSON.stringify({
      ...p,
      quietHoursStart: quiet ? p.quietHoursStart : null,
      quietHoursEnd: quiet ? p.quietHoursEnd : null,
      timezoneChosen: undefined,
    });
  }

  setQuiet(on: boolean): void {
    this.quiet.set(on);
    const p = this.prefs();
    if (on && p && !p.quietHoursStart)
      this.patch({ quietHoursStart: '22:00', quietHoursEnd: '07:00' });
  }

  /** "Send me a test notification": the workers deliver it; the inbox shows each channel. */
  async sendTest(): Promise<void> {
    this.testing.set(true);
    this.testResult.set(null);
    try {
      await this.api.sendTestNotification();
      this.testResult.set('On its way: see the inbox for each channel’s status.');
    } catch (error) {
      this.testResult.set(`Could not send it: ${describeError(error).message}`);
    } finally {
      this.testing.set(false);
    }
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
    if (this.zoneText() !== p.timezone) {
      this.checkZone();
      if (this.fields()['timezone']) return;
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
      this.quiet.set(saved.quietHoursStart !== null);
      this.savedPrefs.set(this.snapshot(saved));
      this.zoneText.set(saved.timezone);
      this.loadedZone = saved.timezone;
      this.userZone.apply(saved);
      this.saved.set('Settings saved.');
    } catch (error) {
      const described = describeError(error);
      this.fields.set(described.fields);
      // A refused field is said next to it; the banner only points there.
      const named = Object.keys(described.fields);
      this.error.set(
        named.length
          ? `Not saved: check ${named.length === 1 ? 'the field marked below' : 'the fields marked below'}.`
          : described.message,
      );
    } finally {
      this.saving.set(false);
    }
  }
}

import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiService } from './api.service';
import type { NotificationPreferences } from './types';
import { deviceZone, isKnownZone, sameZone } from './zoned-time';

/** The device is in one zone while the user chose to see times in another (travel). */
export interface ZoneMismatch {
  device: string;
  saved: string;
}

const KEPT_PREFIX = 'todo.zone-kept:';
const keptKey = (m: ZoneMismatch) => `${KEPT_PREFIX}${m.device}|${m.saved}`;

function readKept(m: ZoneMismatch): boolean {
  try {
    return localStorage.getItem(keptKey(m)) === '1';
  } catch {
    return false; // storage blocked: the banner simply shows again next time
  }
}

/**
 * The zone every time in the app is shown and typed in: the user's saved zone, which the server
 * also uses for recurrence, reminders, quiet hours and chat. On start it adopts the device's zone
 * silently while the user never chose one; once they did, a different device zone (travel)
 * only raises a question (`mismatch`), answered by `switchToDevice()` or `keep()`.
 */
@Injectable({ providedIn: 'root' })
export class UserZone {
  private readonly api = inject(ApiService);

  /** The device's zone, read at start. */
  readonly device = signal(deviceZone());
  /** The zone times are shown in: the saved one once known, the device's until then. */
  readonly zone = signal(deviceZone());
  /** Whether the user chose the saved zone (false while default or adopted). */
  readonly chosen = signal(false);
  readonly switching = signal(false);
  readonly error = signal<string | null>(null);
  private readonly kept = signal<ZoneMismatch | null>(null);
  private readonly loaded = signal(false);

  /** Set when the banner should ask: chosen zone ≠ device zone, and not kept for this pair. */
  readonly mismatch = computed<ZoneMismatch | null>(() => {
    if (!this.loaded() || !this.chosen()) return null;
    const m = { device: this.device(), saved: this.zone() };
    if (sameZone(m.device, m.saved) || !isKnownZone(m.device)) return null;
    const kept = this.kept();
    if (kept && kept.device === m.device && kept.saved === m.saved) return null;
    return readKept(m) ? null : m;
  });

  /**
   * Reads the saved preference and adopts the device zone if the user never chose one.
   * Failures leave times in the device zone and try again on the next start.
   */
  async start(): Promise<void> {
    const device = deviceZone();
    this.device.set(device);
    let prefs: NotificationPreferences;
    try {
      prefs = await this.api.getPreferences();
    } catch {
      return;
    }
    this.apply(prefs);
    if (!prefs.timezoneChosen && prefs.timezone !== device && isKnownZone(device)) {
      // (A legacy name of the same zone, e.g. Asia/Calcutta, is replaced by the current one.)
      this.zone.set(device);
      try {
        this.apply(await this.api.updatePreferences({ timezone: device, timezoneChosen: false }));
      } catch {
        this.zone.set(prefs.timezone);
      }
    }
  }

  /** New preferences from the server (start, Settings, the banner). */
  apply(prefs: NotificationPreferences): void {
    this.zone.set(isKnownZone(prefs.timezone) ? prefs.timezone : 'UTC');
    this.chosen.set(prefs.timezoneChosen);
    this.loaded.set(true);
  }

  /** The banner's "Switch to <device>": the device zone becomes the user's choice. */
  async switchToDevice(): Promise<void> {
    const device = this.device();
    this.switching.set(true);
    this.error.set(null);
    try {
      this.apply(await this.api.updatePreferences({ timezone: device, timezoneChosen: true }));
    } catch {
      this.error.set(`Could not switch to ${device}. Try again, or change it in Settings.`);
    } finally {
      this.switching.set(false);
    }
  }

  /** The banner's "Keep <saved>": not asked again on this device for this pair of zones. */
  keep(): void {
    const m = this.mismatch();
    if (!m) return;
    try {
      localStorage.setItem(keptKey(m), '1');
    } catch {
      // storage blocked: remembered for this session only
    }
    this.kept.set(m);
    this.error.set(null);
  }

  /** Signed out: forget the user's zone. */
  reset(): void {
    this.zone.set(deviceZone());
    this.chosen.set(false);
    this.loaded.set(false);
    this.kept.set(null);
    this.error.set(null);
  }
}

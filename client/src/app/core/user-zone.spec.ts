import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiService } from './api.service';
import type { NotificationPreferences } from './types';
import { UserZone } from './user-zone';
import { deviceZone } from './zoned-time';

describe('UserZone', () => {
  let api: jasmine.SpyObj<ApiService>;
  let zone: UserZone;
  const device = deviceZone();
  const elsewhere = device === 'Asia/Kolkata' ? 'America/New_York' : 'Asia/Kolkata';
  const prefs = (p: Partial<NotificationPreferences>): NotificationPreferences => ({
    emailEnabled: true,
    pushEnabled: true,
    quietHoursStart: null,
    quietHoursEnd: null,
    timezone: 'UTC',
    timezoneChosen: false,
    defaultReminderOffset: 15,
    ...p,
  });

  beforeEach(() => {
    localStorage.clear();
    api = jasmine.createSpyObj<ApiService>('ApiService', ['getPreferences', 'updatePreferences']);
    api.updatePreferences.and.callFake(async (body) => prefs(body));
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    zone = TestBed.inject(UserZone);
  });
  afterEach(() => localStorage.clear());

  it("adopts the device's zone silently when the user never chose one", async () => {
    api.getPreferences.and.resolveTo(prefs({ timezone: 'UTC', timezoneChosen: false }));
    await zone.start();
    expect(api.updatePreferences).toHaveBeenCalledOnceWith({
      timezone: device,
      timezoneChosen: false,
    });
    expect(zone.zone()).toBe(device);
    expect(zone.mismatch()).toBeNull();
  });

  it('asks (and changes nothing) when the chosen zone differs from the device', async () => {
    api.getPreferences.and.resolveTo(prefs({ timezone: elsewhere, timezoneChosen: true }));
    await zone.start();
    expect(api.updatePreferences).not.toHaveBeenCalled();
    expect(zone.zone()).toBe(elsewhere);
    expect(zone.mismatch()).toEqual({ device, saved: elsewhere });
  });

  it('does nothing when the saved zone is the device zone', async () => {
    api.getPreferences.and.resolveTo(prefs({ timezone: device, timezoneChosen: false }));
    await zone.start();
    expect(api.updatePreferences).not.toHaveBeenCalled();
    expect(zone.mismatch()).toBeNull();

    api.getPreferences.and.resolveTo(prefs({ timezone: device, timezoneChosen: true }));
    await zone.start();
    expect(api.updatePreferences).not.toHaveBeenCalled();
    expect(zone.mismatch()).toBeNull();
  });

  it('does not ask when the chosen zone is the device zone under another name', async () => {
    // Karma's browser is in America/Los_Angeles; US/Pacific is the same zone.
    api.getPreferences.and.resolveTo(prefs({ timezone: 'US/Pacific', timezoneChosen: true }));
    await zone.start();
    expect(zone.mismatch()).toBeNull();
  });

  it('keeps times in the device zone when the preferences cannot be read', async () => {
    api.getPreferences.and.rejectWith(new Error('offline'));
    await zone.start();
    expect(zone.zone()).toBe(device);
    expect(zone.mismatch()).toBeNull();
  });

  it('"Switch" makes the device zone the chosen one', async () => {
    api.getPreferences.and.resolveTo(prefs({ timezone: elsewhere, timezoneChosen: true }));
    await zone.start();
    await zone.switchToDevice();
    expect(api.updatePreferences).toHaveBeenCalledOnceWith({
      timezone: device,
      timezoneChosen: true,
    });
    expect(zone.zone()).toBe(device);
    expect(zone.mismatch()).toBeNull();
  });

  it('"Keep" is remembered on this device for this pair of zones only', async () => {
    api.getPreferences.and.resolveTo(prefs({ timezone: elsewhere, timezoneChosen: true }));
    await zone.start();
    zone.keep();
    expect(zone.mismatch()).toBeNull();
    expect(api.updatePreferences).not.toHaveBeenCalled();

    // A fresh start (a reload) does not ask again for the same pair…
    zone.reset();
    await zone.start();
    expect(zone.mismatch()).toBeNull();

    // …but does for another chosen zone.
    const third = device === 'Europe/Berlin' ? 'Asia/Tokyo' : 'Europe/Berlin';
    api.getPreferences.and.resolveTo(prefs({ timezone: third, timezoneChosen: true }));
    await zone.start();
    expect(zone.mismatch()).toEqual({ device, saved: third });
  });
});

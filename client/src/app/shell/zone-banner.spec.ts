import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ApiService } from '../core/api.service';
import type { NotificationPreferences } from '../core/types';
import { UserZone } from '../core/user-zone';
import { deviceZone } from '../core/zoned-time';
import { ZoneBanner } from './zone-banner';

describe('ZoneBanner', () => {
  let api: jasmine.SpyObj<ApiService>;
  let fixture: ComponentFixture<ZoneBanner>;
  const device = deviceZone();
  const chosen = device === 'Asia/Kolkata' ? 'America/New_York' : 'Asia/Kolkata';
  const prefs = (p: Partial<NotificationPreferences>): NotificationPreferences => ({
    emailEnabled: true,
    pushEnabled: true,
    quietHoursStart: null,
    quietHoursEnd: null,
    timezone: chosen,
    timezoneChosen: true,
    defaultReminderOffset: 15,
    ...p,
  });
  const banner = () =>
    (fixture.nativeElement as HTMLElement).querySelector('[data-testid="zone-banner"]');
  const button = (text: string) =>
    [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find((b) =>
      b.textContent!.includes(text),
    )!;

  beforeEach(async () => {
    localStorage.clear();
    api = jasmine.createSpyObj<ApiService>('ApiService', ['getPreferences', 'updatePreferences']);
    api.getPreferences.and.resolveTo(prefs({}));
    api.updatePreferences.and.callFake(async (body) => prefs(body));
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    fixture = TestBed.createComponent(ZoneBanner);
    await TestBed.inject(UserZone).start();
    await fixture.whenStable();
  });
  afterEach(() => localStorage.clear());

  it('says in one line where the device is and which zone times are shown in', () => {
    expect(banner()!.textContent!.replace(/\s+/g, ' ')).toContain(
      `Your device is in ${device}; times are shown in ${chosen}.`,
    );
    expect(button(`Switch to ${device}`)).toBeTruthy();
    expect(button(`Keep ${chosen}`)).toBeTruthy();
  });

  it('"Switch to" saves the device zone as the chosen one and goes away', async () => {
    button(`Switch to ${device}`).click();
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    expect(api.updatePreferences).toHaveBeenCalledOnceWith({
      timezone: device,
      timezoneChosen: true,
    });
    expect(banner()).toBeNull();
    expect(TestBed.inject(UserZone).zone()).toBe(device);
  });

  it('"Keep" goes away without saving, and stays away after a reload', async () => {
    button(`Keep ${chosen}`).click();
    await fixture.whenStable();
    expect(banner()).toBeNull();
    expect(api.updatePreferences).not.toHaveBeenCalled();
    const zone = TestBed.inject(UserZone);
    zone.reset();
    await zone.start();
    await fixture.whenStable();
    expect(banner()).toBeNull();
    expect(zone.zone()).toBe(chosen);
  });

  it('says so when switching fails, and keeps asking', async () => {
    api.updatePreferences.and.rejectWith(new Error('offline'));
    button(`Switch to ${device}`).click();
    await fixture.whenStable();
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    expect(banner()!.querySelector('[role="alert"]')!.textContent).toContain(
      `Could not switch to ${device}`,
    );
  });
});

import { HttpErrorResponse, provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiService } from '../core/api.service';
import type { NotificationPreferences } from '../core/types';
import { UserZone } from '../core/user-zone';
import { Settings } from './settings';

describe('Settings', () => {
  // The Connections section inside the page calls the API through HttpClient.
  beforeEach(() =>
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    }),
  );
  let api: jasmine.SpyObj<ApiService>;
  const prefs: NotificationPreferences = {
    emailEnabled: true,
    pushEnabled: true,
    quietHoursStart: null,
    quietHoursEnd: null,
    timezone: 'UTC',
    timezoneChosen: false,
    defaultReminderOffset: 15,
  };

  async function setup() {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['getPreferences', 'updatePreferences']);
    api.getPreferences.and.resolveTo({ ...prefs });
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    const fixture = TestBed.createComponent(Settings);
    await fixture.componentInstance.ngOnInit();
    await fixture.whenStable();
    return fixture;
  }

  it('saves channels, quiet hours, time zone and default offset', async () => {
    const fixture = await setup();
    const page = fixture.componentInstance;
    page.patch({ pushEnabled: false, timezone: 'Europe/Berlin', defaultReminderOffset: 60 });
    page.setQuiet(true);
    api.updatePreferences.and.callFake(async (body) => ({ ...prefs, ...body }));
    await page.save();
    expect(api.updatePreferences).toHaveBeenCalledWith({
      emailEnabled: true,
      pushEnabled: false,
      quietHoursStart: '22:00',
      quietHoursEnd: '07:00',
      timezone: 'Europe/Berlin',
      defaultReminderOffset: 60,
    });
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Settings saved.');
  });

  it('sends the time zone only when it changed, and shows times in the new one', async () => {
    const fixture = await setup();
    const page = fixture.componentInstance;
    api.updatePreferences.and.callFake(async (body) => ({ ...prefs, ...body }));
    page.patch({ defaultReminderOffset: 5 });
    await page.save();
    // An unchanged zone is not sent: the server would take it as the user's choice.
    expect(api.updatePreferences.calls.mostRecent().args[0].timezone).toBeUndefined();

    page.patch({ timezone: 'Asia/Kolkata' });
    await page.save();
    expect(api.updatePreferences.calls.mostRecent().args[0].timezone).toBe('Asia/Kolkata');
    expect(TestBed.inject(UserZone).zone()).toBe('Asia/Kolkata');
  });

  it('shows the server message next to the time zone field', async () => {
    const fixture = await setup();
    api.updatePreferences.and.rejectWith(
      new HttpErrorResponse({
        status: 400,
        error: {
          error: 'VALIDATION_FAILED',
          message: 'invalid body: timezone',
          details: [
            {
              field: 'timezone',
              message: 'timezone must be an IANA time zone',
              type: 'any.invalid',
            },
          ],
          correlationId: 'c',
        },
      }),
    );
    fixture.componentInstance.patch({ timezone: 'Mars/Olympus' });
    await fixture.componentInstance.save();
    await fixture.whenStable();
    const text = (fixture.nativeElement as HTMLElement).textContent!;
    expect(text).toContain('Timezone must be an IANA time zone');
    expect(text).toContain('Invalid body: timezone');
  });

  it('says in words when the settings cannot be loaded', async () => {
    api = jasmine.createSpyObj<ApiService>('ApiService', ['getPreferences']);
    api.getPreferences.and.rejectWith(new HttpErrorResponse({ status: 503 }));
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    const fixture = TestBed.createComponent(Settings);
    await fixture.componentInstance.ngOnInit();
    await fixture.whenStable();
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')!.textContent,
    ).toContain('Could not load your settings: The service is temporarily unavailable');
  });
});

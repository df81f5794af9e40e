import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { AuthSessionInfo, AuthUser } from '@todo/contracts';
import { AuthService } from '../core/auth.service';
import { describeDevice } from './account-api';
import { AccountSettings } from './account-settings';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('AccountSettings', () => {
  let http: HttpTestingController;
  let fixture: ComponentFixture<AccountSettings>;
  let auth: {
    user: ReturnType<typeof signal<AuthUser | null>>;
    updateUser: jasmine.Spy;
    accountDeleted: jasmine.Spy;
  };

  const session = (id: string, userAgent: string, updatedAt: string): AuthSessionInfo => ({
    id,
    token: `token-${id}`,
    userAgent,
    ipAddress: '203.0.113.7',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt,
    expiresAt: '2026-12-01T10:00:00.000Z',
  });
  const page = () => fixture.nativeElement as HTMLElement;
  const text = () => page().textContent ?? '';
  const button = (label: string) => {
    const found = [...page().querySelectorAll('button')].find((b) =>
      b.textContent?.trim().startsWith(label),
    );
    if (!found) throw new Error(`no button "${label}" in: ${text()}`);
    return found;
  };
  const type = (name: string, value: string) => {
    const input = page().querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  async function answer(method: string, url: string, body: object | null, status = 200) {
    const request = http.expectOne({ method, url });
    request.flush(body, { status, statusText: status < 300 ? 'OK' : 'Error' });
    await fixture.whenStable();
    return request.request;
  }

  beforeEach(async () => {
    auth = {
      user: signal<AuthUser | null>({
        id: 'u1',
        email: 'ada@example.com',
        name: 'Ada',
        emailVerified: true,
      }),
      updateUser: jasmine.createSpy('updateUser'),
      accountDeleted: jasmine.createSpy('accountDeleted'),
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AuthService, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AccountSettings);
    fixture.detectChanges();
    await answer('GET', '/api/auth/list-sessions', [
      session('s1', FIREFOX, '2026-11-28T09:00:00.000Z'),
      { ...session('s2', IPHONE, '2026-11-29T08:00:00.000Z'), ipAddress: '0000:0000:0000:0000::' },
    ]);
    await answer('GET', '/api/auth/get-session', { session: { id: 's1' }, user: {} });
  });
  afterEach(() => http.verify());

  it('lists the signed-in devices, newest first, marking this one', () => {
    const items = [...page().querySelectorAll('.devices li')].map((li) => li.textContent ?? '');
    expect(items.length).toBe(2);
    expect(items[0]).toContain('Safari on iOS');
    expect(items[0]).toContain('last active');
    expect(items[1]).toContain('Firefox on Linux');
    expect(items[1]).toContain('(this device)');
    // A real address is shown; an IPv6 /64 prefix of all zeros (a local connection) is not.
    expect(items[1]).toContain('203.0.113.7');
    expect(items[0]).not.toContain('0000');
  });

  it('"Sign out everywhere else" ends the other sessions and keeps this one', async () => {
    button('Sign out everywhere else').click();
    await answer('POST', '/api/auth/revoke-other-sessions', { status: true });
    expect(page().querySelectorAll('.devices li').length).toBe(1);
    expect(text()).toContain('Every other device is signed out.');
  });

  it('changing the password sends the current one and names it when wrong', async () => {
    type('currentPassword', 'old-secret-1');
    type('newPassword', 'new-secret-22');
    button('Change password').click();
    const request = await answer(
      'POST',
      '/api/auth/change-password',
      { code: 'INVALID_PASSWORD', message: 'Invalid password' },
      400,
    );
    expect(request.body).toEqual({
      currentPassword: 'old-secret-1',
      newPassword: 'new-secret-22',
      revokeOtherSessions: true,
    });
    expect(text()).toContain('That is not your current password.');
  });

  it('changing the address says a link was mailed, whatever the answer would reveal', async () => {
    type('newEmail', 'ada.new@example.com');
    button('Change address').click();
    const request = await answer('POST', '/api/auth/change-email', { status: true });
    expect(request.body).toEqual({ newEmail: 'ada.new@example.com' });
    expect(text()).toContain('We mailed a link to ada.new@example.com');
  });

  it('saves the name and shows it at once', async () => {
    type('accountName', 'Ada L.');
    button('Save name').click();
    await answer('POST', '/api/auth/update-user', { status: true });
    expect(auth.updateUser).toHaveBeenCalledWith({ name: 'Ada L.' });
  });

  it('deleting explains what goes, asks for the password, then signs out', async () => {
    button('Delete account').click();
    await fixture.whenStable();
    expect(text()).toContain('removes your tasks, conversations, notifications');
    button('Delete my account for good').click();
    await fixture.whenStable();
    expect(text()).toContain('Enter your password.');
    type('deletePassword', 'correct-horse-battery');
    button('Delete my account for good').click();
    const request = await answer('POST', '/api/auth/delete-user', { success: true });
    expect(request.body).toEqual({ password: 'correct-horse-battery' });
    expect(auth.accountDeleted).toHaveBeenCalled();
  });
});

describe('describeDevice', () => {
  it('names the browser and system people recognise', () => {
    expect(describeDevice(FIREFOX)).toBe('Firefox on Linux');
    expect(describeDevice(IPHONE)).toBe('Safari on iOS');
    expect(describeDevice('curl/8.5.0')).toBe('A script');
    expect(describeDevice(null)).toBe('A browser');
  });
});

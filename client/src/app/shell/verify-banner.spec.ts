import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AuthUser } from '@todo/contracts';
import { AuthService } from '../core/auth.service';
import { VerifyBanner } from './verify-banner';

describe('VerifyBanner', () => {
  const user = signal<AuthUser | null>(null);
  const resendVerification = jasmine.createSpy('resendVerification');

  beforeEach(() => sessionStorage.removeItem('todo.verify-banner.later'));
  afterEach(() => sessionStorage.removeItem('todo.verify-banner.later'));

  function render() {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: AuthService, useValue: { user, resendVerification } },
      ],
    });
    const fixture = TestBed.createComponent(VerifyBanner);
    fixture.detectChanges();
    return fixture;
  }

  it('shows nothing once the address is verified', async () => {
    user.set({ id: 'u1', email: 'ada@example.com', name: 'Ada', emailVerified: true });
    const fixture = render();
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[data-testid="verify-banner"]')).toBeNull();
  });

  it('asks to confirm an unverified address, and "Resend" mails the link again', async () => {
    user.set({ id: 'u1', email: 'ada@example.com', name: 'Ada', emailVerified: false });
    resendVerification.and.resolveTo(undefined);
    const fixture = render();
    await fixture.whenStable();
    const banner = fixture.nativeElement.querySelector(
      '[data-testid="verify-banner"]',
    ) as HTMLElement;
    expect(banner.textContent).toContain('Confirm ada@example.com');
    expect(banner.textContent).toContain('email reminders start once it is confirmed');
    (banner.querySelector('button') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(resendVerification).toHaveBeenCalledWith('ada@example.com');
    expect(fixture.nativeElement.textContent).toContain(
      'A new link is on its way to ada@example.com.',
    );
  });

  it('"Later" puts the banner away for this session', async () => {
    user.set({ id: 'u1', email: 'ada@example.com', name: 'Ada', emailVerified: false });
    const fixture = render();
    await fixture.whenStable();
    const later = [...fixture.nativeElement.querySelectorAll('button')].find(
      (b: HTMLButtonElement) => b.textContent?.trim() === 'Later',
    ) as HTMLButtonElement;
    later.click();
    await fixture.whenStable();
    expect(fixture.nativeElement.querySelector('[data-testid="verify-banner"]')).toBeNull();
    TestBed.resetTestingModule();
    const again = render();
    await again.whenStable();
    expect(again.nativeElement.querySelector('[data-testid="verify-banner"]')).toBeNull();
  });
});

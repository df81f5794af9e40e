import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection, type Type } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { ForgotPassword } from './forgot-password';
import { ResetPassword } from './reset-password';

describe('password reset pages', () => {
  let http: HttpTestingController;

  async function open<T>(component: Type<T>, url: string): Promise<ComponentFixture<unknown>> {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([
          { path: 'forgot-password', component: ForgotPassword },
          { path: 'reset-password', component: ResetPassword },
        ]),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url, component);
    return harness.fixture;
  }
  const page = () =>
    document.querySelector('app-forgot-password, app-reset-password') as HTMLElement;
  const type = (fixture: ComponentFixture<unknown>, name: string, value: string) => {
    const input = fixture.nativeElement.querySelector(
      `input[formcontrolname="${name}"]`,
    ) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = async (fixture: ComponentFixture<unknown>) => {
    (fixture.nativeElement.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await fixture.whenStable();
  };
  /** Lets the page take in an answer: its promise chain resolves over a few tasks. */
  const settle = async (fixture: ComponentFixture<unknown>) => {
    for (let i = 0; i < 3; i++) {
      await fixture.whenStable();
      fixture.detectChanges();
    }
  };
  afterEach(() => http.verify());

  it('"Forgot password?" mails a link and says so in words that reveal nothing', async () => {
    const fixture = await open(ForgotPassword, '/forgot-password');
    await submit(fixture);
    expect(fixture.nativeElement.textContent).toContain('Enter your email address.');
    type(fixture, 'email', 'ada@example.com');
    await submit(fixture);
    const request = http.expectOne('/api/auth/request-password-reset');
    expect(request.request.body).toEqual({ email: 'ada@example.com' });
    request.flush({ status: true, message: 'If this email exists …' });
    await settle(fixture);
    expect(fixture.nativeElement.textContent).toContain(
      'If an account uses ada@example.com, a link to choose a new password is on its way.',
    );
    expect(page()).toBeTruthy();
  });

  it('the reset page posts the token with the new password, then sends to sign-in', async () => {
    const fixture = await open(ResetPassword, '/reset-password?token=tok123');
    type(fixture, 'password', 'a-brand-new-secret');
    type(fixture, 'repeat', 'a-different-one');
    await submit(fixture);
    expect(fixture.nativeElement.textContent).toContain('The two passwords differ.');
    type(fixture, 'repeat', 'a-brand-new-secret');
    await submit(fixture);
    const request = http.expectOne('/api/auth/reset-password');
    expect(request.request.body).toEqual({ token: 'tok123', newPassword: 'a-brand-new-secret' });
    request.flush({ status: true });
    await settle(fixture);
    expect(fixture.nativeElement.textContent).toContain('Your password is changed');
  });

  it('a used or expired link says so and points to a new one', async () => {
    const fixture = await open(ResetPassword, '/reset-password?token=used');
    type(fixture, 'password', 'a-brand-new-secret');
    type(fixture, 'repeat', 'a-brand-new-secret');
    await submit(fixture);
    http
      .expectOne('/api/auth/reset-password')
      .flush(
        { code: 'INVALID_TOKEN', message: 'Invalid token' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);
    expect(fixture.nativeElement.textContent).toContain(
      'This link was already used or has expired.',
    );
  });
});

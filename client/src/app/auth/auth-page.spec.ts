import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, Router, provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { AuthPage } from './auth-page';

describe('AuthPage', () => {
  let auth: jasmine.SpyObj<AuthService> & {
    signOutReason: ReturnType<typeof signal<string | null>>;
  };

  function setup(mode: 'sign-in' | 'sign-up', reason: string | null = null) {
    auth = Object.assign(jasmine.createSpyObj<AuthService>('AuthService', ['signIn', 'signUp']), {
      signOutReason: signal<string | null>(reason),
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: AuthService, useValue: auth },
        { provide: ActivatedRoute, useValue: { data: of({ mode }) } },
      ],
    });
    spyOn(TestBed.inject(Router), 'navigateByUrl').and.resolveTo(true);
    return TestBed.createComponent(AuthPage);
  }

  function fill(el: HTMLElement, name: string, value: string) {
    const input = el.querySelector<HTMLInputElement>(`input[formcontrolname="${name}"]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('labels every field and explains what is wrong before calling the server', async () => {
    const fixture = setup('sign-up');
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('h1')!.textContent).toContain('Create your account');
    for (const label of ['Name', 'Email', 'Password']) expect(el.textContent).toContain(label);
    fill(el, 'email', 'not-an-email');
    fill(el, 'password', 'short');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
    expect(el.textContent).toContain('Tell us what to call you.');
    expect(el.textContent).toContain('That does not look like an email address.');
    expect(el.textContent).toContain('At least 8 characters.');
    expect(auth.signUp).not.toHaveBeenCalled();
  });

  it('signs in and goes to the tasks', async () => {
    const fixture = setup('sign-in');
    auth.signIn.and.resolveTo({ id: 'u1', email: 'ada@example.com', name: 'Ada' });
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    fill(el, 'email', 'ada@example.com');
    fill(el, 'password', 'correct-horse-9');
    await fixture.componentInstance.submit();
    expect(auth.signIn).toHaveBeenCalledWith('ada@example.com', 'correct-horse-9');
    expect(TestBed.inject(Router).navigateByUrl).toHaveBeenCalledWith('/tasks');
  });

  it('says a wrong password in words, and why the user was signed out', async () => {
    const fixture = setup('sign-in', 'Your session has expired. Please sign in again.');
    auth.signIn.and.rejectWith(
      new HttpErrorResponse({
        status: 401,
        error: { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' },
      }),
    );
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('.notice')!.textContent).toContain('session has expired');
    fill(el, 'email', 'ada@example.com');
    fill(el, 'password', 'wrong-password');
    await fixture.componentInstance.submit();
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')!.textContent).toContain(
      'That email and password do not match an account.',
    );
  });
});

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { returnTo } from '../core/return-to';
import { AuthCard } from './auth-card';

/** Sign in and sign up (the route's `data.mode` picks which). */
@Component({
  selector: 'app-auth-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    AuthCard,
  ],
  templateUrl: './auth-page.html',
})
export class AuthPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly mode = toSignal(
    inject(ActivatedRoute).data.pipe(map((d) => (d['mode'] === 'sign-up' ? 'sign-up' : 'sign-in'))),
    { initialValue: 'sign-in' as 'sign-in' | 'sign-up' },
  );
  readonly isSignUp = computed(() => this.mode() === 'sign-up');
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly fieldErrors = signal<Record<string, string>>({});
  readonly notice = this.auth.signOutReason;
  /** Where to go once signed in (an invite page), kept on the link to the other mode too. */
  readonly next = returnTo(this.router.parseUrl(this.router.url).queryParams['next']);
  readonly nextParams = this.next === '/tasks' ? {} : { next: this.next };

  readonly form = this.fb.group({
    name: [''],
    email: ['', [Validators.required, Validators.email]],
    password: ['', [Validators.required, Validators.minLength(8)]],
  });

  async submit(): Promise<void> {
    this.error.set(null);
    this.fieldErrors.set({});
    const { name, email, password } = this.form.getRawValue();
    if (this.isSignUp() && !name.trim()) {
      this.form.controls.name.setErrors({ required: true });
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    try {
      if (this.isSignUp()) await this.auth.signUp(name.trim(), email.trim(), password);
      else await this.auth.signIn(email.trim(), password);
      await this.router.navigateByUrl(this.next);
    } catch (error) {
      const described = describeError(error);
      this.fieldErrors.set(described.fields);
      this.error.set(
        described.status === 401
          ? this.isSignUp()
            ? // Sign-up answers a taken address like a new one; only the sign-in after it fails.
              'Could not sign you in with that email and password. If you already have an account, sign in instead.'
            : 'That email and password do not match an account.'
          : described.message,
      );
    } finally {
      this.busy.set(false);
    }
  }
}

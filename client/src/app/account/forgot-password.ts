import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { AuthCard } from '../auth/auth-card';

/**
 * "Forgot password?": asks for the address and mails a reset link. The answer is the same
 * whether or not an account uses the address, so the page never tells anyone which do.
 */
@Component({
  selector: 'app-forgot-password',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    AuthCard,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <app-auth-card heading="Reset your password">
      @if (sentTo(); as email) {
        <p class="notice" role="status">
          If an account uses {{ email }}, a link to choose a new password is on its way. It works
          once, for 30 minutes.
        </p>
      } @else {
        <p>Enter the address you signed up with; we mail you a link to choose a new password.</p>
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline">
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" autocomplete="email" required />
            @if (form.controls.email.hasError('required')) {
              <mat-error>Enter your email address.</mat-error>
            } @else if (form.controls.email.hasError('email')) {
              <mat-error>That does not look like an email address.</mat-error>
            }
          </mat-form-field>
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">Send the link</button>
        </form>
      }
      <p authCardFooter><a routerLink="/sign-in">Back to sign in</a></p>
    </app-auth-card>
  `,
})
export class ForgotPassword {
  private readonly auth = inject(AuthService);
  readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
  });
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly sentTo = signal<string | null>(null);

  async submit(): Promise<void> {
    this.error.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const email = this.form.getRawValue().email.trim();
    this.busy.set(true);
    try {
      await this.auth.requestPasswordReset(email);
      this.sentTo.set(email);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}

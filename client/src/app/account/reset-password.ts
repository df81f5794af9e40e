import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { AuthCard } from '../auth/auth-card';

/** The page a reset link opens (`/reset-password?token=…`): choose the new password. */
@Component({
  selector: 'app-reset-password',
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
    <app-auth-card heading="Choose a new password">
      @if (done()) {
        <p class="notice" role="status">
          Your password is changed, and every device was signed out.
          <a routerLink="/sign-in">Sign in</a> with the new one.
        </p>
      } @else if (!token()) {
        <p class="error-text" role="alert">
          This page needs the link from the mail.
          <a routerLink="/forgot-password">Ask for a new link</a>.
        </p>
      } @else {
        <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
          <mat-form-field appearance="outline">
            <mat-label>New password</mat-label>
            <input
              matInput
              type="password"
              formControlName="password"
              autocomplete="new-password"
              required
            />
            @if (form.controls.password.hasError('required')) {
              <mat-error>Enter a new password.</mat-error>
            } @else if (form.controls.password.hasError('minlength')) {
              <mat-error>At least 8 characters.</mat-error>
            }
            <mat-hint>At least 8 characters.</mat-hint>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>Repeat it</mat-label>
            <input
              matInput
              type="password"
              formControlName="repeat"
              autocomplete="new-password"
              required
            />
          </mat-form-field>
          @if (error(); as message) {
            <p class="error-text" role="alert">{{ message }}</p>
          }
          <button mat-flat-button type="submit" [disabled]="busy()">Set the password</button>
        </form>
      }
      <p authCardFooter><a routerLink="/sign-in">Back to sign in</a></p>
    </app-auth-card>
  `,
})
export class ResetPassword {
  private readonly auth = inject(AuthService);
  readonly token = toSignal(
    inject(ActivatedRoute).queryParamMap.pipe(map((q) => q.get('token') ?? '')),
    { initialValue: '' },
  );
  readonly form = inject(NonNullableFormBuilder).group({
    password: ['', [Validators.required, Validators.minLength(8)]],
    repeat: [''],
  });
  readonly busy = signal(false);
  readonly done = signal(false);
  readonly error = signal<string | null>(null);

  async submit(): Promise<void> {
    this.error.set(null);
    const { password, repeat } = this.form.getRawValue();
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    if (password !== repeat) {
      this.error.set('The two passwords differ.');
      return;
    }
    this.busy.set(true);
    try {
      await this.auth.resetPassword(this.token(), password);
      this.done.set(true);
    } catch (error) {
      const described = describeError(error);
      this.error.set(
        described.status === 400 && !Object.keys(described.fields).length
          ? 'This link was already used or has expired. Ask for a new one from the sign-in page.'
          : (Object.values(described.fields)[0] ?? described.message),
      );
    } finally {
      this.busy.set(false);
    }
  }
}

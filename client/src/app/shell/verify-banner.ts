import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { Banner } from './banner';

/** Where "Later" is remembered: for this browser tab's session, so the next visit asks again. */
const LATER_KEY = 'todo.verify-banner.later';

/**
 * One line while the account's address is not verified: reminder mail waits for it, and the
 * link can be mailed again ("Resend"). "Later" hides it for the session: on a phone a banner
 * that cannot be put away costs the task list a sixth of the screen.
 */
@Component({
  selector: 'app-verify-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, Banner],
  template: `
    @if (unverified(); as email) {
      <app-banner label="Email address" tone="tertiary" data-testid="verify-banner">
        <p>
          Confirm <strong>{{ email }}</strong> with the link we mailed you: email reminders start
          once it is confirmed.
        </p>
        <span bannerActions>
          <button mat-button type="button" [disabled]="busy()" (click)="resend()">Resend</button>
          <button mat-button type="button" (click)="later()">Later</button>
        </span>
        <p bannerStatus role="status" aria-live="polite">{{ status() }}</p>
      </app-banner>
    }
  `,
})
export class VerifyBanner {
  private readonly auth = inject(AuthService);
  readonly busy = signal(false);
  readonly status = signal('');
  private readonly hidden = signal(sessionStorage.getItem(LATER_KEY) === '1');
  /** The address while it is unverified (an older server saying nothing counts as verified). */
  readonly unverified = computed(() => {
    const user = this.auth.user();
    return user && user.emailVerified === false && !this.hidden() ? user.email : null;
  });

  later(): void {
    sessionStorage.setItem(LATER_KEY, '1');
    this.hidden.set(true);
  }

  async resend(): Promise<void> {
    const email = this.unverified();
    if (!email) return;
    this.busy.set(true);
    try {
      await this.auth.resendVerification(email);
      this.status.set(`A new link is on its way to ${email}.`);
    } catch (error) {
      this.status.set(describeError(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}

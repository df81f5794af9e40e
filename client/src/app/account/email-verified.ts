import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { AuthService } from '../core/auth.service';
import { AuthCard } from '../auth/auth-card';
import { pendingInvite } from '../core/return-to';

/**
 * Where a verification link lands (after the api checked it): says whether it worked, and
 * reads the account again so the "confirm your address" banner goes away.
 */
@Component({
  selector: 'app-email-verified',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AuthCard, RouterLink],
  template: `
    <app-auth-card [heading]="failed() ? 'That link did not work' : 'Address confirmed'">
      @if (failed()) {
        <p class="error-text" role="alert">
          The link has expired or is not valid. Sign in and press “Resend” on the banner for a new
          one.
        </p>
      } @else {
        <p class="notice" role="status">
          Thank you: your address is confirmed, and email reminders can reach you.
        </p>
      }
      <p authCardFooter>
        @if (invite && !failed()) {
          <!-- Signed up from an invite: joining needed the confirmed address, now it can. -->
          <a [routerLink]="invite" data-testid="open-invite">Join the list you were invited to</a>
        } @else {
          <a [routerLink]="signedIn() ? '/tasks' : '/sign-in'">Open Todo Chatbot</a>
        }
      </p>
    </app-auth-card>
  `,
})
export class EmailVerified implements OnInit {
  private readonly auth = inject(AuthService);
  readonly failed = signal(inject(ActivatedRoute).snapshot.queryParamMap.has('error'));
  readonly signedIn = signal(false);
  readonly invite = pendingInvite();

  async ngOnInit(): Promise<void> {
    this.signedIn.set((await this.auth.reload()) !== null);
  }
}

import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { AuthCard } from '../auth/auth-card';
import { ApiService } from '../core/api.service';
import { AuthService } from '../core/auth.service';
import { describeError } from '../core/errors';
import { ListStore } from '../core/list-store';
import { rememberInvite } from '../core/return-to';

/** Why an invite could not be accepted, in the words the page uses. */
type Refusal = 'invalid' | 'other-address' | 'unconfirmed' | 'failed';

/**
 * Where a mailed invite link lands (`/invites/:token`). Signed out, it asks to sign in or sign
 * up and comes back here afterwards (the token rides along as `?next=`). Signed in, it accepts
 * the invite and opens the list; a link that cannot be used says why in words.
 */
@Component({
  selector: 'app-invite-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AuthCard, MatButtonModule, RouterLink],
  template: `
    <app-auth-card [heading]="heading()" [busy]="state() === 'accepting'">
      @switch (state()) {
        @case ('signed-out') {
          <p class="notice" role="status" data-testid="invite-signed-out">
            Someone shared a list with you. Sign in to join it; new here? Create an account with the
            address the invite was sent to.
          </p>
          <div class="actions">
            <a mat-flat-button routerLink="/sign-in" [queryParams]="next">Sign in</a>
            <a mat-stroked-button routerLink="/sign-up" [queryParams]="next">Create an account</a>
          </div>
        }
        @case ('accepting') {
          <p role="status">Joining the list…</p>
        }
        @case ('refused') {
          <p class="error-text" role="alert" data-testid="invite-error">{{ message() }}</p>
          @if (refusal() === 'other-address') {
            <p>You are signed in as {{ email() }}.</p>
            <button mat-stroked-button type="button" (click)="switchAccount()">
              Sign in with another account
            </button>
          } @else if (refusal() === 'unconfirmed') {
            <button mat-stroked-button type="button" (click)="resend()" [disabled]="resent()">
              {{ resent() ? 'Sent: check your mail' : 'Send the confirmation again' }}
            </button>
          } @else if (refusal() === 'failed') {
            <button mat-stroked-button type="button" (click)="accept()">Try again</button>
          }
        }
      }
      <p authCardFooter><a routerLink="/tasks">Open Todo Chatbot</a></p>
    </app-auth-card>
  `,
  styles: `
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class InvitePage implements OnInit {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  private readonly lists = inject(ListStore);
  private readonly router = inject(Router);
  private readonly token = inject(ActivatedRoute).snapshot.paramMap.get('token') ?? '';
  readonly next = { next: `/invites/${this.token}` };

  readonly state = signal<'checking' | 'signed-out' | 'accepting' | 'refused'>('checking');
  readonly refusal = signal<Refusal | null>(null);
  readonly message = signal('');
  readonly email = signal('');
  readonly resent = signal(false);
  readonly heading = signal('Invitation to a list');

  async ngOnInit(): Promise<void> {
    const user = await this.auth.restore();
    if (!user) {
      rememberInvite(this.token);
      this.state.set('signed-out');
      return;
    }
    this.email.set(user.email);
    await this.accept();
  }

  async accept(): Promise<void> {
    this.state.set('accepting');
    try {
      const { list, member } = await this.api.acceptInvite(this.token);
      rememberInvite(null);
      this.lists.joined(list, member.role);
      await this.router.navigate(['/tasks'], { queryParams: { list: list.id } });
    } catch (error) {
      this.refuse(error);
    }
  }

  async switchAccount(): Promise<void> {
    rememberInvite(this.token);
    await this.auth.signOut();
    await this.router.navigate(['/sign-in'], { queryParams: this.next });
  }

  async resend(): Promise<void> {
    await this.auth.resendVerification(this.email()).catch(() => undefined);
    this.resent.set(true);
  }

  /**
   * The api's refusals (ADR 320): 404 = unknown, used, withdrawn or expired; 400 = not a token
   * at all (a link cut short by a mail client or a copy); 403 = not yours.
   */
  private refuse(error: unknown): void {
    const described = describeError(error);
    this.state.set('refused');
    this.heading.set('That invite did not work');
    if (described.status === 404) {
      rememberInvite(null);
      this.refusal.set('invalid');
      this.message.set(
        'This invite link cannot be used any more: it was already used, withdrawn, or it expired (links work for 7 days). Ask the list’s owner for a new one.',
      );
    } else if (described.status === 400) {
      rememberInvite(null);
      this.refusal.set('invalid');
      this.message.set(
        'This invite link is incomplete: part of it was probably lost when it was copied or when the mail wrapped it. Open the link from the mail again, or ask the list’s owner for a new one.',
      );
    } else if (described.status === 403 && /another address/i.test(described.serverMessage)) {
      this.refusal.set('other-address');
      this.message.set(
        'This invite was sent to another address. Sign in with the account of the address it was sent to.',
      );
    } else if (described.status === 403 && /confirm/i.test(described.serverMessage)) {
      this.refusal.set('unconfirmed');
      this.message.set(
        'Confirm your email address first (we mailed you a link), then open the invite link again.',
      );
    } else {
      this.refusal.set('failed');
      this.message.set(described.message);
    }
  }
}

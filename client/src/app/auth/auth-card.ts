import { ChangeDetectionStrategy, Component, ViewEncapsulation, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';

/**
 * The frame of every signed-out page (sign in, sign up, forgot and reset password, address
 * confirmed): a centred card with the page's heading, its content, and a footer line of
 * links (`<p authCardFooter>`). Its styles also shape the projected form and notice, so the
 * pages carry none of their own.
 */
@Component({
  selector: 'app-auth-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Scoped by the element's own name (auth-card.scss), so they reach the projected form.
  encapsulation: ViewEncapsulation.None,
  imports: [MatCardModule, MatProgressBarModule],
  template: `
    <main class="auth">
      <mat-card appearance="outlined" class="auth-card">
        @if (busy()) {
          <mat-progress-bar mode="indeterminate" aria-label="Working" />
        }
        <mat-card-header>
          <mat-card-title
            ><h1>{{ heading() }}</h1></mat-card-title
          >
        </mat-card-header>
        <mat-card-content><ng-content /></mat-card-content>
        <mat-card-actions><ng-content select="[authCardFooter]" /></mat-card-actions>
      </mat-card>
    </main>
  `,
  styleUrl: './auth-card.scss',
})
export class AuthCard {
  readonly heading = input.required<string>();
  readonly busy = input(false);
}

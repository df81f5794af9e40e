import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { UserZone } from '../core/user-zone';

/**
 * One line when the device is in another zone than the one the user chose (travel):
 * switch to the device's zone, or keep the chosen one (not asked again for this pair).
 */
@Component({
  selector: 'app-zone-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    @if (zone.mismatch(); as m) {
      <div class="banner" role="region" aria-label="Time zone" data-testid="zone-banner">
        <p>
          Your device is in <strong>{{ m.device }}</strong>; times are shown in
          <strong>{{ m.saved }}</strong>.
        </p>
        <span class="actions">
          <button
            mat-flat-button
            type="button"
            [disabled]="zone.switching()"
            (click)="zone.switchToDevice()"
          >
            Switch to {{ m.device }}
          </button>
          <button mat-button type="button" [disabled]="zone.switching()" (click)="zone.keep()">
            Keep {{ m.saved }}
          </button>
        </span>
        @if (zone.error(); as message) {
          <p class="error-text" role="alert">{{ message }}</p>
        }
      </div>
    }
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
      padding: 6px 16px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      font: var(--mat-sys-body-medium);
    }
    p {
      margin: 0;
      flex: 1 1 auto;
    }
    .actions {
      display: flex;
      gap: 8px;
    }
    .error-text {
      flex-basis: 100%;
    }
  `,
})
export class ZoneBanner {
  protected readonly zone = inject(UserZone);
}

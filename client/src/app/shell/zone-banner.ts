import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { UserZone } from '../core/user-zone';
import { Banner } from './banner';

/**
 * One line when the device is in another zone than the one the user chose (travel):
 * switch to the device's zone, or keep the chosen one (not asked again for this pair).
 */
@Component({
  selector: 'app-zone-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, Banner],
  template: `
    @if (zone.mismatch(); as m) {
      <app-banner label="Time zone" data-testid="zone-banner">
        <p>
          Your device is in <strong>{{ m.device }}</strong>; times are shown in
          <strong>{{ m.saved }}</strong>.
        </p>
        <span bannerActions>
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
          <p bannerStatus class="error-text" role="alert">{{ message }}</p>
        }
      </app-banner>
    }
  `,
})
export class ZoneBanner {
  protected readonly zone = inject(UserZone);
}

import { ChangeDetectionStrategy, Component, ViewEncapsulation, input } from '@angular/core';

/**
 * A one-line notice above the page (time zone, unverified address): a labelled region with
 * the message, its buttons (`<span bannerActions>`) and a line for what happened
 * (`[bannerStatus]`, shown under the rest). One markup and one style for every banner.
 */
@Component({
  selector: 'app-banner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Scoped by the element's own name, so the styles reach the projected message and buttons.
  encapsulation: ViewEncapsulation.None,
  template: `
    <div
      class="banner"
      [class.tertiary]="tone() === 'tertiary'"
      role="region"
      [attr.aria-label]="label()"
    >
      <ng-content />
      <span class="actions"><ng-content select="[bannerActions]" /></span>
      <ng-content select="[bannerStatus]" />
    </div>
  `,
  styles: `
    app-banner {
      display: block;

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
      .banner.tertiary {
        background: var(--mat-sys-tertiary-container);
        color: var(--mat-sys-on-tertiary-container);
      }
      p {
        margin: 0;
        flex: 1 1 auto;
      }
      .actions {
        display: flex;
        gap: 8px;
      }
      [bannerStatus] {
        flex-basis: 100%;
      }
      [bannerStatus]:empty {
        display: none;
      }
    }
  `,
})
export class Banner {
  /** The region's name for screen readers ("Time zone"). */
  readonly label = input.required<string>();
  readonly tone = input<'secondary' | 'tertiary'>('secondary');
}

import { ChangeDetectionStrategy, Component, OnInit, inject, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatListModule } from '@angular/material/list';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink } from '@angular/router';
import { filter, map } from 'rxjs';
import { Icon } from '../core/icons';
import { ListStore } from '../core/list-store';
import type { ListSummary } from '../core/types';
import { ListDialog, type ListDialogData } from './list-dialog';

/**
 * The sidebar's lists: each with its open tasks, a link showing only its tasks (`/tasks?list=`),
 * and its settings; "New list" makes one.
 */
@Component({
  selector: 'app-list-nav',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatListModule, MatButtonModule, MatTooltipModule, RouterLink, Icon],
  template: `
    <nav aria-label="Lists" class="lists">
      <div class="heading">
        <h2 class="title">Lists</h2>
        <button
          mat-icon-button
          type="button"
          aria-label="New list"
          matTooltip="New list"
          (click)="create()"
          data-testid="new-list"
        >
          <app-icon name="add" />
        </button>
      </div>
      <!-- role="none": the <nav> around it is the landmark; a second, unnamed one repeats it. -->
      <mat-nav-list role="none">
        @for (list of store.shown(); track list.id) {
          <div class="row">
            <a
              mat-list-item
              routerLink="/tasks"
              [queryParams]="{ list: list.id }"
              [activated]="current() === list.id"
              [attr.aria-current]="current() === list.id ? 'page' : null"
              [attr.data-list-id]="list.id"
              (click)="chosen.emit()"
            >
              <span
                matListItemIcon
                class="dot"
                [style.background]="list.color ?? 'transparent'"
              ></span>
              <span matListItemTitle dir="auto"
                >{{ list.name }}
                @if (list.memberCount > 1) {
                  <app-icon
                    name="group"
                    class="shared"
                    data-testid="shared-mark"
                    [matTooltip]="
                      'Shared with ' +
                      (list.memberCount - 1) +
                      ' other' +
                      (list.memberCount > 2 ? 's' : '')
                    "
                  /><span class="visually-hidden"> (shared)</span>
                }
                @if (list.openTaskCount > 0) {
                  <span class="count"
                    >{{ list.openTaskCount }}<span class="visually-hidden"> open</span></span
                  >
                }
              </span>
            </a>
            <button
              mat-icon-button
              type="button"
              class="settings"
              [attr.aria-label]="'Settings of ' + list.name"
              (click)="edit(list)"
            >
              <app-icon name="edit" />
            </button>
          </div>
        }
      </mat-nav-list>
      @if (store.archived().length) {
        <details class="archived">
          <summary>Archived ({{ store.archived().length }})</summary>
          @for (list of store.archived(); track list.id) {
            <button mat-button type="button" (click)="edit(list)">{{ list.name }}</button>
          }
        </details>
      }
      @if (store.error()) {
        <p class="error-text" role="alert">{{ store.error() }}</p>
      }
    </nav>
  `,
  styles: `
    .heading {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 0 8px 0 16px;
    }
    .title {
      font: var(--mat-sys-title-small);
      margin: 0;
    }
    .row {
      display: flex;
      align-items: center;
    }
    .row a {
      flex: 1;
      min-width: 0;
    }
    .settings {
      flex: none;
    }
    .dot {
      width: 12px;
      height: 12px;
      border-radius: 50%;
      border: 1px solid currentColor;
    }
    .shared {
      width: 16px;
      height: 16px;
      margin-inline-start: 6px;
      vertical-align: -2px;
      opacity: 0.8;
    }
    .count {
      margin-inline-start: 8px;
      font: var(--mat-sys-label-medium);
      opacity: 0.8;
    }
    .archived {
      padding: 0 16px;
    }
  `,
})
export class ListNav implements OnInit {
  protected readonly store = inject(ListStore);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  /** A list was chosen (the phone's drawer closes). */
  readonly chosen = output<void>();

  /** The list the task page shows, from its URL. */
  protected readonly current = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map(() => this.listInUrl()),
    ),
    { initialValue: this.listInUrl() },
  );

  ngOnInit(): void {
    void this.store.load();
  }

  create(): void {
    this.dialog
      .open<ListDialog, ListDialogData, string | null>(ListDialog, { data: {} })
      .afterClosed()
      .subscribe((id) => {
        if (id) void this.router.navigate(['/tasks'], { queryParams: { list: id } });
      });
  }

  edit(list: ListSummary): void {
    this.dialog
      .open<ListDialog, ListDialogData, string | null>(ListDialog, { data: { list } })
      .afterClosed()
      .subscribe((id) => {
        // Deleted while shown: back to every list.
        if (id === null && this.current() === list.id)
          void this.router.navigate(['/tasks'], {
            queryParams: { list: null },
            queryParamsHandling: 'merge',
          });
      });
  }

  private listInUrl(): string | null {
    const tree = this.router.parseUrl(this.router.url);
    const id = tree.queryParams['list'] as unknown;
    return tree.root.children['primary']?.segments[0]?.path === 'tasks' && typeof id === 'string'
      ? id
      : null;
  }
}

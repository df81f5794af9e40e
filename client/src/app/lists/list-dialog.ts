import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import {
  MAT_DIALOG_DATA,
  MatDialog,
  MatDialogModule,
  MatDialogRef,
} from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { LIST_NAME_MAX, codePointLength } from '@todo/contracts/lengths';
import { describeError } from '../core/errors';
import { ListStore } from '../core/list-store';
import type { ListSummary } from '../core/types';
import { ConfirmDialog, type ConfirmData } from '../shared-confirm';
import { ListMembers } from './list-members';

/** The colours a list can take (null: the default). */
export const LIST_COLORS: { value: string | null; label: string }[] = [
  { value: null, label: 'None' },
  { value: '#e53935', label: 'Red' },
  { value: '#fb8c00', label: 'Orange' },
  { value: '#fdd835', label: 'Yellow' },
  { value: '#43a047', label: 'Green' },
  { value: '#1e88e5', label: 'Blue' },
  { value: '#8e24aa', label: 'Purple' },
];

/** Which list the dialog edits; none = a new list. */
export interface ListDialogData {
  list?: ListSummary;
}

/**
 * Creates a list, or shows its settings: renames, recolours, archives or deletes it (owners), and
 * its people (members, invites, leave). Closes with the list's id, or null when it is gone.
 */
@Component({
  selector: 'app-list-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    ListMembers,
  ],
  template: `
    <form (ngSubmit)="save()">
      <h2 mat-dialog-title>{{ list ? 'List settings' : 'New list' }}</h2>
      <mat-dialog-content class="content">
        @if (!canManage) {
          <p class="muted" data-testid="not-owner">
            You are {{ list?.role === 'viewer' ? 'a viewer' : 'an editor' }} of this list: only its
            owners rename, archive or delete it and manage who is in it.
          </p>
        }
        <mat-form-field appearance="outline">
          <mat-label>Name</mat-label>
          <input
            matInput
            name="name"
            required
            autocomplete="off"
            dir="auto"
            [disabled]="!canManage"
            [ngModel]="name()"
            (ngModelChange)="name.set($event); error.set(null)"
            data-testid="list-name"
          />
        </mat-form-field>
        <fieldset class="colors">
          <legend>Colour</legend>
          @for (c of colors; track c.label) {
            <label class="color">
              <input
                type="radio"
                name="color"
                [value]="c.value"
                [checked]="color() === c.value"
                [disabled]="!canManage"
                (change)="color.set(c.value)"
              />
              <span class="swatch" [style.background]="c.value ?? 'transparent'"></span>
              {{ c.label }}
            </label>
          }
        </fieldset>
        @if (list && !list.isInbox && canManage) {
          <mat-checkbox
            name="archived"
            [ngModel]="archived()"
            (ngModelChange)="archived.set($event)"
            >Archived (hidden from the sidebar, its tasks kept)</mat-checkbox
          >
        }
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
        @if (list && !list.isInbox) {
          <app-list-members [list]="list" (left)="ref.close(null)" />
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        @if (list && !list.isInbox && canManage) {
          <button mat-button type="button" class="delete" (click)="remove()">Delete list</button>
        }
        <span class="spacer"></span>
        @if (canManage) {
          <button mat-button type="button" mat-dialog-close>Cancel</button>
          <button mat-flat-button type="submit" [disabled]="saving()">
            {{ list ? 'Save' : 'Create' }}
          </button>
        } @else {
          <button mat-flat-button type="button" mat-dialog-close>Close</button>
        }
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .content {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-width: min(360px, 80vw);
    }
    .colors {
      border: 0;
      padding: 0;
      margin: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
    }
    .color {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    .swatch {
      width: 12px;
      height: 12px;
      border-radius: 50%;
      border: 1px solid currentColor;
    }
    .spacer {
      flex: 1;
    }
    .delete {
      color: var(--mat-sys-error);
    }
    .muted {
      margin: 0 0 8px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ListDialog {
  private readonly store = inject(ListStore);
  private readonly dialog = inject(MatDialog);
  protected readonly ref = inject<MatDialogRef<ListDialog, string | null>>(MatDialogRef);
  readonly list = inject<ListDialogData>(MAT_DIALOG_DATA).list;
  /** Only owners change the list itself (ADR 320); others see it and its people. */
  readonly canManage = !this.list || this.list.role === 'owner';
  readonly colors = LIST_COLORS;
  readonly name = signal(this.list?.name ?? '');
  readonly color = signal<string | null>(this.list?.color ?? null);
  readonly archived = signal(Boolean(this.list?.archivedAt));
  readonly error = signal<string | null>(null);
  readonly saving = signal(false);

  async save(): Promise<void> {
    const name = this.name().trim();
    if (!name) return this.error.set('Give the list a name.');
    if (codePointLength(name) > LIST_NAME_MAX)
      return this.error.set(`A name can be at most ${LIST_NAME_MAX} characters.`);
    this.saving.set(true);
    try {
      if (!this.list) {
        const created = await this.store.create(name, this.color());
        this.ref.close(created.id);
        return;
      }
      const patch: { name?: string; color?: string | null; archived?: boolean } = {};
      if (name !== this.list.name) patch.name = name;
      if (this.color() !== this.list.color) patch.color = this.color();
      if (this.archived() !== Boolean(this.list.archivedAt)) patch.archived = this.archived();
      if (Object.keys(patch).length) await this.store.update(this.list, patch);
      this.ref.close(this.list.id);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.saving.set(false);
    }
  }

  async remove(): Promise<void> {
    const list = this.list;
    if (!list) return;
    const n = list.openTaskCount;
    const confirmed = await new Promise<boolean | undefined>((resolve) =>
      this.dialog
        .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
          data: {
            title: `Delete “${list.name}”?`,
            message:
              n > 0
                ? `Its ${n} open task${n === 1 ? '' : 's'} and its done tasks are deleted with it.`
                : 'Its tasks are deleted with it.',
            confirm: 'Delete',
          },
        })
        .afterClosed()
        .subscribe(resolve),
    );
    if (!confirmed) return;
    try {
      await this.store.remove(list);
      this.ref.close(null);
    } catch (error) {
      this.error.set(describeError(error).message);
    }
  }
}

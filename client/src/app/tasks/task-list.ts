import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { ApiService } from '../core/api.service';
import { firstValueFrom } from 'rxjs';
import { describeError } from '../core/errors';
import { Icon } from '../core/icons';
import type { DueFilter, TaskFilters } from '../core/task-filters';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { ZonedDatePipe } from '../core/zoned-date.pipe';
import { formatInZone } from '../core/zoned-time';
import type { Task, TaskSort } from '../core/types';
import {
  QUICK_ADD_PARSER,
  chipsOf,
  draftOf,
  liveSpans,
  type QuickAddChip,
  type Span,
} from './quick-add';
import { recurrenceLabel } from './recurrence-text';
import { ConfirmDialog, type ConfirmData } from '../shared-confirm';
import { TaskEditDialog, type TaskEditData } from './task-edit-dialog';

/** The main screen: quick add, search, filters, sort, inline complete, live updates. */
@Component({
  selector: 'app-task-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ZonedDatePipe,
    FormsModule,
    RouterLink,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatChipsModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTooltipModule,
    Icon,
  ],
  templateUrl: './task-list.html',
  styleUrl: './task-list.scss',
})
export class TaskList implements OnInit {
  protected readonly store = inject(TaskStore);
  /** Times are shown in the user's saved zone, the one the server computes in. */
  protected readonly zone = inject(UserZone);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);

  /** `?task=<id>`: a notification's link (push, desktop) opens that task. */
  readonly task = input<string>();
  private readonly openLinked = effect(() => {
    const id = this.task();
    if (id) void this.openById(id);
  });

  readonly quickTitle = signal('');
  readonly quickError = signal<string | null>(null);
  private readonly parser = inject(QUICK_ADD_PARSER, { optional: true });
  /** Chips the user removed: their words stay in the title, unparsed. */
  private readonly literal = signal<Array<Span & { text: string }>>([]);
  /** The quick-add text read as a title and fields, as the user types. */
  readonly parsed = computed(() => {
    const text = this.quickTitle();
    if (!this.parser || !text.trim()) return null;
    return this.parser(
      text,
      { now: new Date(), timeZone: this.zone.zone() },
      { keepLiteral: liveSpans(this.literal(), text) },
    );
  });
  readonly chips = computed<QuickAddChip[]>(() => {
    const parse = this.parsed();
    return parse ? chipsOf(parse, this.zone.zone()) : [];
  });
  readonly adding = signal(false);
  readonly search = signal(this.store.filters().q);
  private searchTimer: ReturnType<typeof setTimeout> | null = null;

  readonly sorts: { value: TaskSort; label: string }[] = [
    { value: '-createdAt', label: 'Newest first' },
    { value: 'createdAt', label: 'Oldest first' },
    { value: 'dueDate', label: 'Due date (soonest)' },
    { value: '-dueDate', label: 'Due date (latest)' },
    { value: '-priority', label: 'Priority (high first)' },
    { value: 'priority', label: 'Priority (low first)' },
    { value: 'title', label: 'Title (A–Z)' },
    { value: '-updatedAt', label: 'Recently changed' },
  ];
  readonly dues: { value: DueFilter; label: string }[] = [
    { value: '', label: 'Any time' },
    { value: 'today', label: 'Today' },
    { value: 'overdue', label: 'Overdue' },
    { value: 'week', label: 'This week' },
  ];

  ngOnInit(): void {
    void this.store.load();
  }

  setFilter<K extends keyof TaskFilters>(key: K, value: TaskFilters[K]): void {
    void this.store.setFilters({ [key]: value } as Partial<TaskFilters>);
  }

  onSearch(value: string): void {
    this.search.set(value);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilter('q', value), 250);
  }

  /** Removing a chip keeps its words as part of the title. */
  keepLiteral(chip: QuickAddChip): void {
    this.literal.update((spans) => [
      ...spans,
      { start: chip.start, end: chip.end, text: this.quickTitle().slice(chip.start, chip.end) },
    ]);
  }

  async quickAdd(): Promise<void> {
    const text = this.quickTitle().trim();
    if (!text) {
      this.quickError.set('Type a title first.');
      return;
    }
    const draft = draftOf(this.parsed(), text);
    if (!draft.title) {
      this.quickError.set('Type what the task is, not only when or how.');
      return;
    }
    this.adding.set(true);
    this.quickError.set(null);
    try {
      await this.store.create(draft);
      this.quickTitle.set('');
      this.literal.set([]);
    } catch (error) {
      const described = describeError(error);
      this.quickError.set(described.fields['title'] ?? described.message);
    } finally {
      this.adding.set(false);
    }
  }

  async toggle(task: Task): Promise<void> {
    try {
      if (task.status === 'completed') {
        await this.store.reopen(task);
        return;
      }
      const result = await this.store.complete(task);
      const next = result.next
        ? ` Next one: ${formatInZone(result.next, 'EEE d MMM y, HH:mm', this.zone.zone())}.`
        : '';
      const ref = this.snackBar.open(`Completed “${task.title}”.${next}`, 'Undo', {
        duration: 5000,
      });
      ref.onAction().subscribe(() => {
        const latest = this.store.tasks().find((t) => t.id === task.id) ?? task;
        void this.store.reopen(latest).catch((e: unknown) => this.fail(e));
      });
    } catch (error) {
      this.fail(error);
    }
  }

  private async openById(id: string): Promise<void> {
    // The link is used once: back or reload does not open the dialog again.
    void this.router.navigate([], {
      queryParams: { task: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
    try {
      this.open(this.store.tasks().find((t) => t.id === id) ?? (await this.api.getTask(id)));
    } catch (error) {
      this.fail(error);
    }
  }

  open(task?: Task): void {
    this.dialog.open<TaskEditDialog, TaskEditData>(TaskEditDialog, {
      data: { task: task ?? null },
      width: 'min(640px, 100vw)',
      maxWidth: '100vw',
      autoFocus: 'first-tabbable',
    });
  }

  async remove(task: Task): Promise<void> {
    if (task.recurrence) {
      const confirmed = await firstValueFrom(
        this.dialog
          .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
            data: {
              title: 'Delete a recurring task?',
              message: `Deleting “${task.title}” ends its series: no further instances will be created.`,
              confirm: 'Delete and end the series',
            },
          })
          .afterClosed(),
      );
      if (!confirmed) return;
    }
    try {
      await this.store.delete(task);
      this.snackBar.open(`Deleted “${task.title}”.`, undefined, { duration: 3000 });
    } catch (error) {
      this.fail(error);
    }
  }

  isOverdue(task: Task): boolean {
    return task.status === 'pending' && !!task.dueDate && Date.parse(task.dueDate) < Date.now();
  }

  recurrence(task: Task): string {
    return recurrenceLabel(task.recurrence, this.zone.zone());
  }

  private fail(error: unknown): void {
    this.snackBar.open(describeError(error).message, 'Dismiss', {
      duration: 6000,
      panelClass: 'toast-error',
    });
  }
}

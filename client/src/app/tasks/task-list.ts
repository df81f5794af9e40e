import { BreakpointObserver } from '@angular/cdk/layout';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  HostListener,
  OnInit,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
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
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { codePointLength, TITLE_MAX } from '@todo/contracts/lengths';
import { firstValueFrom, map } from 'rxjs';
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { Icon } from '../core/icons';
import {
  activeFilterCount,
  combineFilters,
  filtersFromParams,
  filtersToParams,
  type DueFilter,
  type TaskFilters,
} from '../core/task-filters';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { ZonedDatePipe } from '../core/zoned-date.pipe';
import { formatInZone } from '../core/zoned-time';
import type { OutboxEntry } from '../core/outbox';
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
import { ListStore } from '../core/list-store';
import { AuthService } from '../core/auth.service';
import { MemberStore, initialsOf } from '../core/member-store';
import { relativeTime } from '../core/relative-time';
import type { ListMember } from '../core/types';

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
  protected readonly lists = inject(ListStore);
  private readonly members = inject(MemberStore);
  private readonly auth = inject(AuthService);
  /** Ticks every 30 s so "changed … just now" ages on screen. */
  private readonly now = signal(Date.now());
  /** The list shown, when one is chosen in the sidebar. */
  protected readonly listName = computed(() => {
    const id = this.store.filters().list;
    return id ? (this.lists.get(id)?.name ?? null) : null;
  });
  /** Times are shown in the user's saved zone, the one the server computes in. */
  protected readonly zone = inject(UserZone);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly api = inject(ApiService);
  private readonly route = inject(ActivatedRoute);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly destroyRef = inject(DestroyRef);

  readonly titleMax = TITLE_MAX;
  /** On a phone (≤ 600 px) the filters fold into a "Filter" button. */
  readonly phone = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 600px)')
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );
  readonly filtersOpen = signal(false);
  readonly activeFilters = computed(() => activeFilterCount(this.store.filters()));
  /** What the last action did, said in the polite live region under the list. */
  readonly announcement = signal('');
  /** The way back from the last completion or delete (Undo button, or Ctrl+Z). */
  private undoLast: (() => void) | null = null;

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
  readonly tag = signal(this.store.filters().tag);
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  /** The parsed title's length in characters, as the api counts it (ADR 180). */
  readonly titleLength = computed(() =>
    codePointLength(this.parsed()?.title || this.quickTitle().trim()),
  );

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

  constructor() {
    // Shared lists' members: names for the assignee's initials and "changed by".
    effect(() => {
      for (const list of this.lists.lists())
        if (list.memberCount > 1) void untracked(() => this.members.ensure(list.id));
    });
    // Access to the list shown ended (removed, or a 404): leave it and say why.
    effect(() => {
      const revoked = this.lists.revoked();
      if (!revoked) return;
      untracked(() => {
        this.lists.revoked.set(null);
        if (this.store.filters().list !== revoked.id) return;
        const message = `You no longer have access to ${revoked.name}`;
        this.announcement.set(message);
        this.snackBar.open(message, 'OK', { duration: 8000 });
        void this.router.navigate(['/tasks'], {
          queryParams: { list: null },
          queryParamsHandling: 'merge',
        });
      });
    });
    const timer = setInterval(() => this.now.set(Date.now()), 30_000);
    this.destroyRef.onDestroy(() => clearInterval(timer));
  }

  /** The list shown is one this user only views: nothing can be added to it. */
  readonly viewOnly = computed(() => {
    const id = this.store.filters().list;
    return !!id && this.lists.get(id)?.role === 'viewer';
  });

  /** A viewer sees a shared list's tasks but cannot change them (the api answers 403). */
  canEdit(task: Task): boolean {
    return this.lists.get(task.listId)?.role !== 'viewer';
  }

  /** The member a task of a shared list is assigned to, when known. */
  assignee(task: Task): ListMember | undefined {
    return this.members.member(task.listId, task.assigneeId);
  }

  initials(member: ListMember): string {
    return initialsOf(member);
  }

  /**
   * "Ada · just now": who else last changed a task of a shared list. Nothing when the server
   * does not say (`changedBy` absent), when it was this user, or on a list of one.
   */
  changedBy(task: Task): string | null {
    const by = task.changedBy;
    if (!by || by === this.auth.user()?.id) return null;
    if ((this.lists.get(task.listId)?.memberCount ?? 1) < 2) return null;
    const member = this.members.member(task.listId, by);
    if (!member) return null;
    return `${member.name || member.email} · ${relativeTime(task.updatedAt, this.now())}`;
  }

  ngOnInit(): void {
    // The URL is where the filters live (reload and a shared link keep them; back and forward
    // step through them): every change goes through it, and the list follows it.
    let first = true;
    this.route.queryParams.pipe(takeUntilDestroyed(this.destroyRef)).subscribe((params) => {
      // `?task=<id>` (a link from the inbox) opens that task.
      if (typeof params['task'] === 'string') void this.openById(params['task']);
      const filters = filtersFromParams(params);
      this.search.set(filters.q);
      this.tag.set(filters.tag);
      const same = JSON.stringify(filters) === JSON.stringify(this.store.filters());
      if (same && !first) return;
      first = false;
      void this.store.setFilters(filters);
    });
  }

  /** Sets a filter by navigating: a typed one replaces the history entry, a choice adds one. */
  setFilter<K extends keyof TaskFilters>(key: K, value: TaskFilters[K], typed = false): void {
    const next = combineFilters(this.store.filters(), { [key]: value } as Partial<TaskFilters>);
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: filtersToParams(next),
      replaceUrl: typed,
    });
  }

  onSearch(value: string): void {
    this.search.set(value);
    this.typed('q', value);
  }

  /** The tag filter applies as you type, like search. */
  onTag(value: string): void {
    this.tag.set(value);
    this.typed('tag', value);
  }

  /** Search and Tag share one pause: when it ends, both apply as they are typed now. */
  private typed(key: 'q' | 'tag', value: string): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      const next = combineFilters(this.store.filters(), {
        q: this.search(),
        tag: this.tag(),
        [key]: value,
      });
      void this.router.navigate([], {
        relativeTo: this.route,
        queryParams: filtersToParams(next),
        replaceUrl: true,
      });
    }, 250);
  }

  /** Ctrl+Z (⌘Z) undoes the last completion or delete, unless the user is editing text. */
  @HostListener('document:keydown', ['$event'])
  onKeydown(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z' || !this.undoLast)
      return;
    // Text fields keep their own undo; a checkbox (where focus is after completing) does not.
    const target = event.target as HTMLElement | null;
    const typing =
      !!target?.closest('textarea, [contenteditable="true"]') ||
      (target instanceof HTMLInputElement &&
        !['checkbox', 'radio', 'button', 'submit'].includes(target.type));
    if (typing) return;
    event.preventDefault();
    this.undo();
  }

  undo(): void {
    const undo = this.undoLast;
    this.undoLast = null;
    undo?.();
  }

  /** After a row leaves the list, focus goes to the row now in its place (or the one before). */
  private focusRowAfter(index: number): void {
    requestAnimationFrame(() => {
      const boxes = this.host.nativeElement.querySelectorAll<HTMLInputElement>(
        'li.task mat-checkbox input',
      );
      const next = boxes[Math.min(index, boxes.length - 1)];
      if (next) next.focus();
      else this.host.nativeElement.querySelector<HTMLElement>('[data-testid="quick-add"]')?.focus();
    });
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
    const length = codePointLength(draft.title);
    if (length > TITLE_MAX) {
      this.quickError.set(
        `A title can be at most ${TITLE_MAX} characters; this one has ${length}. Put the rest in “More details…”.`,
      );
      return;
    }
    this.adding.set(true);
    this.quickError.set(null);
    try {
      // Added while a list is shown: into that list (else the server's default, the Inbox).
      const list = this.store.filters().list;
      const task = await this.store.create(list ? { ...draft, listId: list } : draft);
      this.quickTitle.set('');
      this.literal.set([]);
      if (this.store.pendingSync().has(task.id)) this.queued();
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
      // The row leaves the list at once (optimistic): focus goes to the row taking its place,
      // not to <body>, so the keyboard stays in the list.
      const index = this.store.tasks().findIndex((t) => t.id === task.id);
      const completing = this.store.complete(task);
      if (!this.store.tasks().some((t) => t.id === task.id)) this.focusRowAfter(index);
      const result = await completing;
      if (result.queued) this.queued();
      const next = result.next
        ? ` Next one: ${formatInZone(result.next, 'EEE d MMM y, HH:mm', this.zone.zone())}.`
        : '';
      this.offerUndo(`Completed “${task.title}”.${next}`, () => {
        const latest = this.store.tasks().find((t) => t.id === task.id) ?? task;
        return this.store.reopen(latest).then(() => `Reopened “${task.title}”.`);
      });
    } catch (error) {
      this.fail(error);
    }
  }

  open(task?: Task) {
    return this.dialog.open<TaskEditDialog, TaskEditData>(TaskEditDialog, {
      // A new task starts in the list shown.
      data: {
        task: task ?? null,
        ...(!task && this.store.filters().list
          ? { draft: { listId: this.store.filters().list } }
          : {}),
      },
      width: 'min(640px, 100vw)',
      maxWidth: '100vw',
      autoFocus: 'first-tabbable',
    });
  }

  /** Opens a task by id (the inbox links here); the link's parameter goes once it is open. */
  private async openById(id: string): Promise<void> {
    try {
      const task = await this.api.getTask(id);
      if (task.status === 'deleted') throw new Error('This task was deleted.');
      this.open(task);
    } catch (error) {
      this.fail(error);
    }
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { task: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
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
      // As for a completion: the row goes at once, focus stays in the list, Undo is in reach.
      const index = this.store.tasks().findIndex((t) => t.id === task.id);
      const deleting = this.store.delete(task);
      if (!this.store.tasks().some((t) => t.id === task.id)) this.focusRowAfter(index);
      await deleting;
      // The api keeps deleted tasks: Undo brings this one back as it was.
      this.offerUndo(`Deleted “${task.title}”.`, () =>
        this.store.restore(task).then(() => `Restored “${task.title}”.`),
      );
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Says what just happened in the list's live region, with the keyboard's way back, and shows
   * a toast with Undo for 10 s; Undo (or Ctrl+Z) runs `back` and says its answer.
   */
  private offerUndo(done: string, back: () => Promise<string>): void {
    const ref = this.snackBar.open(done, 'Undo', {
      duration: 10_000,
      // The list's own live region says it (with how to undo); the toast need not repeat it.
      politeness: 'off',
    });
    this.announcement.set(`${done} Press Ctrl+Z to undo.`);
    const undo = () => {
      ref.dismiss();
      void back().then(
        (said) => this.announcement.set(said),
        (e: unknown) => this.fail(e),
      );
    };
    this.undoLast = undo;
    ref.onAction().subscribe(() => this.undo());
    // Undo lasts as long as its toast.
    ref.afterDismissed().subscribe(() => {
      if (this.undoLast === undo) this.undoLast = null;
    });
  }

  /** A reminder whose time has passed shows no bell. */
  reminderAhead(task: Task): boolean {
    return !!task.reminderAt && Date.parse(task.reminderAt) > Date.now();
  }

  /** Fix a change the server refused: open it with the change in the form. */
  async fix(entry: OutboxEntry): Promise<void> {
    const change = entry.change;
    await this.store.discard(entry);
    let data: TaskEditData | null = null;
    if (change.kind === 'create') {
      const { id: _id, ...draft } = change.body;
      data = { task: null, draft };
    } else {
      try {
        const server = await this.store.latest(entry.taskId);
        // An edit opens on the version it was made on, merged with the server's now.
        data =
          change.kind === 'update' && change.version !== undefined
            ? {
                task: { ...server, ...change.base, version: change.version } as Task,
                draft: change.patch,
                conflictWith: server,
              }
            : { task: server };
      } catch (error) {
        this.fail(error);
      }
    }
    if (data)
      this.dialog.open<TaskEditDialog, TaskEditData>(TaskEditDialog, {
        data,
        width: 'min(640px, 100vw)',
        maxWidth: '100vw',
        autoFocus: 'first-tabbable',
      });
  }

  discard(entry: OutboxEntry): void {
    void this.store.discard(entry);
  }

  /** Said when a change waits for the connection: it is kept, and sent when it is back. */
  private queued(): void {
    this.snackBar.open(
      'Not sent yet: saved on this device, it will be sent when the connection is back.',
      undefined,
      { duration: 4000 },
    );
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

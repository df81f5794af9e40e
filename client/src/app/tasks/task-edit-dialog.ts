import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { codePointLength, TITLE_MAX } from '@todo/contracts/lengths';
import { EDITABLE_TASK_FIELDS, type EditableTaskField } from '@todo/contracts/task-fields';
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { formatInZone, fromZonedInput, sameZone, toZonedInput } from '../core/zoned-time';
import type {
  NotificationChannel,
  RecurrenceRequest,
  Task,
  CreateTaskRequest,
  TaskPriority,
} from '../core/types';
import { ListStore } from '../core/list-store';
import { MemberStore } from '../core/member-store';
import { RecurrenceEditor } from './recurrence-editor';

export interface TaskEditData {
  task: Task | null;
  /** Values to start the form with over the task's (a refused offline change being fixed). */
  draft?: Partial<CreateTaskRequest>;
  /**
   * The server's task when `task` is the version an offline edit (`draft`) was made on: the
   * form opens merged, asking where both changed the same field.
   */
  conflictWith?: Task;
}

/** The fields a conflict is merged on, field by field (ADR 233), as the form names them. */
const FIELD_LABELS: Record<EditableTaskField, string> = {
  listId: 'List',
  title: 'Title',
  description: 'Description',
  dueDate: 'Due',
  priority: 'Priority',
  tags: 'Tags',
  reminderOffset: 'Reminder',
};

/** A field both this tab and someone else changed, to different values: the user chooses. */
export interface FieldConflict {
  field: EditableTaskField;
  label: string;
  mine: unknown;
  theirs: unknown;
  mineText: string;
  theirsText: string;
  choice: 'mine' | 'theirs' | null;
}

export const REMINDER_OFFSETS: { value: number | null; label: string }[] = [
  { value: null, label: 'No reminder' },
  { value: 0, label: 'At the due time' },
  { value: 1, label: '1 minute before' },
  { value: 5, label: '5 minutes before' },
  { value: 10, label: '10 minutes before' },
  { value: 15, label: '15 minutes before' },
  { value: 30, label: '30 minutes before' },
  { value: 60, label: '1 hour before' },
  { value: 120, label: '2 hours before' },
  { value: 1440, label: '1 day before' },
  { value: 10080, label: '1 week before' },
];

export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.replace(/^#/, '').trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** Fields with a place in the form for their server message. */
const SHOWN_FIELDS = new Set(['title', 'description', 'dueDate', 'tags', 'reminderOffset']);

const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Create or edit a task: every field, the reminder and the recurrence, with field errors. */
@Component({
  selector: 'app-task-edit-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    RecurrenceEditor,
    RouterLink,
  ],
  templateUrl: './task-edit-dialog.html',
  styleUrl: './task-edit-dialog.scss',
})
export class TaskEditDialog implements OnInit {
  private readonly data = inject<TaskEditData>(MAT_DIALOG_DATA);
  private readonly ref = inject(MatDialogRef<TaskEditDialog>);
  private readonly store = inject(TaskStore);
  private readonly api = inject(ApiService);
  private readonly userZone = inject(UserZone);
  /** The lists the task can be in (the list picker). */
  protected readonly lists = inject(ListStore);
  /** The due time is typed and shown as wall time in the user's zone, not the browser's. */
  readonly zone = this.userZone.zone();
  readonly zoneDiffers = !sameZone(this.zone, this.userZone.device());

  readonly offsets = REMINDER_OFFSETS;
  readonly isNew = !this.data.task;
  readonly taskId = this.data.task?.id ?? '';
  private base: Task | null = this.data.task;
  /** What the form starts with: the task's fields, then the draft's over them. */
  private readonly start: Partial<CreateTaskRequest> = {
    ...(this.base
      ? {
          listId: this.base.listId,
          title: this.base.title,
          description: this.base.description,
          dueDate: this.base.dueDate,
          priority: this.base.priority,
          tags: this.base.tags,
          assigneeId: this.base.assigneeId,
          reminderOffset: this.base.reminderEnabled ? this.base.reminderOffset : null,
        }
      : {}),
    ...this.data.draft,
  };

  readonly title = signal(this.start.title ?? '');
  /** Characters, as the api counts them (ADR 180). */
  readonly titleLength = computed(() => codePointLength(this.title().trim()));
  readonly titleMax = TITLE_MAX;
  readonly description = signal(this.start.description ?? '');
  readonly due = signal(toZonedInput(this.start.dueDate, this.zone));
  readonly priority = signal<TaskPriority>(this.start.priority ?? 'medium');
  /** A new task goes to the list it was opened in (the draft's), else the Inbox. */
  readonly listId = signal(this.start.listId ?? this.lists.inbox()?.id ?? '');
  readonly tags = signal((this.start.tags ?? []).join(', '));
  private readonly memberStore = inject(MemberStore);
  /** Who it is assigned to (a member of its list), or null. */
  readonly assigneeId = signal<string | null>(this.start.assigneeId ?? null);
  /** The members of the chosen list when it is shared (the assignment picker), else none. */
  readonly members = computed(() =>
    (this.lists.get(this.listId())?.memberCount ?? 1) > 1 ? this.memberStore.of(this.listId()) : [],
  );
  /** Lists a task can be put in: not those this user only views. */
  readonly writableLists = computed(() =>
    this.lists.lists().filter((l) => l.role !== 'viewer' || l.id === this.listId()),
  );
  /** A viewer of the task's list sees it but cannot change it (the api answers 403). */
  readonly readOnly = computed(
    () => !!this.data.task && this.lists.get(this.data.task.listId)?.role === 'viewer',
  );
  readonly reminderOffset = signal<number | null>(
    this.start.reminderOffset !== undefined ? this.start.reminderOffset : 15,
  );
  /** Fields changed here and elsewhere since this form opened: each waits for a choice. */
  readonly conflicts = signal<FieldConflict[]>([]);
  readonly email = signal(this.base ? this.base.reminderChannels.includes('email') : true);
  readonly push = signal(this.base ? this.base.reminderChannels.includes('push') : true);
  readonly recurrence = signal<RecurrenceRequest | null>(this.base?.recurrence ?? null);

  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  constructor() {
    // A shared list's members are read when it is chosen; an assignee not in it is cleared.
    effect(() => {
      const listId = this.listId();
      if ((this.lists.get(listId)?.memberCount ?? 1) < 2) return;
      void untracked(() => this.memberStore.ensure(listId));
    });
    effect(() => {
      const members = this.members();
      const id = untracked(() => this.assigneeId());
      if (id && members.length && !members.some((m) => m.userId === id))
        untracked(() => this.assigneeId.set(null));
    });
  }

  /** Another list: an assignee only stays if that list is shared (and they are in it). */
  chooseList(id: string): void {
    this.listId.set(id);
    if ((this.lists.get(id)?.memberCount ?? 1) < 2) this.assigneeId.set(null);
  }

  ngOnInit(): void {
    if (this.base && this.data.conflictWith) {
      this.merge(this.base, this.data.conflictWith);
      if (this.conflicts().length)
        this.error.set(
          'This task was changed elsewhere while your change waited. Choose below which value to keep.',
        );
    }
    if (this.isNew && this.data.draft?.reminderOffset === undefined) {
      // New tasks start with the user's default reminder offset.
      this.api.getPreferences().then(
        (prefs) => this.reminderOffset.set(prefs.defaultReminderOffset),
        () => undefined,
      );
    }
  }

  fieldError(name: string): string | null {
    return this.fields()[name] ?? null;
  }

  private channels(): NotificationChannel[] {
    return [...(this.email() ? ['email' as const] : []), ...(this.push() ? ['push' as const] : [])];
  }

  /** Keeps one side of a conflicting field; "theirs" puts their value in the form. */
  choose(conflict: FieldConflict, choice: 'mine' | 'theirs'): void {
    this.setField(conflict.field, choice === 'mine' ? conflict.mine : conflict.theirs);
    this.conflicts.update((all) =>
      all.map((c) => (c.field === conflict.field ? { ...c, choice } : c)),
    );
  }

  async save(): Promise<void> {
    this.error.set(null);
    this.fields.set({});
    const title = this.title().trim();
    if (!title) {
      this.fields.set({ title: 'A task needs a title.' });
      return;
    }
    if (this.conflicts().some((c) => c.choice === null)) {
      this.error.set('Choose which value to keep for each field marked below, then save.');
      return;
    }
    if (codePointLength(title) > TITLE_MAX) {
      this.fields.set({
        title: `A title can be at most ${TITLE_MAX} characters; this one has ${codePointLength(title)}. Put the rest in the description.`,
      });
      return;
    }
    const draft = this.formValues();
    this.saving.set(true);
    try {
      if (!this.base) {
        await this.store.create({
          ...draft,
          reminderChannels: this.channels(),
          recurrence: this.recurrence(),
        });
      } else {
        await this.saveChanges(this.base, draft);
      }
      this.ref.close(true);
    } catch (error) {
      await this.showError(error);
    } finally {
      this.saving.set(false);
    }
  }

  /** The form as the API's fields. */
  private formValues(): CreateTaskRequest {
    return {
      ...(this.listId() ? { listId: this.listId() } : {}),
      title: this.title().trim(),
      description: this.description().trim() || null,
      dueDate: this.due() ? fromZonedInput(this.due(), this.zone) : null,
      priority: this.priority(),
      tags: parseTags(this.tags()),
      reminderOffset: this.reminderOffset(),
      // Sent when set, or when clearing one the task had (so a new task carries no null).
      ...(this.assigneeId() || this.base?.assigneeId ? { assigneeId: this.assigneeId() } : {}),
    };
  }

  private setField(field: EditableTaskField, value: unknown): void {
    switch (field) {
      case 'listId':
        return this.listId.set(value as string);
      case 'title':
        return this.title.set(value as string);
      case 'description':
        return this.description.set((value as string | null) ?? '');
      case 'dueDate':
        return this.due.set(toZonedInput(value as string | null, this.zone));
      case 'priority':
        return this.priority.set(value as TaskPriority);
      case 'tags':
        return this.tags.set((value as string[]).join(', '));
      case 'reminderOffset':
        return this.reminderOffset.set(value as number | null);
    }
  }

  private describe(field: EditableTaskField, value: unknown): string {
    if (value === null || value === undefined || value === '') return '(none)';
    if (field === 'listId') return this.lists.get(value as string)?.name ?? '(a list)';
    if (field === 'dueDate')
      return formatInZone(value as string, 'EEE d MMM y, HH:mm', this.zone) ?? String(value);
    if (field === 'tags') return (value as string[]).map((t) => `#${t}`).join(' ') || '(none)';
    if (field === 'reminderOffset')
      return this.offsets.find((o) => o.value === value)?.label ?? `${String(value)} min before`;
    return String(value);
  }

  /**
   * After a 409: the server's task becomes the base. A field only they changed takes their
   * value; a field only this tab changed keeps ours; a field both changed, to different
   * values, is asked. With nothing to ask, ours are saved on top at once.
   */
  private merge(original: Task, server: Task): boolean {
    const mine = this.formValues() as Record<string, unknown>;
    const valueOf = (task: Task, field: EditableTaskField): unknown =>
      field === 'reminderOffset'
        ? task.reminderEnabled
          ? task.reminderOffset
          : null
        : (task as unknown as Record<string, unknown>)[field];
    const conflicts: FieldConflict[] = [];
    for (const field of EDITABLE_TASK_FIELDS) {
      const before = valueOf(original, field);
      const theirs = valueOf(server, field);
      const mineChanged = !sameJson(mine[field], before);
      if (sameJson(theirs, before)) continue;
      if (!mineChanged) this.setField(field, theirs);
      else if (!sameJson(mine[field], theirs))
        conflicts.push({
          field,
          label: FIELD_LABELS[field],
          mine: mine[field],
          theirs,
          mineText: this.describe(field, mine[field]),
          theirsText: this.describe(field, theirs),
          choice: null,
        });
    }
    this.base = server;
    this.conflicts.set(conflicts);
    return conflicts.length === 0;
  }

  private async saveChanges(base: Task, draft: CreateTaskRequest): Promise<void> {
    const patch: Partial<CreateTaskRequest> = {};
    for (const key of EDITABLE_TASK_FIELDS) {
      // The reminder's offset is compared as the form shows it (null when it is off), below.
      if (key === 'reminderOffset') continue;
      if (!sameJson(draft[key], base[key])) (patch as Record<string, unknown>)[key] = draft[key];
    }
    if (draft.assigneeId !== undefined && draft.assigneeId !== base.assigneeId)
      patch.assigneeId = draft.assigneeId;
    const baseOffset = base.reminderEnabled ? base.reminderOffset : null;
    if (draft.reminderOffset !== baseOffset) patch.reminderOffset = draft.reminderOffset;
    let saved = base;
    if (Object.keys(patch).length) saved = await this.store.update(base, patch);
    this.base = saved;
    const channels = this.channels();
    const enabled = draft.reminderOffset !== null;
    if (!sameJson(channels, base.reminderChannels) || enabled !== base.reminderEnabled) {
      await this.api.updateReminder(base.id, { channels, enabled });
    }
    const recurrence = this.recurrence();
    if (!sameJson(stripDefaults(recurrence), stripDefaults(base.recurrence))) {
      if (recurrence) await this.api.putRecurrence(base.id, recurrence);
      else await this.api.deleteRecurrence(base.id);
    }
  }

  private async showError(error: unknown): Promise<void> {
    const described = describeError(error);
    this.fields.set(described.fields);
    if (error instanceof HttpErrorResponse && error.status === 409 && this.base) {
      // Someone else saved first: merge field by field on their version.
      let clean: boolean;
      try {
        const server = await this.api.getTask(this.base.id);
        this.store.upsert(server);
        clean = this.merge(this.base, server);
      } catch {
        this.error.set(
          'This task was changed in another tab or device, and its latest version cannot be read now. Your edits are still here: try again.',
        );
        return;
      }
      if (clean) {
        this.saving.set(false);
        return this.save();
      }
      this.error.set(
        'This task was changed in another tab or device. Their other changes are kept; choose below which value to keep where you both changed the same thing.',
      );
      return;
    }
    const fields = Object.entries(described.fields);
    // Messages for fields this form has no place for are said in the summary itself.
    const elsewhere = fields
      .filter(([field]) => !SHOWN_FIELDS.has(field) && !field.startsWith('recurrence'))
      .map(([, message]) => message);
    if (fields.length === 0) this.error.set(described.message);
    else if (elsewhere.length) this.error.set(elsewhere.join(' '));
    else this.error.set('Please fix the fields marked below.');
  }
}

function stripDefaults(pattern: RecurrenceRequest | null | undefined) {
  if (!pattern) return null;
  const {
    frequency,
    interval = 1,
    byWeekday,
    byMonthday,
    endDate,
    maxOccurrences,
    rrule,
    anchor = 'due',
  } = pattern;
  return { frequency, interval, byWeekday, byMonthday, endDate, maxOccurrences, rrule, anchor };
}

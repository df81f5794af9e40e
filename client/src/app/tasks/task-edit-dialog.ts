import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  signal,
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
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { fromZonedInput, sameZone, toZonedInput } from '../core/zoned-time';
import type {
  NotificationChannel,
  RecurrenceRequest,
  Task,
  CreateTaskRequest,
  TaskPriority,
} from '../core/types';
import { RecurrenceEditor } from './recurrence-editor';

export interface TaskEditData {
  task: Task | null;
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
  /** The due time is typed and shown as wall time in the user's zone, not the browser's. */
  readonly zone = this.userZone.zone();
  readonly zoneDiffers = !sameZone(this.zone, this.userZone.device());

  readonly offsets = REMINDER_OFFSETS;
  readonly isNew = !this.data.task;
  readonly taskId = this.data.task?.id ?? '';
  private base: Task | null = this.data.task;

  readonly title = signal(this.base?.title ?? '');
  /** Characters, as the api counts them (ADR 180). */
  readonly titleLength = computed(() => codePointLength(this.title().trim()));
  readonly titleMax = TITLE_MAX;
  readonly description = signal(this.base?.description ?? '');
  readonly due = signal(toZonedInput(this.base?.dueDate, this.zone));
  readonly priority = signal<TaskPriority>(this.base?.priority ?? 'medium');
  readonly tags = signal((this.base?.tags ?? []).join(', '));
  readonly reminderOffset = signal<number | null>(
    this.base ? (this.base.reminderEnabled ? this.base.reminderOffset : null) : 15,
  );
  readonly email = signal(this.base ? this.base.reminderChannels.includes('email') : true);
  readonly push = signal(this.base ? this.base.reminderChannels.includes('push') : true);
  readonly recurrence = signal<RecurrenceRequest | null>(this.base?.recurrence ?? null);

  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly fields = signal<Record<string, string>>({});

  ngOnInit(): void {
    if (this.isNew) {
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

  async save(): Promise<void> {
    this.error.set(null);
    this.fields.set({});
    const title = this.title().trim();
    if (!title) {
      this.fields.set({ title: 'A task needs a title.' });
      return;
    }
    if (codePointLength(title) > TITLE_MAX) {
      this.fields.set({
        title: `A title can be at most ${TITLE_MAX} characters; this one has ${codePointLength(title)}. Put the rest in the description.`,
      });
      return;
    }
    const draft: CreateTaskRequest = {
      title,
      description: this.description().trim() || null,
      dueDate: this.due() ? fromZonedInput(this.due(), this.zone) : null,
      priority: this.priority(),
      tags: parseTags(this.tags()),
      reminderOffset: this.reminderOffset(),
    };
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

  private async saveChanges(base: Task, draft: CreateTaskRequest): Promise<void> {
    const patch: Partial<CreateTaskRequest> = {};
    for (const key of ['title', 'description', 'dueDate', 'priority', 'tags'] as const) {
      if (!sameJson(draft[key], base[key])) (patch as Record<string, unknown>)[key] = draft[key];
    }
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
      // Someone else saved first: take their version as the new base, keep the user's edits.
      try {
        this.base = await this.api.getTask(this.base.id);
        this.store.upsert(this.base);
      } catch {
        // the message below still applies
      }
      this.error.set(
        'This task was changed in another tab or device. Your edits are still here: save again to apply them on top.',
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

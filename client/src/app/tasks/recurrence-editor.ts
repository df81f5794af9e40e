import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  input,
  model,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import type { RecurrenceFrequency, RecurrenceRequest } from '../core/types';
import { endOfDayInZone, formatInZone } from '../core/zoned-time';
import { WEEKDAYS, ordinal, recurrenceLabel } from './recurrence-text';

type Repeat = 'none' | RecurrenceFrequency;
/** How a series ends: never (open-ended, the default), after N occurrences, or on a date. */
export type RepeatEnd = 'never' | 'count' | 'date';

export interface EditorState {
  repeat: Repeat;
  interval: number;
  byWeekday: number[];
  /** 1–31, -1 = the last day of the month, null = the due date's day. */
  byMonthday: number | null;
  end: RepeatEnd;
  maxOccurrences: number;
  endDate: string;
  rrule: string;
  anchor: 'due' | 'completion';
}

const DEFAULT_STATE: EditorState = {
  repeat: 'none',
  interval: 1,
  byWeekday: [],
  byMonthday: null,
  end: 'never',
  maxOccurrences: 10,
  endDate: '',
  rrule: 'FREQ=WEEKLY;BYDAY=MO',
  anchor: 'due',
};

function toState(pattern: RecurrenceRequest | null, zone: string): EditorState {
  if (!pattern) return { ...DEFAULT_STATE };
  return {
    repeat: pattern.frequency,
    interval: pattern.interval ?? 1,
    byWeekday: [...(pattern.byWeekday ?? [])],
    byMonthday: pattern.byMonthday ?? null,
    end: pattern.endDate ? 'date' : pattern.maxOccurrences ? 'count' : 'never',
    maxOccurrences: pattern.maxOccurrences ?? 10,
    endDate: pattern.endDate ? (formatInZone(pattern.endDate, 'yyyy-MM-dd', zone) ?? '') : '',
    rrule: pattern.rrule ?? DEFAULT_STATE.rrule,
    anchor: pattern.anchor ?? 'due',
  };
}

/**
 * The pattern an editor state stands for (null = does not repeat). "Never" sends neither
 * end field; an end date is the last second of that day in `zone`, the user's zone.
 */
export function toPattern(state: EditorState, zone: string): RecurrenceRequest | null {
  if (state.repeat === 'none') return null;
  const pattern: RecurrenceRequest = {
    frequency: state.repeat,
    interval: state.repeat === 'custom' ? 1 : Math.max(1, Math.floor(state.interval || 1)),
    anchor: state.anchor,
  };
  if (state.repeat === 'weekly' && state.byWeekday.length)
    pattern.byWeekday = [...state.byWeekday].sort((a, b) => a - b);
  if (state.repeat === 'monthly' && state.byMonthday) pattern.byMonthday = state.byMonthday;
  if (state.repeat === 'custom') pattern.rrule = state.rrule.trim();
  if (state.end === 'date') {
    const endDate = state.endDate ? endOfDayInZone(state.endDate, zone) : null;
    if (endDate) pattern.endDate = endDate;
  } else if (state.end === 'count') {
    pattern.maxOccurrences = Math.max(1, Math.floor(state.maxOccurrences || 1));
  }
  return pattern;
}

/** Edits a recurrence pattern and says it back in plain English. */
@Component({
  selector: 'app-recurrence-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    FormsModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
  ],
  templateUrl: './recurrence-editor.html',
  styleUrl: './recurrence-editor.scss',
})
export class RecurrenceEditor {
  readonly value = model<RecurrenceRequest | null>(null);
  /** Server messages by field path (`recurrence.maxOccurrences`, …). */
  readonly errors = input<Record<string, string>>({});
  /** Editing an existing task (its pattern applies from the next completion). */
  readonly editing = input(false);
  /** The user's zone: an end date is a calendar day there. */
  readonly zone = input('UTC');

  protected readonly state = signal<EditorState>({ ...DEFAULT_STATE });
  protected readonly weekdays = WEEKDAYS.map((name, index) => ({
    name,
    short: name.slice(0, 3),
    index,
  }));
  protected readonly monthdays = Array.from({ length: 31 }, (_, i) => ({
    value: i + 1,
    label: ordinal(i + 1),
  }));
  protected readonly preview = computed(() =>
    recurrenceLabel(toPattern(this.state(), this.zone()), this.zone()),
  );
  protected readonly unit = computed(
    () =>
      ({ daily: 'days', weekly: 'weeks', monthly: 'months', yearly: 'years' })[
        this.state().repeat as 'daily'
      ] ?? '',
  );
  protected readonly errorList = computed(() =>
    Object.entries(this.errors())
      .filter(([field]) => field === 'recurrence' || field.startsWith('recurrence.'))
      .map(([, message]) => message),
  );
  private lastEmitted: RecurrenceRequest | null | undefined;

  constructor() {
    // Outside value → editor state (but not the echo of our own emission).
    effect(() => {
      const value = this.value();
      if (value === this.lastEmitted) return;
      untracked(() => this.state.set(toState(value, this.zone())));
    });
  }

  protected set<K extends keyof EditorState>(key: K, value: EditorState[K]): void {
    this.state.update((s) => ({ ...s, [key]: value }));
    this.lastEmitted = toPattern(this.state(), this.zone());
    this.value.set(this.lastEmitted);
  }

  protected toggleDay(index: number, on: boolean): void {
    const days = new Set(this.state().byWeekday);
    if (on) days.add(index);
    else days.delete(index);
    this.set(
      'byWeekday',
      [...days].sort((a, b) => a - b),
    );
  }
}

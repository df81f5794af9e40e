import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ApiService } from '../core/api.service';
import { describeError } from '../core/errors';
import { TaskStore } from '../core/task-store';
import { UserZone } from '../core/user-zone';
import { ZonedDatePipe } from '../core/zoned-date.pipe';
import type { Task } from '../core/types';
import { recurrenceLabel } from './recurrence-text';

/** Every instance of a recurring series, with its pattern in words. Refreshes on live changes. */
@Component({
  selector: 'app-series-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ZonedDatePipe, RouterLink, MatButtonModule, MatProgressBarModule],
  template: `
    <div class="page">
      <a mat-button routerLink="/tasks">← All tasks</a>
      <h1>{{ task()?.title ?? 'Recurring series' }}</h1>
      @if (task(); as t) {
        <p class="pattern">{{ describe(t) }}</p>
      }
      @if (loading()) {
        <mat-progress-bar mode="indeterminate" aria-label="Loading the series" />
      }
      @if (error(); as message) {
        <p class="error-text" role="alert">{{ message }}</p>
      }
      <ol class="instances" aria-label="Instances">
        @for (item of instances(); track item.id) {
          <li [class.done]="item.status === 'completed'">
            <span class="index">#{{ item.occurrenceIndex ?? $index + 1 }}</span>
            <span class="when">{{
              item.dueDate
                ? (item.dueDate | zonedDate: 'EEE d MMM y, HH:mm' : zone.zone())
                : 'No due date'
            }}</span>
            <span class="state">{{
              item.status === 'completed'
                ? 'Done ' + (item.completedAt | zonedDate: 'd MMM, HH:mm' : zone.zone())
                : 'To do'
            }}</span>
          </li>
        } @empty {
          @if (!loading() && !error()) {
            <li>This task does not repeat.</li>
          }
        }
      </ol>
    </div>
  `,
  styles: `
    h1 {
      font: var(--mat-sys-headline-small);
    }
    .pattern {
      font: var(--mat-sys-title-medium);
      color: var(--mat-sys-primary);
    }
    .instances {
      list-style: none;
      padding: 0;
    }
    li {
      display: grid;
      grid-template-columns: 4em 1fr auto;
      gap: 8px;
      padding: 10px 4px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .done .when {
      text-decoration: line-through;
      color: var(--mat-sys-on-surface-variant);
    }
    .state {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class SeriesView {
  private readonly api = inject(ApiService);
  private readonly store = inject(TaskStore);
  protected readonly zone = inject(UserZone);
  readonly id = input.required<string>();

  readonly task = signal<Task | null>(null);
  readonly instances = signal<Task[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.id();
      this.store.lastLiveUpdate(); // reload when something changed live
      void this.load(id);
    });
  }

  describe(task: Task): string {
    return recurrenceLabel(task.recurrence, this.zone.zone());
  }

  private async load(id: string): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const [task, series] = await Promise.all([this.api.getTask(id), this.api.instances(id)]);
      this.task.set(task);
      this.instances.set(Array.isArray(series) ? series : series.items);
    } catch (error) {
      this.error.set(describeError(error).message);
    } finally {
      this.loading.set(false);
    }
  }
}

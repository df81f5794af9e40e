import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiService } from './api.service';
import { describeError } from './errors';
import {
  DEFAULT_FILTERS,
  combineFilters,
  compareTasks,
  matchesFilters,
  toQuery,
  type TaskFilters,
} from './task-filters';
import type { Task, TaskChange, CreateTaskRequest, TaskUpdateMessage } from './types';
import { UserZone } from './user-zone';

/** The server no longer has the changes after our cursor (410 CURSOR_EXPIRED). */
function isCursorExpired(error: unknown): boolean {
  return describeError(error).code === 'CURSOR_EXPIRED';
}

/** Compares change-feed cursors (decimal strings, possibly beyond 2^53). */
export function seqGreater(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/**
 * The task list of the current filters, kept live: REST for the first page, then every
 * change (socket `task_update`, change-feed replay, our own writes) goes through `apply`,
 * which is idempotent and reconciles by `version` — an older version never replaces a newer.
 */
@Injectable({ providedIn: 'root' })
export class TaskStore {
  private readonly api = inject(ApiService);
  /** "Today" and "this week" are days in the user's zone. */
  private readonly zone = inject(UserZone);

  private readonly byId = signal<ReadonlyMap<string, Task>>(new Map());
  /** Highest version seen of tasks that were deleted, so a late update cannot revive them. */
  private readonly tombstones = new Map<string, number>();
  /** Highest version seen of every task, shown or not (a task filtered out stays known). */
  private readonly seen = new Map<string, number>();
  /** Optimistic copies waiting for the server: id → the task as it was before. */
  private readonly optimistic = new Map<string, Task>();

  readonly filters = signal<TaskFilters>({ ...DEFAULT_FILTERS });
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly nextCursor = signal<string | null>(null);
  /** Change-feed cursor: everything up to here is reflected in the list. */
  readonly lastSeq = signal<string | null>(null);
  /** When the last live change arrived (ms), for the "updated just now" hint and tests. */
  readonly lastLiveUpdate = signal<number | null>(null);

  readonly tasks = computed(() => {
    const sort = compareTasks(this.filters().sort);
    return [...this.byId().values()].sort(sort);
  });
  readonly tags = computed(() =>
    [...new Set([...this.byId().values()].flatMap((t) => t.tags))].sort(),
  );

  private generation = 0;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;

  /** Loads the first page of the current filters (and then catches up past its snapshot). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.listTasks(toQuery(this.filters()));
      if (generation !== this.generation) return;
      this.byId.set(new Map(page.items.map((t) => [t.id, t])));
      for (const t of page.items)
        this.seen.set(t.id, Math.max(t.version, this.seen.get(t.id) ?? 0));
      this.optimistic.clear();
      this.nextCursor.set(page.nextCursor);
      this.lastSeq.set(page.changesCursor);
      await this.catchUp();
    } catch (error) {
      if (generation === this.generation) this.error.set(describeError(error).message);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    try {
      const page = await this.api.listTasks({
        ...toQuery(this.filters()),
        cursor,
      });
      this.mutate((map) => {
        for (const task of page.items) if (!map.has(task.id)) map.set(task.id, task);
      });
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      this.error.set(describeError(error).message);
    }
  }

  setFilters(patch: Partial<TaskFilters>): Promise<void> {
    this.filters.update((f) => combineFilters(f, patch));
    return this.load();
  }

  /** Replays the change feed from the last cursor until it has nothing more (after reconnects). */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run: Promise<void> = this.replay()
      .then(
        () => false,
        (error: unknown) => {
          if (isCursorExpired(error)) return true;
          throw error;
        },
      )
      .finally(() => {
        if (this.catchingUp === run) this.catchingUp = null;
      })
      // Offline longer than the feed keeps its changes: only a fresh list is complete again.
      .then((expired) => (expired ? this.load() : undefined));
    this.catchingUp = run;
    return run;
  }

  private async replay(): Promise<void> {
    do {
      this.catchUpAgain = false;
      let hasMore = true;
      while (hasMore && this.lastSeq() !== null) {
        const page = await this.api.changes(this.lastSeq()!);
        for (const change of page.changes) this.applyChange(change);
        if (seqGreater(page.nextCursor, this.lastSeq()!)) this.lastSeq.set(page.nextCursor);
        hasMore = page.hasMore && page.changes.length > 0;
      }
    } while (this.catchUpAgain);
  }

  /** A `task_update` from the socket or one change of the feed. */
  applyChange(change: TaskUpdateMessage | TaskChange, live = false): void {
    const seq = this.lastSeq();
    if (seq === null || seqGreater(change.seq, seq)) this.lastSeq.set(change.seq);
    if (change.action === 'deleted') this.remove(change.task ?? { id: change.taskId, version: 0 });
    else this.upsert(change.task);
    if (live) this.lastLiveUpdate.set(Date.now());
  }

  /** Puts a server copy of a task in the list if it is newer and matches the filters. */
  upsert(task: Task): void {
    const dead = this.tombstones.get(task.id);
    if (dead !== undefined && task.version <= dead) return;
    if (task.status === 'deleted') return this.remove(task);
    if ((this.seen.get(task.id) ?? -1) > task.version) return;
    this.seen.set(task.id, task.version);
    const current = this.byId().get(task.id);
    if (current && current.version > task.version) return;
    // Our optimistic copy keeps the old version number: the same version is not newer than it.
    if (current && this.optimistic.has(task.id) && current.version === task.version) return;
    this.optimistic.delete(task.id);
    this.mutate((map) => {
      if (matchesFilters(task, this.filters(), new Date(), this.zone.zone()))
        map.set(task.id, task);
      else map.delete(task.id);
    });
  }

  private remove(task: Pick<Task, 'id' | 'version'>): void {
    this.tombstones.set(task.id, Math.max(task.version, this.tombstones.get(task.id) ?? 0));
    this.optimistic.delete(task.id);
    if (this.byId().has(task.id)) this.mutate((map) => map.delete(task.id));
  }

  async create(draft: CreateTaskRequest): Promise<Task> {
    const task = await this.api.createTask(draft);
    this.upsert(task);
    return task;
  }

  async update(task: Task, patch: Partial<CreateTaskRequest> & { status?: string }): Promise<Task> {
    const saved = await this.api.updateTask(task.id, patch, task.version);
    this.upsert(saved);
    return saved;
  }

  /** Completes at once on screen; the server's answer (a newer version) replaces it. */
  async complete(task: Task): Promise<{ next: string | null; recurring: boolean }> {
    this.optimisticPatch(task, { status: 'completed', completedAt: new Date().toISOString() });
    try {
      const result = await this.api.completeTask(task.id);
      this.upsert(result.task);
      return {
        next: result.nextInstance?.scheduledFor ?? null,
        recurring: result.nextInstance !== null,
      };
    } catch (error) {
      this.rollback(task.id);
      throw error;
    }
  }

  async reopen(task: Task): Promise<void> {
    const saved = await this.api.updateTask(task.id, { status: 'pending' });
    this.upsert(saved);
  }

  async delete(task: Task): Promise<void> {
    this.optimistic.set(task.id, task);
    this.mutate((map) => map.delete(task.id));
    try {
      await this.api.deleteTask(task.id);
      this.tombstones.set(task.id, task.version + 1);
      this.optimistic.delete(task.id);
    } catch (error) {
      this.rollback(task.id);
      throw error;
    }
  }

  clear(): void {
    this.generation++;
    this.byId.set(new Map());
    this.tombstones.clear();
    this.seen.clear();
    this.optimistic.clear();
    this.lastSeq.set(null);
    this.nextCursor.set(null);
    this.filters.set({ ...DEFAULT_FILTERS });
  }

  private optimisticPatch(task: Task, patch: Partial<Task>): void {
    const current = this.byId().get(task.id) ?? task;
    if (!this.optimistic.has(task.id)) this.optimistic.set(task.id, current);
    const next = { ...current, ...patch };
    this.mutate((map) => {
      if (matchesFilters(next, this.filters(), new Date(), this.zone.zone()))
        map.set(task.id, next);
      else map.delete(task.id);
    });
  }

  private rollback(id: string): void {
    const before = this.optimistic.get(id);
    this.optimistic.delete(id);
    if (!before) return;
    const current = this.byId().get(id);
    // Only undo our own optimistic copy, never a newer server version that arrived meanwhile.
    if (current && current.version > before.version) return;
    this.mutate((map) => map.set(id, before));
  }

  private mutate(change: (map: Map<string, Task>) => void): void {
    const map = new Map(this.byId());
    change(map);
    this.byId.set(map);
  }
}

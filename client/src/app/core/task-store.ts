import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiService } from './api.service';
import { AuthService } from './auth.service';
import { describeError } from './errors';
import { ListStore } from './list-store';
import { MemberStore } from './member-store';
import { Outbox, baseOf, type OutboxAnswer, type OutboxChange, type OutboxEntry } from './outbox';
import {
  DEFAULT_FILTERS,
  combineFilters,
  compareTasks,
  matchesFilters,
  toQuery,
  type TaskFilters,
} from './task-filters';
import type {
  CompleteTaskResult,
  CreateTaskRequest,
  ListChange,
  ListUpdateMessage,
  ReopenTaskResult,
  Task,
  TaskChange,
  TaskUpdateMessage,
  UpdateTaskRequest,
} from './types';
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
  private readonly auth = inject(AuthService);
  /** Changes not yet on the server: every write goes through it (ADR 232). */
  readonly outbox = inject(Outbox);
  /** "Today" and "this week" are days in the user's zone. */
  private readonly zone = inject(UserZone);
  /** Lists' counts follow task changes; list changes of the feed go to it. */
  private readonly lists = inject(ListStore);
  /** Members of shared lists, forgotten at sign-out. */
  private readonly members = inject(MemberStore);

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
  /**
   * Ids of tasks with a change waiting for the connection ("pending sync"); a change on its
   * way for the first time is not marked, so the badge does not flash on every write.
   */
  readonly pendingSync = computed(
    () =>
      new Set(
        this.outbox
          .entries()
          .filter((e) => !e.refused && e.stalled)
          .map((e) => e.taskId),
      ),
  );
  /** Changes the server refused, each waiting for Fix or Discard. */
  readonly refused = computed(() => this.outbox.entries().filter((e) => e.refused));

  constructor() {
    this.outbox.onSent = (entry, answer) => this.applySent(entry, answer);
  }

  private generation = 0;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;

  /** Loads the first page of the current filters (and then catches up past its snapshot). */
  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      await this.outbox.use(this.auth.user()?.id ?? null);
      const page = await this.api.listTasks(toQuery(this.filters()));
      if (generation !== this.generation) return;
      this.byId.set(new Map(page.items.map((t) => [t.id, t])));
      for (const t of page.items)
        this.seen.set(t.id, Math.max(t.version, this.seen.get(t.id) ?? 0));
      this.optimistic.clear();
      // Tasks made offline are shown until the server has them.
      for (const entry of this.outbox.entries())
        if (entry.change.kind === 'create' && !this.seen.has(entry.taskId))
          this.upsert(this.placeholder(entry.change.body));
      this.nextCursor.set(page.nextCursor);
      this.lastSeq.set(page.changesCursor);
      await this.catchUp();
    } catch (error) {
      if (generation !== this.generation) return;
      const list = this.filters().list;
      // The list shown is not ours to see (any more): the page moves away, not an error.
      if (list && describeError(error).status === 404) {
        this.dropList(list);
        this.lists.lose(list);
      } else this.error.set(describeError(error).message);
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

  /**
   * After a reconnect: sends the outbox, then replays the change feed from the last cursor until
   * it has nothing more, so what was sent and what others changed meanwhile are both shown.
   */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run: Promise<void> = this.outbox
      .flush()
      .then(() => this.replay())
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
        for (const change of page.listChanges ?? []) this.applyListChange(change);
        for (const change of page.changes) this.applyChange(change);
        if (seqGreater(page.nextCursor, this.lastSeq()!)) this.lastSeq.set(page.nextCursor);
        hasMore = page.hasMore && page.changes.length + (page.listChanges?.length ?? 0) > 0;
      }
    } while (this.catchUpAgain);
  }

  /** A `task_update` from the socket or one change of the feed. */
  applyChange(change: TaskUpdateMessage | TaskChange, live = false): void {
    const seq = this.lastSeq();
    if (seq === null || seqGreater(change.seq, seq)) this.lastSeq.set(change.seq);
    if (change.action === 'deleted') this.remove(change.task ?? { id: change.taskId, version: 0 });
    else this.upsert(change.task);
    this.lists.countsChanged();
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
      if (this.matches(task)) map.set(task.id, task);
      else map.delete(task.id);
    });
  }

  private remove(task: Pick<Task, 'id' | 'version'>): void {
    // A late echo of a deletion that a restore (a newer version) already took back.
    const shown = this.byId().get(task.id);
    if (shown && shown.version > task.version && !this.optimistic.has(task.id)) return;
    this.tombstones.set(task.id, Math.max(task.version, this.tombstones.get(task.id) ?? 0));
    this.optimistic.delete(task.id);
    if (this.byId().has(task.id)) this.mutate((map) => map.delete(task.id));
  }

  /**
   * Creates with a client-chosen id, through the outbox: the server's task when it answered,
   * else a "pending sync" copy that the server's replaces once sent.
   */
  async create(draft: CreateTaskRequest): Promise<Task> {
    const body = { ...draft, id: draft.id ?? crypto.randomUUID() };
    const done = await this.submit(body.id, draft.title, { kind: 'create', body });
    if (done.sent) {
      const task = done.answer as Task;
      this.upsert(task);
      return task;
    }
    const placeholder = this.placeholder(body);
    this.upsert(placeholder);
    return placeholder;
  }

  async update(task: Task, patch: UpdateTaskRequest): Promise<Task> {
    const done = await this.submit(task.id, task.title, {
      kind: 'update',
      patch,
      version: task.version,
      base: baseOf(task, patch),
    });
    if (done.sent) {
      const saved = done.answer as Task;
      this.upsert(saved);
      return saved;
    }
    const { status, ...fields } = patch;
    this.optimisticPatch(task, { ...(fields as Partial<Task>), ...(status ? { status } : {}) });
    return this.byId().get(task.id) ?? task;
  }

  /**
   * Completes at once on screen; the server's answer (a newer version) replaces it. `queued`:
   * it waits for the connection.
   */
  async complete(
    task: Task,
  ): Promise<{ next: string | null; recurring: boolean; queued?: boolean }> {
    this.optimisticPatch(task, { status: 'completed', completedAt: new Date().toISOString() });
    try {
      const done = await this.submit(task.id, task.title, { kind: 'complete' });
      if (!done.sent) return { next: null, recurring: false, queued: true };
      const result = done.answer as CompleteTaskResult;
      return {
        next: result.nextInstance?.scheduledFor ?? null,
        recurring: result.nextInstance !== null,
      };
    } catch (error) {
      this.rollback(task.id);
      throw error;
    }
  }

  /**
   * Undoes a completion: the task is open again, and the next instance of a repeating task
   * that the completion created goes too (the server removes it if untouched).
   */
  async reopen(task: Task): Promise<void> {
    this.optimisticPatch(task, { status: 'pending', completedAt: null });
    try {
      await this.submit(task.id, task.title, { kind: 'reopen' });
    } catch (error) {
      this.rollback(task.id);
      throw error;
    }
  }

  /** Deletes at once on screen; `restore` brings it back. */
  async delete(task: Task): Promise<void> {
    this.optimistic.set(task.id, task);
    this.mutate((map) => map.delete(task.id));
    try {
      await this.submit(task.id, task.title, { kind: 'delete' });
    } catch (error) {
      this.rollback(task.id);
      throw error;
    }
  }

  /** Undoes a delete: shown again at once, as the server brings it back. */
  async restore(task: Task): Promise<void> {
    this.mutate((map) => map.set(task.id, task));
    try {
      await this.submit(task.id, task.title, { kind: 'restore' });
    } catch (error) {
      this.mutate((map) => map.delete(task.id));
      throw error;
    }
  }

  /** The server's copy of a task now, shown in the list too. */
  async latest(id: string): Promise<Task> {
    const task = await this.api.getTask(id);
    this.upsert(task);
    return task;
  }

  /** Drops a change the server refused (Discard); an unsent new task goes with it. */
  async discard(entry: OutboxEntry): Promise<void> {
    await this.outbox.discard(entry);
    if (entry.change.kind === 'create') this.remove({ id: entry.taskId, version: 0 });
    else await this.catchUp();
  }

  private submit(taskId: string, title: string, change: OutboxChange) {
    return this.outbox.submit({ taskId, title, change });
  }

  /** A change the server took, whoever sent it (this call, a later flush, another tab). */
  private applySent(entry: OutboxEntry, answer: OutboxAnswer): void {
    switch (entry.change.kind) {
      case 'create':
      case 'update':
      case 'restore':
        this.upsert(answer as Task);
        return;
      case 'complete':
        this.upsert((answer as CompleteTaskResult).task);
        return;
      case 'reopen': {
        const { task, removedInstanceId } = answer as ReopenTaskResult;
        this.upsert(task);
        if (removedInstanceId) this.remove({ id: removedInstanceId, version: 1 });
        return;
      }
      case 'delete': {
        const shown = this.optimistic.get(entry.taskId) ?? this.byId().get(entry.taskId);
        this.optimistic.delete(entry.taskId);
        this.remove({ id: entry.taskId, version: (shown?.version ?? 0) + 1 });
        return;
      }
    }
  }

  /** How a task made offline is shown until the server's copy arrives (version 0). */
  private placeholder(body: CreateTaskRequest & { id: string }): Task {
    const now = new Date().toISOString();
    const offset = body.reminderOffset === undefined ? null : body.reminderOffset;
    return {
      id: body.id,
      userId: this.auth.user()?.id ?? '',
      // Until the server answers: the list it was made in, else the Inbox (as the server does).
      listId: body.listId ?? this.lists.inbox()?.id ?? '',
      assigneeId: body.assigneeId ?? null,
      title: body.title,
      description: body.description ?? null,
      status: 'pending',
      priority: body.priority ?? 'medium',
      tags: body.tags ?? [],
      dueDate: body.dueDate ?? null,
      reminderEnabled: offset !== null,
      reminderOffset: offset,
      reminderChannels: body.reminderChannels ?? ['email', 'push'],
      reminderAt: null,
      recurrence: null,
      seriesId: null,
      parentTaskId: null,
      occurrenceIndex: null,
      version: 0,
      completedAt: null,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  clear(): void {
    this.generation++;
    this.byId.set(new Map());
    this.tombstones.clear();
    this.seen.clear();
    this.optimistic.clear();
    this.lastSeq.set(null);
    this.nextCursor.set(null);
    this.lists.clear();
    this.members.clear();
    this.filters.set({ ...DEFAULT_FILTERS });
    void this.outbox.use(null);
  }

  private optimisticPatch(task: Task, patch: Partial<Task>): void {
    const current = this.byId().get(task.id) ?? task;
    if (!this.optimistic.has(task.id)) this.optimistic.set(task.id, current);
    const next = { ...current, ...patch };
    this.mutate((map) => {
      if (this.matches(next)) map.set(task.id, next);
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

  /** Whether a task belongs in the list of the current filters. */
  private matches(task: Task): boolean {
    const me = this.auth.user()?.id ?? null;
    return matchesFilters(task, this.filters(), new Date(), this.zone.zone(), undefined, me);
  }

  /**
   * A list change (socket or feed). When access to a list ended, its tasks leave this tab at
   * once, whatever the filters (ADR 370).
   */
  applyListChange(change: ListUpdateMessage | ListChange): void {
    this.lists.applyChange(change);
    if (change.action === 'access_revoked' || change.action === 'deleted')
      this.dropList(change.listId);
  }

  /** Forgets every shown task of a list. */
  private dropList(listId: string): void {
    if ([...this.byId().values()].some((t) => t.listId === listId))
      this.mutate((map) => {
        for (const [id, task] of map) if (task.listId === listId) map.delete(id);
      });
  }

  private mutate(change: (map: Map<string, Task>) => void): void {
    const map = new Map(this.byId());
    change(map);
    this.byId.set(map);
  }
}

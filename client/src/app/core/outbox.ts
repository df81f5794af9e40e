import { DOCUMENT } from '@angular/common';
import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, InjectionToken, inject, signal, type OnDestroy } from '@angular/core';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { EDITABLE_TASK_FIELDS } from '@todo/contracts/task-fields';
import { ApiService } from './api.service';
import { describeError } from './errors';
import type {
  CompleteTaskResult,
  CreateTaskRequest,
  ReopenTaskResult,
  Task,
  UpdateTaskRequest,
} from './types';

/** One change to a task, as the outbox keeps it until the server has it. */
export type OutboxChange =
  | { kind: 'create'; body: CreateTaskRequest & { id: string } }
  | {
      kind: 'update';
      patch: UpdateTaskRequest;
      /** The version the change was made on (If-Match), when it is conditional. */
      version?: number;
      /** The patched fields as they were before: what a conflict is judged against. */
      base: Record<string, unknown>;
    }
  | { kind: 'complete' }
  | { kind: 'reopen' }
  | { kind: 'delete' }
  | { kind: 'restore' };

export interface OutboxEntry {
  /** Send order (IndexedDB's key generator). */
  seq?: number;
  /** The Idempotency-Key: the server does this change once, however often it is sent. */
  key: string;
  userId: string;
  taskId: string;
  /** The task's title, to say which task a refusal is about. */
  title: string;
  change: OutboxChange;
  /** The server's refusal in words; a refused change waits for Fix or Discard. */
  refused: string | null;
  /** It could not be sent when made (offline, no answer): the list says "Pending sync". */
  stalled?: boolean;
  createdAt: number;
}

export type OutboxAnswer = Task | CompleteTaskResult | ReopenTaskResult | null;
export type Submitted = { sent: true; answer: OutboxAnswer } | { sent: false };

interface OutboxDb extends DBSchema {
  entries: { key: number; value: OutboxEntry };
}

/** The IndexedDB database of the outbox; a test gives each spec its own. */
export const OUTBOX_DB_NAME = new InjectionToken<string>('OUTBOX_DB_NAME', {
  factory: () => 'todo-outbox',
});

/** Worth sending again later: no answer, or a server that is restarting or busy. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof HttpErrorResponse &&
    [0, 401, 408, 429, 500, 502, 503, 504].includes(error.status)
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Task changes that have not reached the server yet, kept in IndexedDB (ADR 232): every change
 * goes in with its own Idempotency-Key, and leaves only when the server answered it. Sent in
 * order — now if the browser is online, else on the `online` event, a socket reconnect
 * (`TaskStore.catchUp`) or a backoff timer after a failed attempt — so a change made offline,
 * or lost to a dropped connection, reaches the server exactly once. Two tabs may send the same
 * entry at once: its key makes that one change with one answer. A refusal (4xx) stays,
 * shown on its task, until the user fixes or discards it; later changes of that task wait.
 */
@Injectable({ providedIn: 'root' })
export class Outbox implements OnDestroy {
  private readonly api = inject(ApiService);
  private readonly document = inject(DOCUMENT);
  private readonly dbName = inject(OUTBOX_DB_NAME);

  /** The signed-in user's entries, in send order. */
  readonly entries = signal<OutboxEntry[]>([]);
  /** Told of every change the server took, with its answer (the task store applies it). */
  onSent: (entry: OutboxEntry, answer: OutboxAnswer) => void = () => undefined;

  private userId: string | null = null;
  private db: Promise<IDBPDatabase<OutboxDb> | null> | null = null;
  /** Kept here too, so the outbox still works (for this tab's life) where IndexedDB does not. */
  private memory: OutboxEntry[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  /** Keys a caller is waiting for: their refusal goes back to the caller, not into the list. */
  private readonly waiting = new Map<string, (outcome: Submitted | { error: unknown }) => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = 2000;

  private readonly onOnline = () => void this.flush();

  constructor() {
    this.document.defaultView?.addEventListener('online', this.onOnline);
  }

  ngOnDestroy(): void {
    this.document.defaultView?.removeEventListener('online', this.onOnline);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Whose entries to show and send; reads what an earlier visit left. */
  async use(userId: string | null): Promise<void> {
    if ((this.userId ?? '') === (userId ?? '')) return;
    this.userId = userId || null;
    this.memory = [];
    await this.refresh();
  }

  /**
   * Keeps `entry` and sends what is waiting, in order. Answers the server's answer once this
   * change was sent, or `sent: false` when it waits for the connection. A refusal of this
   * change (4xx) is thrown, and the change dropped: the caller is there to show it.
   */
  async submit(
    entry: Omit<OutboxEntry, 'key' | 'refused' | 'createdAt' | 'seq' | 'userId'>,
  ): Promise<Submitted> {
    const stored: OutboxEntry = {
      ...entry,
      userId: this.userId ?? '',
      key: crypto.randomUUID(),
      refused: null,
      createdAt: Date.now(),
    };
    await this.put(stored);
    const outcome = new Promise<Submitted | { error: unknown }>((resolve) =>
      this.waiting.set(stored.key, resolve),
    );
    await this.flush();
    // Still here after the flush: it waits for the connection.
    const settled = await Promise.race([outcome, Promise.resolve(null)]);
    if (settled === null) {
      this.waiting.delete(stored.key);
      return { sent: false };
    }
    if ('error' in settled) throw settled.error;
    return settled;
  }

  /** Sends what is waiting, in order; one run at a time in this tab, one tab at a time. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      do {
        this.again = false;
        await this.drain();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /** Drops a refused change (Discard), or any waiting one. */
  async discard(entry: OutboxEntry): Promise<void> {
    await this.remove(entry);
    await this.refresh();
  }

  /** Everything of the signed-in user is forgotten (sign-out). */
  async clear(): Promise<void> {
    for (const entry of await this.all()) await this.remove(entry);
    this.userId = null;
    this.entries.set([]);
  }

  private async drain(): Promise<void> {
    const blocked = new Set<string>();
    let stalled = false;
    for (const entry of await this.all()) {
      if (entry.refused) {
        blocked.add(entry.taskId);
        continue;
      }
      // A refused change holds the later changes of its task: they were made on top of it.
      if (blocked.has(entry.taskId)) continue;
      if (stalled || !this.online()) {
        // What waits behind a failed send (or the connection) is shown as waiting.
        stalled = true;
        if (!entry.stalled) await this.put({ ...entry, stalled: true });
        continue;
      }
      try {
        const answer = await this.send(entry);
        await this.remove(entry);
        this.retryDelay = 2000;
        this.onSent(entry, answer);
        this.settle(entry, { sent: true, answer });
      } catch (error) {
        if (isTransient(error)) {
          this.scheduleRetry();
          stalled = true;
          if (!entry.stalled) await this.put({ ...entry, stalled: true });
          continue;
        }
        const resolution = await this.resolve(entry, error);
        if (resolution === true) continue;
        if (this.waiting.has(entry.key)) {
          await this.remove(entry);
          this.settle(entry, { error });
          continue;
        }
        await this.put({ ...entry, refused: resolution || describeError(error).message });
        blocked.add(entry.taskId);
      }
    }
    await this.refresh();
  }

  /**
   * Refusals that need no one: deleting a task already gone; a conditional edit made on a
   * version someone else changed meanwhile, when they changed other fields (it is sent again
   * on the new version) or the same fields to the same values (nothing left to send). Answers
   * true when it is settled, or the refusal in words when they changed the same field.
   */
  private async resolve(entry: OutboxEntry, error: unknown): Promise<true | string | null> {
    const status = error instanceof HttpErrorResponse ? error.status : -1;
    if (entry.change.kind === 'delete' && status === 404) {
      await this.remove(entry);
      this.onSent(entry, null);
      this.settle(entry, { sent: true, answer: null });
      return true;
    }
    const change = entry.change;
    if (change.kind !== 'update' || status !== 409 || this.waiting.has(entry.key)) return null;
    let server: Task;
    try {
      server = await this.api.getTask(entry.taskId);
    } catch {
      return null;
    }
    const clashes: string[] = [];
    const patch: Record<string, unknown> = {};
    for (const [field, mine] of Object.entries(change.patch)) {
      const theirs = (server as unknown as Record<string, unknown>)[field];
      if (same(theirs, mine)) continue;
      if (same(theirs, change.base[field])) patch[field] = mine;
      else clashes.push(field);
    }
    if (clashes.length)
      return `Changed elsewhere too (${clashes.join(', ')}): Fix shows both values to choose from, or discard your change.`;
    await this.remove(entry);
    if (Object.keys(patch).length === 0) return true;
    // A new request (another version), so a new key; it goes to the end of the line.
    await this.put({
      ...entry,
      seq: undefined as never,
      key: crypto.randomUUID(),
      change: { ...change, patch: patch as UpdateTaskRequest, version: server.version },
    });
    this.again = true;
    return true;
  }

  private send(entry: OutboxEntry): Promise<OutboxAnswer> {
    const { taskId: id, key, change } = entry;
    switch (change.kind) {
      case 'create':
        return this.api.createTask(change.body, key);
      case 'update':
        return this.api.updateTask(id, change.patch, change.version, key);
      case 'complete':
        return this.api.completeTask(id, key);
      case 'reopen':
        return this.api.reopenTask(id, key);
      case 'delete':
        return this.api.deleteTask(id, key).then(() => null);
      case 'restore':
        return this.api.restoreTask(id, key);
    }
  }

  private settle(entry: OutboxEntry, outcome: Submitted | { error: unknown }): void {
    this.waiting.get(entry.key)?.(outcome);
    this.waiting.delete(entry.key);
  }

  /** Another attempt later while online: a server restarting must not strand the changes. */
  private scheduleRetry(): void {
    if (this.retryTimer || !this.online()) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, 60_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
  }

  private online(): boolean {
    return this.document.defaultView?.navigator.onLine ?? true;
  }

  /** Kept on the device only for a signed-in user; otherwise (and in unit tests) in memory. */
  private database(): Promise<IDBPDatabase<OutboxDb> | null> {
    if (!this.userId) return Promise.resolve(null);
    this.db ??= openDB<OutboxDb>(this.dbName, 1, {
      upgrade(db) {
        db.createObjectStore('entries', { keyPath: 'seq', autoIncrement: true });
      },
    }).catch(() => null);
    return this.db;
  }

  private async all(): Promise<OutboxEntry[]> {
    const db = await this.database();
    const rows = db ? await db.getAll('entries') : this.memory;
    return rows.filter((e) => e.userId === (this.userId ?? '')).sort((a, b) => a.seq! - b.seq!);
  }

  private async put(entry: OutboxEntry): Promise<void> {
    const db = await this.database();
    if (entry.seq === undefined) delete entry.seq;
    if (db) {
      entry.seq = await db.put('entries', entry);
    } else {
      entry.seq ??= (this.memory.at(-1)?.seq ?? 0) + 1;
      this.memory = [...this.memory.filter((e) => e.seq !== entry.seq), entry];
    }
    await this.refresh();
  }

  private async remove(entry: OutboxEntry): Promise<void> {
    const db = await this.database();
    if (db) await db.delete('entries', entry.seq!);
    else this.memory = this.memory.filter((e) => e.seq !== entry.seq);
  }

  private async refresh(): Promise<void> {
    this.entries.set(await this.all());
  }
}

/** The fields of `task` an update touches, as they are before it (for `OutboxChange.base`). */
export function baseOf(task: Task, patch: UpdateTaskRequest): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const field of Object.keys(patch)) {
    if (field === 'reminderOffset') base[field] = task.reminderEnabled ? task.reminderOffset : null;
    else if ((EDITABLE_TASK_FIELDS as readonly string[]).includes(field) || field === 'status')
      base[field] = (task as unknown as Record<string, unknown>)[field];
  }
  return base;
}

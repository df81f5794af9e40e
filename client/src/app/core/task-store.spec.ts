import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from './api.service';
import { TaskStore, seqGreater } from './task-store';
import type { Task, TaskChangesPage, TaskPage } from './types';

describe('TaskStore', () => {
  let api: jasmine.SpyObj<ApiService>;
  let store: TaskStore;

  function page(items: Task[], changesCursor = '10'): TaskPage {
    return { items, nextCursor: null, changesCursor };
  }
  function feed(changes: TaskChangesPage['changes'], nextCursor: string, hasMore = false) {
    return Promise.resolve({ changes, listChanges: [], nextCursor, hasMore });
  }

  beforeEach(() => {
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'listTasks',
      'changes',
      'completeTask',
      'createTask',
      'updateTask',
      'deleteTask',
      'reopenTask',
      'restoreTask',
      'getTask',
    ]);
    api.changes.and.returnValue(feed([], '10'));
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ApiService, useValue: api }],
    });
    store = TestBed.inject(TaskStore);
  });

  it('compares cursors as big decimal numbers', () => {
    expect(seqGreater('10', '9')).toBeTrue();
    expect(seqGreater('9', '10')).toBeFalse();
    expect(seqGreater('12345678901234567890', '12345678901234567889')).toBeTrue();
  });

  it('loads, then catches up from the snapshot cursor', async () => {
    const task = makeTask();
    api.listTasks.and.resolveTo(page([task], '7'));
    await store.load();
    expect(store.tasks()).toEqual([task]);
    expect(api.changes).toHaveBeenCalledWith('7');
    expect(store.lastSeq()).toBe('10');
  });

  it('applies a live update only if its version is newer', async () => {
    const task = makeTask({ version: 3, title: 'v3' });
    api.listTasks.and.resolveTo(page([task]));
    await store.load();
    const base = { taskId: task.id, changedFields: ['title'], timestamp: task.updatedAt };
    store.applyChange({
      ...base,
      action: 'updated',
      seq: '11',
      task: { ...task, version: 2, title: 'old' },
    });
    expect(store.tasks()[0]!.title).toBe('v3');
    store.applyChange({
      ...base,
      action: 'updated',
      seq: '12',
      task: { ...task, version: 4, title: 'v4' },
    });
    expect(store.tasks()[0]!.title).toBe('v4');
    // The same change twice (live, then replayed) is harmless.
    store.applyChange({
      ...base,
      action: 'updated',
      seq: '12',
      task: { ...task, version: 4, title: 'v4' },
    });
    expect(store.tasks().length).toBe(1);
    expect(store.lastSeq()).toBe('12');
  });

  it('never lets a late update revive a deleted task', async () => {
    const task = makeTask({ version: 2 });
    api.listTasks.and.resolveTo(page([task]));
    await store.load();
    const base = { taskId: task.id, changedFields: [], timestamp: task.updatedAt };
    store.applyChange({
      ...base,
      action: 'deleted',
      seq: '11',
      task: { ...task, version: 3, status: 'deleted' },
    });
    expect(store.tasks()).toEqual([]);
    store.applyChange({ ...base, action: 'updated', seq: '9', task: { ...task, version: 2 } });
    expect(store.tasks()).toEqual([]);
  });

  it('adds new tasks that match the filters and drops ones that no longer do', async () => {
    api.listTasks.and.resolveTo(page([]));
    await store.load();
    const created = makeTask({ title: 'from another tab' });
    store.applyChange({
      action: 'created',
      taskId: created.id,
      task: created,
      changedFields: [],
      seq: '11',
      timestamp: '',
    });
    expect(store.tasks().map((t) => t.title)).toEqual(['from another tab']);
    const done = { ...created, status: 'completed' as const, version: 2 };
    store.applyChange({
      action: 'completed',
      taskId: created.id,
      task: done,
      changedFields: ['status'],
      seq: '12',
      timestamp: '',
    });
    expect(store.tasks()).toEqual([]); // the default view shows pending tasks
  });

  it('does not bring back a filtered-out task with an older replayed version', async () => {
    api.listTasks.and.resolveTo(page([]));
    await store.load();
    const task = makeTask({ version: 1 });
    const done = { ...task, status: 'completed' as const, version: 2 };
    const change = { taskId: task.id, changedFields: [], timestamp: '' };
    store.applyChange({ ...change, action: 'completed', task: done, seq: '12' });
    store.applyChange({ ...change, action: 'created', task, seq: '11' });
    expect(store.tasks()).toEqual([]);
  });

  it('replays the change feed page by page until hasMore is false', async () => {
    api.listTasks.and.resolveTo(page([], '1'));
    const t1 = makeTask();
    const t2 = makeTask();
    api.changes.and.callFake((since: string) =>
      since === '1'
        ? feed(
            [
              {
                seq: '2',
                action: 'created',
                taskId: t1.id,
                task: t1,
                changedFields: [],
                timestamp: '',
              },
            ],
            '2',
            true,
          )
        : since === '2'
          ? feed(
              [
                {
                  seq: '3',
                  action: 'created',
                  taskId: t2.id,
                  task: t2,
                  changedFields: [],
                  timestamp: '',
                },
              ],
              '3',
              false,
            )
          : feed([], since),
    );
    await store.load();
    expect(api.changes.calls.allArgs()).toEqual([['1'], ['2']]);
    expect(store.tasks().length).toBe(2);
    expect(store.lastSeq()).toBe('3');
    // A reconnect later asks from where it stopped.
    await store.catchUp();
    expect(api.changes.calls.mostRecent().args).toEqual(['3']);
  });

  it('reloads the list when the change feed no longer reaches back to its cursor (410)', async () => {
    const stale = makeTask({ title: 'deleted while away' });
    const fresh = makeTask({ title: 'created while away' });
    api.listTasks.and.resolveTo(page([stale], '5'));
    await store.load();
    // Offline for longer than the feed keeps changes: the server pruned past our cursor.
    api.changes.and.callFake((since: string) =>
      since === '10'
        ? Promise.reject(
            new HttpErrorResponse({
              status: 410,
              error: {
                error: 'CURSOR_EXPIRED',
                message: 'cursor 10 is older than the change feed keeps',
                correlationId: 'c',
              },
            }),
          )
        : feed([], since),
    );
    api.listTasks.and.resolveTo(page([fresh], '900'));
    await store.catchUp();
    expect(store.tasks().map((t) => t.title)).toEqual(['created while away']);
    expect(store.lastSeq()).toBe('900');
    expect(store.error()).toBeNull();
  });

  it('completes optimistically and rolls back when the server refuses', async () => {
    const task = makeTask({ version: 1 });
    api.listTasks.and.resolveTo(page([task]));
    await store.load();
    store.setFilters = jasmine.createSpy();
    store.filters.update((f) => ({ ...f, status: 'all' }));
    let reject!: (e: unknown) => void;
    api.completeTask.and.returnValue(new Promise((_, r) => (reject = r)));
    const pending = store.complete(task);
    expect(store.tasks()[0]!.status).toBe('completed');
    // A stale echo of the old version must not undo the optimistic state.
    store.upsert({ ...task });
    expect(store.tasks()[0]!.status).toBe('completed');
    reject(new Error('offline'));
    await expectAsync(pending).toBeRejected();
    expect(store.tasks()[0]!.status).toBe('pending');
  });

  it('takes the server version after completing, with the next instance date', async () => {
    const task = makeTask({
      version: 1,
      recurrence: { frequency: 'daily', interval: 1, maxOccurrences: 3, anchor: 'due' },
    });
    api.listTasks.and.resolveTo(page([task]));
    await store.load();
    api.completeTask.and.resolveTo({
      task: { ...task, status: 'completed', version: 2 },
      nextInstance: { scheduledFor: '2026-11-28T09:00:00.000Z' },
    });
    const result = await store.complete(task);
    expect(result).toEqual({ next: '2026-11-28T09:00:00.000Z', recurring: true });
    expect(store.tasks()).toEqual([]);
  });

  describe('offline outbox, undo and restore', () => {
    const offline = () => new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' });

    it('a task added without a connection shows as pending sync, then as the server’s, once', async () => {
      api.listTasks.and.resolveTo(page([]));
      await store.load();
      api.createTask.and.rejectWith(offline());
      const shown = await store.create({ title: 'Offline add' });
      expect(store.tasks().map((t) => t.title)).toEqual(['Offline add']);
      expect(store.pendingSync().has(shown.id)).toBeTrue();

      const saved = makeTask({ id: shown.id, title: 'Offline add', version: 1 });
      api.createTask.and.resolveTo(saved);
      await store.catchUp();
      expect(store.tasks()).toEqual([saved]);
      expect(store.pendingSync().size).toBe(0);
      // The retry named the same task and the same key.
      const [first, retry] = api.createTask.calls.all().map((c) => c.args);
      expect(retry).toEqual(first);
      expect(first![0].id).toBe(shown.id);
      // Its echo from the change feed changes nothing.
      store.applyChange({
        action: 'created',
        seq: '11',
        taskId: saved.id,
        changedFields: ['title'],
        timestamp: saved.updatedAt,
        task: saved,
      });
      expect(store.tasks().length).toBe(1);
    });

    it('undoing a repeating completion reopens it and drops the next instance the server removed', async () => {
      const task = makeTask({ status: 'completed', version: 2 });
      const next = makeTask({ parentTaskId: task.id, version: 1 });
      api.listTasks.and.resolveTo(page([task, next]));
      store.filters.update((f) => ({ ...f, status: 'all' }));
      await store.load();
      api.reopenTask.and.resolveTo({
        task: { ...task, status: 'pending', completedAt: null, version: 3 },
        removedInstanceId: next.id,
      });
      await store.reopen(task);
      expect(api.reopenTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
      expect(store.tasks().map((t) => [t.id, t.status])).toEqual([[task.id, 'pending']]);
    });

    it('a deleted task comes back with restore, and a late delete echo does not hide it', async () => {
      const task = makeTask({ version: 2 });
      api.listTasks.and.resolveTo(page([task]));
      await store.load();
      api.deleteTask.and.resolveTo(null);
      await store.delete(task);
      expect(store.tasks()).toEqual([]);
      const back = { ...task, version: 4 };
      api.restoreTask.and.resolveTo(back);
      await store.restore(task);
      expect(api.restoreTask).toHaveBeenCalledWith(task.id, jasmine.any(String));
      expect(store.tasks()).toEqual([back]);
      store.applyChange({
        action: 'deleted',
        seq: '12',
        taskId: task.id,
        changedFields: ['status'],
        timestamp: task.updatedAt,
        task: { ...task, status: 'deleted', version: 3 },
      });
      expect(store.tasks()).toEqual([back]);
    });
  });
});

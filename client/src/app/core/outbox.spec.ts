import { HttpErrorResponse } from '@angular/common/http';
import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { makeTask } from '../../testing/fixtures';
import { ApiService } from './api.service';
import { OUTBOX_DB_NAME, Outbox, type OutboxEntry } from './outbox';

describe('Outbox', () => {
  let api: jasmine.SpyObj<ApiService>;
  let outbox: Outbox;
  let dbName: string;
  const offline = () => new HttpErrorResponse({ status: 0, statusText: 'Unknown Error' });

  function make(): Outbox {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ApiService, useValue: api },
        { provide: OUTBOX_DB_NAME, useValue: dbName },
      ],
    });
    return TestBed.inject(Outbox);
  }

  beforeEach(() => {
    dbName = `outbox-spec-${crypto.randomUUID()}`;
    api = jasmine.createSpyObj<ApiService>('ApiService', [
      'createTask',
      'updateTask',
      'completeTask',
      'deleteTask',
      'reopenTask',
      'restoreTask',
      'getTask',
    ]);
    outbox = make();
  });

  afterEach(() => indexedDB.deleteDatabase(dbName));

  it('keeps a change that met no server, and sends it once back online, with the same key', async () => {
    await outbox.use('user-1');
    const task = makeTask({ title: 'Offline add' });
    api.createTask.and.rejectWith(offline());
    const body = { id: task.id, title: task.title };
    const result = await outbox.submit({
      taskId: task.id,
      title: task.title,
      change: { kind: 'create', body },
    });
    expect(result).toEqual({ sent: false });
    expect(outbox.entries().map((e) => [e.taskId, e.stalled])).toEqual([[task.id, true]]);

    const sent: OutboxEntry[] = [];
    outbox.onSent = (entry) => sent.push(entry);
    api.createTask.and.resolveTo(task);
    window.dispatchEvent(new Event('online'));
    await outbox.flush();
    expect(sent.map((e) => e.taskId)).toEqual([task.id]);
    expect(outbox.entries()).toEqual([]);
    const [first, retry] = api.createTask.calls.all().map((c) => c.args);
    expect(retry).toEqual(first);
    expect(first![1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('survives a reload: the changes are in IndexedDB and go out in the order they were made', async () => {
    await outbox.use('user-1');
    api.completeTask.and.rejectWith(offline());
    api.deleteTask.and.rejectWith(offline());
    const a = makeTask();
    const b = makeTask();
    await outbox.submit({ taskId: a.id, title: a.title, change: { kind: 'complete' } });
    await outbox.submit({ taskId: b.id, title: b.title, change: { kind: 'delete' } });

    const order: string[] = [];
    api.completeTask.and.callFake(async (id) => {
      order.push(`complete ${id}`);
      return { task: a, nextInstance: null };
    });
    api.deleteTask.and.callFake(async (id) => {
      order.push(`delete ${id}`);
      return null;
    });
    const reloaded = make();
    await reloaded.use('user-1');
    expect(reloaded.entries().length).toBe(2);
    await reloaded.flush();
    expect(order).toEqual([`complete ${a.id}`, `delete ${b.id}`]);
    expect(reloaded.entries()).toEqual([]);
  });

  it('another user’s waiting changes are neither shown nor sent', async () => {
    await outbox.use('user-1');
    api.completeTask.and.rejectWith(offline());
    const a = makeTask();
    await outbox.submit({ taskId: a.id, title: a.title, change: { kind: 'complete' } });
    await outbox.use('user-2');
    expect(outbox.entries()).toEqual([]);
    api.completeTask.calls.reset();
    await outbox.flush();
    expect(api.completeTask).not.toHaveBeenCalled();
  });

  it('a change the caller waits for and the server refuses is thrown, not kept', async () => {
    const refusal = new HttpErrorResponse({
      status: 400,
      error: { error: 'VALIDATION_FAILED', message: 'invalid body: title', correlationId: 'c' },
    });
    api.createTask.and.rejectWith(refusal);
    await expectAsync(
      outbox.submit({
        taskId: 't',
        title: 'x',
        change: { kind: 'create', body: { id: 't', title: 'x' } },
      }),
    ).toBeRejectedWith(refusal);
    expect(outbox.entries()).toEqual([]);
  });

  it('a refusal when sent later is kept on its task, holds that task’s later changes, and can be discarded', async () => {
    const task = makeTask({ title: 'Gone elsewhere' });
    const other = makeTask({ title: 'Fine' });
    api.completeTask.and.rejectWith(offline());
    api.reopenTask.and.rejectWith(offline());
    await outbox.submit({ taskId: task.id, title: task.title, change: { kind: 'complete' } });
    await outbox.submit({ taskId: task.id, title: task.title, change: { kind: 'reopen' } });
    await outbox.submit({ taskId: other.id, title: other.title, change: { kind: 'complete' } });

    api.completeTask.and.callFake(async (id) => {
      if (id === task.id)
        throw new HttpErrorResponse({
          status: 404,
          error: { error: 'NOT_FOUND', message: 'task was not found', correlationId: 'c' },
        });
      return { task: other, nextInstance: null };
    });
    await outbox.flush();
    const [refused, held] = outbox.entries();
    expect(outbox.entries().length).toBe(2);
    expect(refused!.refused).toBe('That item no longer exists.');
    expect(held!.change.kind).toBe('reopen');
    expect(held!.refused).toBeNull();
    expect(api.reopenTask).not.toHaveBeenCalled();

    await outbox.discard(refused!);
    api.reopenTask.and.resolveTo({ task, removedInstanceId: null });
    await outbox.flush();
    expect(outbox.entries()).toEqual([]);
  });

  it('a queued edit that meets a 409 is sent again on the new version when the other side changed other fields', async () => {
    const task = makeTask({ title: 'Plan', description: null, version: 3 });
    api.updateTask.and.rejectWith(offline());
    await outbox.submit({
      taskId: task.id,
      title: task.title,
      change: { kind: 'update', patch: { title: 'Plan v2' }, version: 3, base: { title: 'Plan' } },
    });
    api.getTask.and.resolveTo({ ...task, description: 'front and rear', version: 4 });
    api.updateTask.and.callFake(async (_id, patch, version) => {
      if (version === 3)
        throw new HttpErrorResponse({
          status: 409,
          error: { error: 'CONFLICT', message: 'stale', correlationId: 'c' },
        });
      return { ...task, ...patch, description: 'front and rear', version: 5 } as never;
    });
    await outbox.flush();
    const calls = api.updateTask.calls.all().map((c) => c.args);
    const last = calls.at(-1)!;
    expect(last.slice(0, 3)).toEqual([task.id, { title: 'Plan v2' }, 4]);
    // A new request (another version) under a new key.
    expect(last[3]).not.toEqual(calls.at(-2)![3]);
    expect(outbox.entries()).toEqual([]);
  });

  it('a queued edit of a field someone else changed too is refused, naming the field', async () => {
    const task = makeTask({ title: 'Plan', version: 3 });
    api.updateTask.and.rejectWith(offline());
    await outbox.submit({
      taskId: task.id,
      title: task.title,
      change: { kind: 'update', patch: { title: 'Mine' }, version: 3, base: { title: 'Plan' } },
    });
    api.getTask.and.resolveTo({ ...task, title: 'Theirs', version: 4 });
    api.updateTask.and.rejectWith(
      new HttpErrorResponse({
        status: 409,
        error: { error: 'CONFLICT', message: 'stale', correlationId: 'c' },
      }),
    );
    await outbox.flush();
    expect(outbox.entries()[0]!.refused).toContain('Changed elsewhere too (title)');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompleteTaskResult, Task } from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

describe('tasks: create, read, update, complete, delete', () => {
  let t: TestApi;
  let ada: TestUser;
  let bob: TestUser;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi();
    ada = await t.signUp('Ada');
    bob = await t.signUp('Bob');
    call = client(t.baseUrl, ada.token);
  });
  after(() => t.stop());

  it('creates a task with defaults and returns it with its location and version', async () => {
    const created = await call<Task>('POST', '/api/v1/tasks', {
      title: '  Buy milk ',
      dueDate: '2030-01-02T09:00:00Z',
      tags: ['Home', 'errands'],
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v1/tasks/${created.body.id}`);
    assert.equal(created.headers.get('etag'), '"1"');
    const task = created.body;
    assert.equal(task.title, 'Buy milk');
    assert.equal(task.status, 'pending');
    assert.equal(task.priority, 'medium');
    assert.deepEqual(task.tags, ['home', 'errands']);
    assert.equal(task.userId, ada.userId);
    assert.equal(task.version, 1);
    // The user's default reminder offset (15 min) applies when none is given.
    assert.equal(task.reminderOffset, 15);
    assert.equal(task.reminderAt, '2030-01-02T08:45:00.000Z');
    const read = await call<Task>('GET', `/api/v1/tasks/${task.id}`);
    assert.deepEqual(read.body, task);
  });

  it('patches only the given fields and bumps the version', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Draft report',
      priority: 'low',
    });
    const patched = await call<Task>('PATCH', `/api/v1/tasks/${task.id}`, {
      priority: 'high',
      description: 'Q3 numbers',
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.priority, 'high');
    assert.equal(patched.body.description, 'Q3 numbers');
    assert.equal(patched.body.title, 'Draft report');
    assert.equal(patched.body.version, 2);
  });

  it('refuses a write against a stale version with 409 (If-Match)', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Shared plan' });
    await call(
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { title: 'Shared plan v2' },
      { 'if-match': '"1"' },
    );
    const stale = await call(
      'PATCH',
      `/api/v1/tasks/${task.id}`,
      { title: 'Lost edit' },
      { 'if-match': '"1"' },
    );
    assertError(stale, 409, 'CONFLICT');
    const current = await call<Task>('GET', `/api/v1/tasks/${task.id}`);
    assert.equal(current.body.title, 'Shared plan v2');
  });

  it('completes a task once; completing again changes nothing', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Call mum' });
    const done = await call<CompleteTaskResult>('POST', `/api/v1/tasks/${task.id}/complete`);
    assert.equal(done.status, 200);
    assert.equal(done.body.task.status, 'completed');
    assert.ok(done.body.task.completedAt);
    assert.equal(done.body.nextInstance, null);
    const again = await call<CompleteTaskResult>('POST', `/api/v1/tasks/${task.id}/complete`);
    assert.equal(again.status, 200);
    assert.equal(again.body.task.version, done.body.task.version);
    // Reopen through PATCH.
    const reopened = await call<Task>('PATCH', `/api/v1/tasks/${task.id}`, { status: 'pending' });
    assert.equal(reopened.body.status, 'pending');
    assert.equal(reopened.body.completedAt, null);
  });

  it('answers when the next instance of a recurring task will be due', async () => {
    const due = new Date(Date.now() + 3_600_000);
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Water plants',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 10 },
    });
    assert.equal(task.occurrenceIndex, 1);
    assert.equal(task.seriesId, task.id);
    const done = await call<CompleteTaskResult>('POST', `/api/v1/tasks/${task.id}/complete`);
    assert.equal(
      done.body.nextInstance?.scheduledFor,
      new Date(due.getTime() + 86_400_000).toISOString(),
    );
  });

  it('deletes a task: it is gone afterwards, and a second delete is a 404', async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Temporary' });
    const deleted = await call('DELETE', `/api/v1/tasks/${task.id}`);
    assert.equal(deleted.status, 204);
    assertError(await call('GET', `/api/v1/tasks/${task.id}`), 404, 'NOT_FOUND');
    assertError(await call('DELETE', `/api/v1/tasks/${task.id}`), 404, 'NOT_FOUND');
    const list = await call<{ items: Task[] }>('GET', '/api/v1/tasks?status=all');
    assert.ok(!list.body.items.some((item) => item.id === task.id));
  });

  it("hides another user's task behind a 404 for every operation", async () => {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', { title: 'Private' });
    const asBob = client(t.baseUrl, bob.token);
    for (const [method, path, body] of [
      ['GET', `/api/v1/tasks/${task.id}`],
      ['PATCH', `/api/v1/tasks/${task.id}`, { title: 'Mine now' }],
      ['DELETE', `/api/v1/tasks/${task.id}`],
      ['POST', `/api/v1/tasks/${task.id}/complete`],
      ['GET', `/api/v1/tasks/${task.id}/reminder`],
      ['PUT', `/api/v1/tasks/${task.id}/recurrence`, { frequency: 'daily', maxOccurrences: 2 }],
      ['GET', `/api/v1/tasks/${task.id}/instances`],
    ] as const) {
      assertError(await asBob(method, path, body), 404, 'NOT_FOUND');
    }
    const bobsList = await asBob<{ items: Task[] }>('GET', '/api/v1/tasks');
    assert.equal(bobsList.body.items.length, 0);
    const unchanged = await call<Task>('GET', `/api/v1/tasks/${task.id}`);
    assert.equal(unchanged.body.title, 'Private');
    assert.equal(unchanged.body.status, 'pending');
  });

  it('requires a valid bearer token', async () => {
    const anonymous = client(t.baseUrl);
    const missing = assertError(await anonymous('GET', '/api/v1/tasks'), 401, 'UNAUTHENTICATED');
    assert.match(missing.message, /bearer token/);
    const garbage = client(t.baseUrl, 'not-a-jwt');
    assertError(await garbage('GET', '/api/v1/tasks'), 401, 'UNAUTHENTICATED');
    // A structurally valid token signed by someone else.
    const forged = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImZvcmdlZCJ9.eyJzdWIiOiJ4In0.' + 'A'.repeat(86);
    assertError(await client(t.baseUrl, forged)('GET', '/api/v1/tasks'), 401, 'UNAUTHENTICATED');
  });
});

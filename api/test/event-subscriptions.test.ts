import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import {
  DAPR_APP_TOKEN_HEADER,
  NOTIFICATION_CREATED_TYPE,
  TEST_NOTIFICATION_FIRED_TYPE,
  type CloudEvent,
  type DaprSubscription,
  type Task,
  type TestNotificationFiredData,
} from '@todo/contracts';
import { client, occurrenceDue, startTestApi, type TestApi } from './helpers.js';

const TOKEN = 'app-api-token-of-the-api-test';

/** The api as a Dapr subscriber app of the workers' topics, behind the app API token. */
describe('event subscriptions: reminders and occurrences from the workers', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let user: Awaited<ReturnType<TestApi['signUp']>>;

  before(async () => {
    t = await startTestApi({ APP_API_TOKEN: TOKEN });
    user = await t.signUp();
    call = client(t.baseUrl, user.token);
  });
  after(() => t.stop());

  const post = (
    route: string,
    body: unknown,
    token?: string,
    type = 'application/cloudevents+json',
  ) =>
    fetch(`${t.baseUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': type, ...(token ? { [DAPR_APP_TOKEN_HEADER]: token } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function completedSeriesTask(): Promise<Task> {
    const { body: task } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'Series',
      dueDate: '2030-01-01T09:00:00Z',
      recurrence: { frequency: 'daily' },
    });
    return (await call<{ task: Task }>('POST', `/api/v1/tasks/${task.id}/complete`)).body.task;
  }

  it('declares both topics, to callers with the token only', async () => {
    assert.equal((await fetch(`${t.baseUrl}/dapr/subscribe`)).status, 401);
    const list = await fetch(`${t.baseUrl}/dapr/subscribe`, {
      headers: { [DAPR_APP_TOKEN_HEADER]: TOKEN },
    });
    assert.deepEqual(
      ((await list.json()) as DaprSubscription[]).map((s) => [s.pubsubname, s.topic, s.route]),
      [
        ['pubsub', 'reminders', '/events/reminders'],
        ['pubsub', 'occurrences', '/events/occurrences'],
      ],
    );
  });

  it('refuses deliveries without the token or with a wrong one, creating nothing', async () => {
    const completed = await completedSeriesTask();
    for (const token of [undefined, 'not-the-token-of-this-api-xxxx']) {
      const response = await post('/events/occurrences', occurrenceDue(completed), token);
      assert.equal(response.status, 401);
    }
    const { body } = await call<{ items: Task[] }>(
      'GET',
      `/api/v1/tasks/${completed.id}/instances`,
    );
    assert.equal(body.items.length, 1);
  });

  it('drops what no retry can fix, and applies a good event', async () => {
    const completed = await completedSeriesTask();
    const good = occurrenceDue(completed);
    const cases: [string, unknown, string?][] = [
      ['not a CloudEvent', { hello: 'world' }],
      ['another type', { ...good, type: 'com.todo.reminder.fired' }],
      ['bad data', { ...good, data: { ...good.data, occurrenceIndex: 'two' } }],
      ['an envelope of another owner', { ...good, userid: 'someone-else' }],
      ['not JSON', '{"specversion":', 'application/cloudevents+json'],
    ];
    for (const [what, body, type] of cases) {
      const response = await post('/events/occurrences', body, TOKEN, type);
      assert.equal(response.status, 200, what);
      assert.deepEqual(await response.json(), { status: 'DROP' }, what);
    }
    const applied = await post('/events/occurrences', good, TOKEN);
    assert.deepEqual(await applied.json(), { status: 'SUCCESS' });
    const { body } = await call<{ items: Task[] }>(
      'GET',
      `/api/v1/tasks/${completed.id}/instances`,
    );
    assert.deepEqual(
      body.items.map((i) => i.occurrenceIndex),
      [1, 2],
    );
  });

  it('stores nothing for an account that no longer exists (an event that outlived the account)', async () => {
    const testFired = (userId: string): CloudEvent<TestNotificationFiredData> => {
      const key = `test-${randomUUID()}`;
      return {
        specversion: '1.0',
        id: key,
        source: 'todo-workers',
        type: TEST_NOTIFICATION_FIRED_TYPE,
        subject: `users/${userId}`,
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        userid: userId,
        correlationid: key,
        data: { userId, title: 'Test', body: 'It works', deliveries: [], idempotencyKey: key },
      };
    };
    const gone = await post('/events/reminders', testFired(`deleted-${randomUUID()}`), TOKEN);
    assert.deepEqual(await gone.json(), { status: 'SUCCESS' });
    // The outbox leaves in order: once the live account's row is announced, a row for the
    // deleted one would have been announced before it.
    const live = await post('/events/reminders', testFired(user.userId), TOKEN);
    assert.deepEqual(await live.json(), { status: 'SUCCESS' });
    const created = () =>
      t.publisher.published.filter((p) => p.event.type === NOTIFICATION_CREATED_TYPE);
    await t.publisher.waitFor(() => created().some((p) => p.event.userid === user.userId));
    assert.deepEqual(
      created().map((p) => p.event.userid),
      [user.userId],
    );
  });

  it('has no internal endpoints left for the workers to call', async () => {
    const response = await fetch(`${t.baseUrl}/internal/v1/tasks/x/next-instance`, {
      method: 'POST',
    });
    assert.equal(response.status, 404);
  });
});

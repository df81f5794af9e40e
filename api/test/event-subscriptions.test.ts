import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAPR_APP_TOKEN_HEADER, type DaprSubscription, type Task } from '@todo/contracts';
import { client, occurrenceDue, startTestApi, type TestApi } from './helpers.js';

const TOKEN = 'app-api-token-of-the-api-test';

/** The api as a Dapr subscriber app of the workers' topics, behind the app API token. */
describe('event subscriptions: reminders and occurrences from the workers', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi({ APP_API_TOKEN: TOKEN });
    call = client(t.baseUrl, (await t.signUp()).token);
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

  it('has no internal endpoints left for the workers to call', async () => {
    const response = await fetch(`${t.baseUrl}/internal/v1/tasks/x/next-instance`, {
      method: 'POST',
    });
    assert.equal(response.status, 404);
  });
});

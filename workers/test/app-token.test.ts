import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAPR_APP_TOKEN_HEADER, TASK_EVENT_TYPES, type DaprSubscription } from '@todo/contracts';
import type { FireReminderJob } from '../src/queues/job-data.js';
import {
  BOARD_PASSWORD,
  BOARD_USER,
  cloudEvent,
  findJob,
  startStack,
  taskSnapshot,
  waitFor,
  type Stack,
} from './helpers.js';

const TOKEN = 'app-api-token-for-the-bridge-test';
const TASKS = '/events/task-events';

/** The real api (direct transport) and the workers, both configured with one app API token. */
describe('bridge behind the Dapr app API token', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack(
      'app-token',
      { APP_API_TOKEN: TOKEN },
      { workerQueues: [] },
      { APP_API_TOKEN: TOKEN },
    );
  });

  after(async () => {
    await stack?.stop();
  });

  const post = (route: string, body: unknown, token?: string) =>
    fetch(`${stack.bridgeUrl}${route}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        ...(token === undefined ? {} : { [DAPR_APP_TOKEN_HEADER]: token }),
      },
      body: JSON.stringify(body),
    });

  /** A task wanting a reminder in an hour: accepted, it becomes a delayed reminder job. */
  const taskCreated = () => {
    const due = new Date(Date.now() + 3_600_000);
    const task = taskSnapshot({
      userId: `user-${crypto.randomUUID()}`,
      dueDate: due.toISOString(),
      reminderEnabled: true,
      reminderOffset: 5,
      reminderAt: new Date(due.getTime() - 5 * 60_000).toISOString(),
    });
    return cloudEvent(TASK_EVENT_TYPES.created, { task, changedFields: [] });
  };

  it('refuses events and the subscription list without the token or with a wrong one', async () => {
    for (const token of [undefined, '', 'wrong-token-of-the-same-size-xxx', `${TOKEN}x`]) {
      for (const [route, event] of [[TASKS, taskCreated()]] as const) {
        const response = await post(route, event, token);
        assert.equal(response.status, 401, `${route} with ${String(token)}`);
        assert.deepEqual(await response.json(), {
          error: 'UNAUTHENTICATED',
          message: 'the dapr-api-token header is missing or wrong',
        });
      }
      const list = await fetch(`${stack.bridgeUrl}/dapr/subscribe`, {
        headers: token === undefined ? {} : { [DAPR_APP_TOKEN_HEADER]: token },
      });
      assert.equal(list.status, 401);
    }
    // The refused task events never became reminder jobs.
    assert.equal(await stack.workers.queues.reminders.count(), 0);
  });

  it('accepts them with the token', async () => {
    const response = await post(TASKS, taskCreated(), TOKEN);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'SUCCESS' });
    assert.equal(await stack.workers.queues.reminders.count(), 1);
    const list = await fetch(`${stack.bridgeUrl}/dapr/subscribe`, {
      headers: { [DAPR_APP_TOKEN_HEADER]: TOKEN },
    });
    assert.equal(list.status, 200);
    assert.deepEqual(
      ((await list.json()) as DaprSubscription[]).map((s) => s.route),
      [TASKS],
    );
  });

  it('leaves health and metrics open, and Bull Board on its own Basic auth', async () => {
    assert.equal((await fetch(`${stack.bridgeUrl}/health`)).status, 200);
    assert.equal((await fetch(`${stack.bridgeUrl}/health/ready`)).status, 200);
    assert.equal((await fetch(`${stack.bridgeUrl}/metrics`)).status, 200);
    const anonymous = await fetch(`${stack.bridgeUrl}/admin/queues`, {
      headers: { [DAPR_APP_TOKEN_HEADER]: TOKEN },
    });
    assert.equal(anonymous.status, 401, 'the app token is no way into Bull Board');
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const basic = Buffer.from(`${BOARD_USER}:${BOARD_PASSWORD}`).toString('base64');
    const board = await fetch(`${stack.bridgeUrl}/admin/queues`, {
      headers: { authorization: `Basic ${basic}` },
    });
    assert.equal(board.status, 200);
  });

  it("the api's direct transport sends the token, so its events still arrive", async () => {
    const user = await stack.signUp();
    const task = await user.createTask({
      title: 'Call the plumber',
      dueDate: new Date(Date.now() + 60 * 60_000).toISOString(),
      reminderOffset: 5,
    });
    const job = await waitFor('the delayed reminder job from the api event', () =>
      findJob<FireReminderJob>(
        stack.workers.queues.reminders,
        ['delayed'],
        (d) => d.taskId === task.id,
      ),
    );
    assert.equal(job.data.scheduledFor, task.reminderAt);
  });
});

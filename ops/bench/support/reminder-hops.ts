import { Queue } from 'bullmq';
import pg from 'pg';
import { QUEUES, reminderJobId } from '@todo/contracts';
import { summarise, type Summary } from './measure.js';

/** The workers' default queue prefix, which the launcher keeps. */
const PREFIX = 'bull';

const safe = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

export interface ReminderTrace {
  taskId: string;
  /** The reminder's time (wall ms). */
  scheduledAt: number;
  /** The notification's arrival on the owner's socket (wall ms). */
  notifiedAt: number;
}

export interface HopBreakdown {
  /** Reminders whose every stage was found. */
  traced: number;
  /**
   * Reminders that went through a separate intake job / whose `reminder.fired` a separate
   * deliver job published (the rest: the job before it did).
   */
  separateIntakeJobs: number;
  separateDeliverJobs: number;
  hopsMs: Record<string, Summary>;
}

/**
 * Where a reminder's lateness goes, stage by stage, read after the run from what the stack
 * keeps anyway (no timing code in the services): BullMQ's job records (`processedOn` of the
 * delayed `fire` job, of the `intake` job and of the batch's `deliver` job, when those are
 * separate jobs) and the inbox row's `created_at` in the api's database (set inside the
 * transaction that handles `reminder.fired`). Every process shares the machine's wall clock.
 *
 * - `wake`: reminder time → the `fire` job starts (the delayed job leaving BullMQ's delayed set)
 * - `fireToIntake`: → the `intake` job starts (0 when the fire job does the intake itself)
 * - `intakeToDeliver`: → the `deliver` job starts (0 when the intake published the batch)
 * - `deliverToInboxRow`: from the start of the job that published `reminder.fired` to the api
 *   creating the inbox row (that job's work, the publish over HTTP, the api's transaction)
 * - `inboxRowToSocket`: → the socket client receives it (commit, outbox NOTIFY, relay, socket node)
 */
export async function reminderHops(
  redisUrl: string,
  databaseUrl: string,
  traces: ReminderTrace[],
): Promise<HopBreakdown> {
  const connection = { url: redisUrl };
  const reminders = new Queue(QUEUES.reminders, { connection, prefix: PREFIX });
  const notifications = new Queue(QUEUES.notifications, { connection, prefix: PREFIX });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ task_id: string; created_at: Date }>(
      'SELECT unnest(task_ids)::text AS task_id, created_at FROM notifications',
    );
    const rowAt = new Map(rows.map((r) => [r.task_id, r.created_at.getTime()]));
    const hops: Record<string, number[]> = {
      wake: [],
      fireToIntake: [],
      intakeToDeliver: [],
      deliverToInboxRow: [],
      inboxRowToSocket: [],
    };
    let separateIntakeJobs = 0;
    let separateDeliverJobs = 0;
    let traced = 0;
    for (const trace of traces) {
      const fireId = reminderJobId(trace.taskId, new Date(trace.scheduledAt));
      const fire = await reminders.getJob(fireId);
      const inboxAt = rowAt.get(trace.taskId);
      if (!fire?.processedOn || inboxAt === undefined) continue;
      const intake = await notifications.getJob(`intake-${safe(fireId)}`);
      const batchId = (intake?.returnvalue as { batchId?: string } | null)?.batchId;
      const deliver = batchId ? await notifications.getJob(`deliver-${safe(batchId)}`) : null;
      const fireAt = fire.processedOn;
      const intakeAt = intake?.processedOn ?? fireAt;
      // A deliver job that started after the inbox row did not publish it (its intake did).
      const published = deliver?.processedOn !== undefined && deliver.processedOn <= inboxAt;
      const deliverAt = published ? deliver.processedOn! : intakeAt;
      if (intake?.processedOn) separateIntakeJobs += 1;
      if (published) separateDeliverJobs += 1;
      traced += 1;
      hops.wake!.push(fireAt - trace.scheduledAt);
      hops.fireToIntake!.push(intakeAt - fireAt);
      hops.intakeToDeliver!.push(deliverAt - intakeAt);
      hops.deliverToInboxRow!.push(inboxAt - deliverAt);
      hops.inboxRowToSocket!.push(trace.notifiedAt - inboxAt);
    }
    return {
      traced,
      separateIntakeJobs,
      separateDeliverJobs,
      hopsMs: Object.fromEntries(Object.entries(hops).map(([k, v]) => [k, summarise(v)])),
    };
  } finally {
    await db.end();
    await reminders.close();
    await notifications.close();
  }
}

import type { Redis } from 'ioredis';
import type { ChannelDelivery, NotificationChannel } from '@todo/contracts';
import type { FireReminderJob } from '../queues/job-data.js';
import { dueRemindersKey } from '../reminders/due-reminders.js';

/** A reminder waiting in a batch, with the channels the user allowed at intake. */
export interface BatchItem {
  /** The fire job's id: a reminder joins a batch once however often its intake runs. */
  reminderId: string;
  reminder: FireReminderJob;
  channels: NotificationChannel[];
  /** The user's zone when the reminder joined, so the text reads in local time. */
  timeZone?: string;
  /** The account's address when the reminder joined (absent: none known). */
  email?: string | null;
  /** Whether that address was verified then (absent: not known, the reminder's copy serves). */
  emailVerified?: boolean;
}

/**
 * Adds an item to the user's open batch (opening one if none), once per reminder id, and
 * takes the reminder off the user's due set. Returns the batch id, when the batch opened,
 * how many other reminders of the user are due before its window ends (in the same call, so
 * two reminders joining at once never both count the other as still to come), and whether
 * the batch is lone: opened by this reminder with none due in its window. A lone batch is
 * closed in the same call (ADR 280), so nothing can join it and its content is final at once:
 * the caller may publish it without waiting for the delivery job. A retried call finds the
 * reminder seen and answers as the first did. A due entry older than the grace is a reminder
 * that will not come (its fire job failed): dropped.
 * KEYS: open marker, seen marker, due set.
 * ARGV: reminder id, item JSON, new batch id, now ms, key prefix, ttl s, window ms, oldest due ms.
 */
const ADD_SCRIPT = `
local function pending(opened)
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[8])
  return redis.call('ZCOUNT', KEYS[3], '-inf', tonumber(opened) + tonumber(ARGV[7]))
end
local seen = redis.call('GET', KEYS[2])
if seen then
  local meta = ARGV[5] .. seen .. ':meta'
  local opened = redis.call('HGET', meta, 'openedAt') or ARGV[4]
  local lone = redis.call('HGET', meta, 'lone') == '1' and 1 or 0
  return {seen, opened, pending(opened), lone}
end
local batch = redis.call('HGET', KEYS[1], 'batchId')
local opened = redis.call('HGET', KEYS[1], 'openedAt')
local fresh = not batch
if fresh then
  batch = ARGV[3]
  opened = ARGV[4]
  redis.call('HSET', KEYS[1], 'batchId', batch, 'openedAt', opened)
  redis.call('EXPIRE', KEYS[1], ARGV[6])
  redis.call('HSET', ARGV[5] .. batch .. ':meta', 'openedAt', opened)
  redis.call('EXPIRE', ARGV[5] .. batch .. ':meta', ARGV[6])
end
redis.call('HSET', ARGV[5] .. batch .. ':items', ARGV[1], ARGV[2])
redis.call('EXPIRE', ARGV[5] .. batch .. ':items', ARGV[6])
redis.call('SET', KEYS[2], batch, 'EX', ARGV[6])
local others = pending(opened)
local lone = 0
if fresh and others == 0 then
  lone = 1
  redis.call('DEL', KEYS[1])
  redis.call('HSET', ARGV[5] .. batch .. ':meta', 'lone', '1')
end
return {batch, opened, others, lone}
`;

/**
 * Closes the batch (later reminders open a new one) and returns its items. The items stay
 * until `finish`, so a retried delivery sends the very same batch.
 * KEYS: open marker, items. ARGV: batch id.
 */
const CLOSE_SCRIPT = `
if redis.call('HGET', KEYS[1], 'batchId') == ARGV[1] then redis.call('DEL', KEYS[1]) end
return redis.call('HGETALL', KEYS[2])
`;

/**
 * Takes a reminder the user's open batch may be waiting for off their due set (it will not
 * reach them), and answers the open batch's id when nothing else is due before its window
 * ends: its delivery need not wait any more. Null when the reminder was not due for them, no
 * batch is open, or others are still due.
 * KEYS: open marker, due set. ARGV: reminder id, window ms, oldest due ms.
 */
const RELEASE_SCRIPT = `
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return false end
local batch = redis.call('HGET', KEYS[1], 'batchId')
if not batch then return false end
local opened = redis.call('HGET', KEYS[1], 'openedAt')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
if redis.call('ZCOUNT', KEYS[2], '-inf', tonumber(opened) + tonumber(ARGV[2])) > 0 then return false end
return batch
`;

const TTL_SECONDS = 7 * 24 * 3600;
/** How long after its time a due reminder still counts as on its way to the intake. */
const DUE_GRACE_MS = 60_000;

/** Per-user notification batches in Redis: what the notification worker groups and delivers. */
export class BatchStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private batchKey = (batchId: string, part: 'items' | 'meta' | 'sent') =>
    `${this.prefix}:notify-batch:${batchId}:${part}`;

  async add(userId: string, item: BatchItem, newBatchId: string, now: Date, windowMs: number) {
    const [batchId, openedAt, othersDue, lone] = (await this.redis.eval(
      ADD_SCRIPT,
      3,
      `${this.prefix}:notify-open:${userId}`,
      `${this.prefix}:notify-seen:${item.reminderId}`,
      dueRemindersKey(this.prefix, userId),
      item.reminderId,
      JSON.stringify(item),
      newBatchId,
      String(now.getTime()),
      `${this.prefix}:notify-batch:`,
      String(TTL_SECONDS),
      String(windowMs),
      String(now.getTime() - DUE_GRACE_MS),
    )) as [string, string, number, number];
    return { batchId, openedAt: new Date(Number(openedAt)), othersDue, lone: lone === 1 };
  }

  /** See RELEASE_SCRIPT: the batch whose delivery may go now, or null. */
  async release(userId: string, reminderId: string, now: Date, windowMs: number) {
    return (await this.redis.eval(
      RELEASE_SCRIPT,
      2,
      `${this.prefix}:notify-open:${userId}`,
      dueRemindersKey(this.prefix, userId),
      reminderId,
      String(windowMs),
      String(now.getTime() - DUE_GRACE_MS),
    )) as string | null;
  }

  /** Whether the reminder (its fire job id) is in a batch already. */
  async seen(reminderId: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}:notify-seen:${reminderId}`)) === 1;
  }

  /** The batch's `reminder.fired` was published (by its intake, for a lone batch). */
  async markPublished(batchId: string): Promise<void> {
    await this.redis.hset(this.batchKey(batchId, 'meta'), 'published', '1');
  }

  async published(batchId: string): Promise<boolean> {
    return (await this.redis.hget(this.batchKey(batchId, 'meta'), 'published')) === '1';
  }

  async close(userId: string, batchId: string): Promise<BatchItem[]> {
    const flat = (await this.redis.eval(
      CLOSE_SCRIPT,
      2,
      `${this.prefix}:notify-open:${userId}`,
      this.batchKey(batchId, 'items'),
      batchId,
    )) as string[];
    const items: BatchItem[] = [];
    for (let i = 1; i < flat.length; i += 2) items.push(JSON.parse(flat[i] ?? 'null') as BatchItem);
    return items.sort((a, b) => a.reminder.scheduledFor.localeCompare(b.reminder.scheduledFor));
  }

  /**
   * What `channel` of this batch already came to (sent, or failed for good), or null: a retry
   * must not send it twice, and reports it again as it was.
   */
  async outcome(batchId: string, channel: string): Promise<ChannelDelivery | null> {
    const value = await this.redis.hget(this.batchKey(batchId, 'sent'), channel);
    return value ? (JSON.parse(value) as ChannelDelivery) : null;
  }

  async markSent(batchId: string, outcome: ChannelDelivery): Promise<void> {
    const key = this.batchKey(batchId, 'sent');
    await this.redis
      .multi()
      .hset(key, outcome.channel, JSON.stringify(outcome))
      .expire(key, TTL_SECONDS)
      .exec();
  }

  async finish(batchId: string): Promise<void> {
    await this.redis.del(
      this.batchKey(batchId, 'items'),
      this.batchKey(batchId, 'meta'),
      this.batchKey(batchId, 'sent'),
    );
  }
}

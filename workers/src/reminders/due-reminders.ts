import type { Redis } from 'ioredis';

/**
 * The per-user sorted set of reminders not yet taken into a notification batch: member = the
 * id the user's intake takes it in under (`recipientReminderId`: the fire job's id for the
 * task's owner of record, that id and the user's for another member of a shared list, ADR
 * 385), score = when it reaches the notification intake (its time, or the end of the quiet
 * hours it was deferred to). The intake reads it to know whether another reminder of the user
 * is due within the batching window (ADR 170); a per-user key keeps that one lookup small
 * however many reminders other users have. A reminder is in the set of everyone it is
 * expected to reach when it is scheduled, shared or not.
 */
export const dueRemindersKey = (prefix: string, userId: string): string =>
  `${prefix}:reminders-due:${userId}`;

/**
 * Adds (or moves) one member and drops the task's previous one; the key lives at least as
 * long as its latest reminder. KEYS: set. ARGV: member, score ms, previous member, ttl s.
 */
const TRACK_SCRIPT = `
if ARGV[3] ~= '' and ARGV[3] ~= ARGV[1] then redis.call('ZREM', KEYS[1], ARGV[3]) end
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
`;

export class DueReminders {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * The task's reminder reaches this user as `member` at `at` ('' / null = not any more),
   * replacing `previousMember` ('' = none).
   */
  async track(
    userId: string,
    member: string,
    at: Date | null,
    previousMember: string,
    ttlSeconds: number,
  ): Promise<void> {
    await this.redis.eval(
      TRACK_SCRIPT,
      1,
      dueRemindersKey(this.prefix, userId),
      at ? member : '',
      String(at?.getTime() ?? 0),
      previousMember,
      String(Math.ceil(ttlSeconds)),
    );
  }

  /** A reminder held by quiet hours reaches the intake at their end: it is due then. */
  async defer(userId: string, member: string, until: Date): Promise<void> {
    await this.redis.zadd(dueRemindersKey(this.prefix, userId), 'XX', until.getTime(), member);
  }

  /** The reminder is no longer expected to reach this user (its recipients changed). */
  async drop(userId: string, member: string): Promise<void> {
    await this.redis.zrem(dueRemindersKey(this.prefix, userId), member);
  }

  /** The account was deleted: none of its reminders is due any more. */
  async forget(userId: string): Promise<void> {
    await this.redis.del(dueRemindersKey(this.prefix, userId));
  }
}

import type { Redis } from 'ioredis';
import type { ReminderPreferences } from '@todo/contracts';

/**
 * Stores the value only if `at` is not older than the stored one: a late redelivery of an
 * older `preferences.updated` never undoes a newer one.
 * KEYS: the user's key. ARGV: at (ms), JSON, ttl s.
 */
const SAVE_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'at')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'at', ARGV[1], 'value', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;

const TTL_SECONDS = 90 * 24 * 3600;

/**
 * The workers' copy of each user's delivery preferences, kept from `preferences.updated`
 * events (the api never answers questions). A reminder uses it when present, else the copy it
 * carries from its task's latest change (or from schedule_view), which is what the user had
 * then; so a change of quiet hours or channels applies to reminders already scheduled.
 */
export class PreferencesStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (userId: string) => `${this.prefix}:preferences:${userId}`;

  async save(userId: string, preferences: ReminderPreferences, at: Date): Promise<boolean> {
    const value: ReminderPreferences = {
      emailEnabled: preferences.emailEnabled,
      pushEnabled: preferences.pushEnabled,
      quietHoursStart: preferences.quietHoursStart,
      quietHoursEnd: preferences.quietHoursEnd,
      timezone: preferences.timezone,
      // Absent from events of an api older than the address (the reminder's own copy then serves).
      ...(preferences.email !== undefined ? { email: preferences.email } : {}),
      ...(preferences.emailVerified !== undefined
        ? { emailVerified: preferences.emailVerified }
        : {}),
    };
    const saved = await this.redis.eval(
      SAVE_SCRIPT,
      1,
      this.key(userId),
      String(at.getTime()),
      JSON.stringify(value),
      String(TTL_SECONDS),
    );
    return saved === 1;
  }

  async get(userId: string): Promise<ReminderPreferences | null> {
    const value = await this.redis.hget(this.key(userId), 'value');
    return value ? (JSON.parse(value) as ReminderPreferences) : null;
  }

  /** The account was deleted: nothing of it is kept. */
  async forget(userId: string): Promise<void> {
    await this.redis.del(this.key(userId));
  }
}

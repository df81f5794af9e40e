import { fromWallTime, minutesOfDay, toWallTime, type ReminderPreferences } from '@todo/contracts';

const parseClock = (value: string): number => {
  const [hours, minutes] = value.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/**
 * If `now` falls in the user's quiet hours (wall-clock times in their time zone, possibly
 * spanning midnight), the instant they end; otherwise null. Computed on wall time and
 * converted back, so a quiet period ending 07:00 ends at 07:00 local on DST-change days too.
 */
export function quietHoursEnd(
  now: Date,
  preferences: Pick<ReminderPreferences, 'quietHoursStart' | 'quietHoursEnd' | 'timezone'>,
): Date | null {
  const { quietHoursStart, quietHoursEnd: endClock, timezone } = preferences;
  if (!quietHoursStart || !endClock) return null;
  const start = parseClock(quietHoursStart);
  const end = parseClock(endClock);
  if (start === end) return null;
  const current = minutesOfDay(now, timezone);
  const quiet = start < end ? current >= start && current < end : current >= start || current < end;
  if (!quiet) return null;
  const wall = toWallTime(now, timezone);
  const endWall = new Date(
    Date.UTC(
      wall.getUTCFullYear(),
      wall.getUTCMonth(),
      wall.getUTCDate(),
      Math.floor(end / 60),
      end % 60,
    ),
  );
  if (endWall.getTime() <= wall.getTime()) endWall.setUTCDate(endWall.getUTCDate() + 1);
  return fromWallTime(endWall, timezone);
}

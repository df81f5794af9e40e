import { truncateCodePoints } from '@todo/contracts';
import type { BatchItem } from './batch-store.js';

/** "Fri 27 Nov, 13:32" in the user's zone (email and push read as they are sent). */
function localTime(iso: string, timeZone = 'UTC'): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
  return timeZone === 'UTC' ? `${text} UTC` : text;
}

/** Title and body of the one notification a batch becomes. */
export function composeNotification(items: BatchItem[]): { title: string; body: string } {
  const [first] = items;
  if (items.length === 1 && first) {
    return {
      title: truncateCodePoints(`Reminder: ${first.reminder.title}`, 255),
      body: `"${first.reminder.title}" is due ${localTime(first.reminder.dueDate, first.timeZone)}.`,
    };
  }
  const lines = items.map(
    (item) => `• ${item.reminder.title} (due ${localTime(item.reminder.dueDate, item.timeZone)})`,
  );
  return { title: `${items.length} reminders`, body: truncateCodePoints(lines.join('\n'), 5000) };
}

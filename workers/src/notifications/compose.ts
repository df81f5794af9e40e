import type { BatchItem } from './batch-store.js';

/** Title and body of the one notification a batch becomes. */
export function composeNotification(items: BatchItem[]): { title: string; body: string } {
  const [first] = items;
  if (items.length === 1 && first) {
    return {
      title: `Reminder: ${first.reminder.title}`.slice(0, 255),
      body: `"${first.reminder.title}" is due at ${first.reminder.dueDate}.`,
    };
  }
  const lines = items.map((item) => `• ${item.reminder.title} (due ${item.reminder.dueDate})`);
  return { title: `${items.length} reminders`, body: lines.join('\n').slice(0, 5000) };
}

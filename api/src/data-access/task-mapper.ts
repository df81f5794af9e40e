import type { RecurrencePattern, Task } from '@todo/contracts';
import type { RecurrencePatternModel, TaskModel } from './models/index.js';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toRecurrencePattern(model: RecurrencePatternModel): RecurrencePattern {
  return {
    frequency: model.frequency,
    interval: model.interval,
    ...(model.byWeekday ? { byWeekday: model.byWeekday.map(Number) } : {}),
    ...(model.byMonthday !== null ? { byMonthday: model.byMonthday } : {}),
    ...(model.endDate ? { endDate: model.endDate.toISOString() } : {}),
    ...(model.maxOccurrences !== null ? { maxOccurrences: model.maxOccurrences } : {}),
    ...(model.rrule ? { rrule: model.rrule } : {}),
    anchor: model.anchor,
  };
}

/** When the task's reminder fires, or null when it has none pending. */
export function reminderTime(task: TaskModel): Date | null {
  if (!task.reminderEnabled || task.reminderOffset === null || !task.dueDate) return null;
  if (task.status !== 'pending') return null;
  return new Date(task.dueDate.getTime() - task.reminderOffset * 60_000);
}

export function toTaskDto(task: TaskModel, pattern: RecurrencePatternModel | null): Task {
  return {
    id: task.id,
    userId: task.userId,
    listId: task.listId,
    assigneeId: task.assigneeId ?? null,
    changedBy: task.changedBy ?? null,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags,
    dueDate: iso(task.dueDate),
    reminderEnabled: task.reminderEnabled,
    reminderOffset: task.reminderOffset,
    reminderChannels: task.reminderChannels,
    reminderAt: iso(reminderTime(task)),
    recurrence: pattern ? toRecurrencePattern(pattern) : null,
    seriesId: task.seriesId,
    parentTaskId: task.parentTaskId,
    occurrenceIndex: task.occurrenceIndex,
    version: task.version,
    completedAt: iso(task.completedAt),
    deletedAt: iso(task.deletedAt),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

import type { Task } from '../app/core/types';

let counter = 0;

/** A task as the API returns it, with overrides. */
export function makeTask(overrides: Partial<Task> = {}): Task {
  counter++;
  const now = new Date(Date.UTC(2026, 10, 27, 9, 0, counter)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    userId: 'user-1',
    listId: '00000000-0000-4000-8000-0000000000aa',
    assigneeId: null,
    changedBy: null,
    title: `Task ${counter}`,
    description: null,
    status: 'pending',
    priority: 'medium',
    tags: [],
    dueDate: null,
    reminderEnabled: true,
    reminderOffset: 15,
    reminderChannels: ['email', 'push'],
    reminderAt: null,
    recurrence: null,
    seriesId: null,
    parentTaskId: null,
    occurrenceIndex: null,
    version: 1,
    completedAt: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

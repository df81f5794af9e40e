import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatResponseSchema,
  completeTaskResultSchema,
  errorBodySchema,
  updateTaskSchema,
  validationOptions,
  type Task,
} from '../index.js';

const task: Task = {
  id: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a10',
  userId: 'u1',
  listId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a1f',
  assigneeId: null,
  changedBy: null,
  title: 'Gym',
  description: null,
  status: 'pending',
  priority: 'medium',
  tags: [],
  dueDate: '2026-12-01T07:00:00.000Z',
  reminderEnabled: false,
  reminderOffset: null,
  reminderChannels: [],
  reminderAt: null,
  recurrence: { frequency: 'weekly', interval: 1, byWeekday: [1, 3], anchor: 'due' },
  seriesId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a11',
  parentTaskId: null,
  occurrenceIndex: 1,
  version: 1,
  completedAt: null,
  deletedAt: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
};

describe('response schemas', () => {
  it('accept what the api answers, nested schemas and nulls included', () => {
    const result = { task, nextInstance: { scheduledFor: '2026-12-03T07:00:00.000Z' } };
    assert.equal(completeTaskResultSchema.validate(result).error, undefined);
    assert.equal(
      completeTaskResultSchema.validate({ task: { ...task, recurrence: null }, nextInstance: null })
        .error,
      undefined,
    );
  });

  it('refuse a missing or an undeclared field, so a changed response fails its schema', () => {
    const { id: _id, ...withoutId } = task;
    const missing = completeTaskResultSchema.validate({ task: withoutId, nextInstance: null });
    assert.match(missing.error?.message ?? '', /task\.id.* is required/);
    const extra = completeTaskResultSchema.validate({
      task: { ...task, colour: 'red' },
      nextInstance: null,
    });
    assert.match(extra.error?.message ?? '', /colour.* is not allowed/);
  });

  it('keep optional keys optional inside an all-required parent (a chat action without a task)', () => {
    const reply = {
      reply: 'One task due this week',
      actions: [{ type: 'tasks.listed', fields: { taskIds: [] } }],
      conversationId: '0190f3c5-6c1e-7b7a-9a43-2f1d4c8e5a12',
    };
    assert.equal(chatResponseSchema.validate(reply).error, undefined);
  });

  it('know every error code, BAD_PATH included', () => {
    const body = { error: 'BAD_PATH', message: 'bad path', correlationId: 'c1' };
    assert.equal(errorBodySchema.validate(body).error, undefined);
    assert.ok(errorBodySchema.validate({ ...body, error: 'OOPS' }).error);
  });

  it('a PATCH body must change something, said in words', () => {
    const { error } = updateTaskSchema.validate({}, validationOptions);
    assert.equal(error?.message, 'the body must change at least one field');
  });
});

import { randomUUID } from 'node:crypto';
import { TASK_CHANGED_TYPE, TOPICS, type Task, type TaskChangedData } from '@todo/contracts';

/** A `task-updates` CloudEvent as the api publishes it and Dapr delivers it. */
export function taskChangedEvent(userId: string, overrides: Partial<TaskChangedData> = {}) {
  const taskId = randomUUID();
  const data: TaskChangedData = {
    action: 'created',
    taskId,
    userId,
    task: { id: taskId, userId, title: 'Water the plants' } as Task,
    changedFields: ['title'],
    seq: '42',
    timestamp: new Date().toISOString(),
    ...overrides,
  };
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'todo-api',
    type: TASK_CHANGED_TYPE,
    subject: `tasks/${taskId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: userId,
    correlationid: randomUUID(),
    data,
    // What Dapr (and the direct transport) add on delivery.
    pubsubname: 'pubsub',
    topic: TOPICS.taskUpdates,
  };
}

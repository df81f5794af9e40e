import { randomUUID } from 'node:crypto';
import {
  NOTIFICATION_CREATED_TYPE,
  TASK_CHANGED_TYPE,
  TOPICS,
  type Notification,
  type Task,
  type TaskChangedData,
} from '@todo/contracts';

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

/** A `notifications` CloudEvent as the api publishes it once it stored an inbox row. */
export function notificationCreatedEvent(userId: string) {
  const notification: Notification = {
    id: randomUUID(),
    userId,
    title: 'Reminder: Water the plants',
    body: '"Water the plants" is due Fri 27 Nov, 11:00 UTC.',
    taskIds: [randomUUID()],
    channels: ['push'],
    deliveries: [],
    readAt: null,
    createdAt: new Date().toISOString(),
  };
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'todo-api',
    type: NOTIFICATION_CREATED_TYPE,
    subject: `notifications/${notification.id}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    userid: userId,
    correlationid: randomUUID(),
    data: notification,
    pubsubname: 'pubsub',
    topic: TOPICS.notifications,
  };
}

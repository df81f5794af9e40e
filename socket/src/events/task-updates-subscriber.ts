import {
  DAPR_STATUS,
  LIST_CHANGED_TYPE,
  MEMBER_CHANGED_TYPE,
  NOTIFICATION_CREATED_TYPE,
  NOTIFICATION_UPDATED_TYPE,
  TASK_CHANGED_TYPE,
  TOPICS,
  notificationCreatedDataSchema,
  listChangedDataSchema,
  memberChangedDataSchema,
  taskChangedDataSchema,
  type ListChangedData,
  type MemberChangedData,
  type Notification,
  type TaskChangedData,
} from '@todo/contracts';
import { DropEvent, on, type TopicSubscription } from '@todo/platform';
import type { RoomEmitter } from '../realtime/room-emitter.js';

export const TASK_UPDATES_ROUTE = '/events/task-updates';
export const NOTIFICATIONS_ROUTE = '/events/notifications';

/**
 * Bulk delivery of `task-updates` (ADR 382): up to 100 changes a request instead of one HTTP
 * round trip each, from daprd (which waits at most 10 ms to fill a batch) or the api's direct
 * transport. Entries are handled in order, so per-task order holds.
 */
export const TASK_UPDATES_BULK = { maxMessagesCount: 100, maxAwaitDurationMs: 10 } as const;

export interface TaskUpdatesDeps {
  emitter: RoomEmitter;
  /** Whether broadcasts can reach the other nodes now (Redis up); otherwise ask to retry. */
  canBroadcast: () => boolean;
}

/**
 * The node's subscription to `task-updates`: each CloudEvent goes to its owner's room. Dapr
 * (or the api's direct transport) gives each event to one replica; the adapter does the rest.
 * Unknown data fields are stripped, not refused: a newer api may add some before we know them.
 */
export function taskUpdatesSubscription(deps: TaskUpdatesDeps): TopicSubscription {
  return {
    topic: TOPICS.taskUpdates,
    route: TASK_UPDATES_ROUTE,
    bulk: TASK_UPDATES_BULK,
    handlers: [
      on<TaskChangedData>(TASK_CHANGED_TYPE, taskChangedDataSchema, ({ data, userid }) => {
        // The envelope's owner and the data's owner must agree, or the room would be a guess.
        if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
        if (!deps.canBroadcast()) return DAPR_STATUS.retry;
        deps.emitter.taskUpdate(data);
      }),
      // A list made, renamed, archived or deleted: its owner's tabs redraw their sidebar.
      on<ListChangedData>(LIST_CHANGED_TYPE, listChangedDataSchema, ({ data, userid }) => {
        if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
        if (!deps.canBroadcast()) return DAPR_STATUS.retry;
        deps.emitter.listUpdate(data);
      }),
      // Someone joined, changed role or left: every member's tabs redraw the list's members.
      on<MemberChangedData>(MEMBER_CHANGED_TYPE, memberChangedDataSchema, ({ data, userid }) => {
        if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
        if (!deps.canBroadcast()) return DAPR_STATUS.retry;
        deps.emitter.memberUpdate(data);
      }),
    ],
  };
}

/**
 * The node's subscription to `notifications`: an inbox row the api stored from the workers'
 * `reminder.fired` (ADR 120), pushed as `notification` to its owner's room.
 */
export function notificationsSubscription(deps: TaskUpdatesDeps): TopicSubscription {
  return {
    topic: TOPICS.notifications,
    route: NOTIFICATIONS_ROUTE,
    handlers: [
      // A new inbox row, or one whose per-channel status changed: the tab replaces its copy.
      on<Notification>(
        [NOTIFICATION_CREATED_TYPE, NOTIFICATION_UPDATED_TYPE],
        notificationCreatedDataSchema,
        ({ data, userid }) => {
          if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
          if (!deps.canBroadcast()) return DAPR_STATUS.retry;
          deps.emitter.notification(data);
        },
      ),
    ],
  };
}

import {
  DAPR_STATUS,
  TASK_CHANGED_TYPE,
  TOPICS,
  taskChangedDataSchema,
  type TaskChangedData,
} from '@todo/contracts';
import { DropEvent, on, type TopicSubscription } from '@todo/platform';
import type { RoomEmitter } from '../realtime/room-emitter.js';

export const TASK_UPDATES_ROUTE = '/events/task-updates';

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
    handlers: [
      on<TaskChangedData>(TASK_CHANGED_TYPE, taskChangedDataSchema, ({ data, userid }) => {
        // The envelope's owner and the data's owner must agree, or the room would be a guess.
        if (data.userId !== userid) throw new DropEvent('userid does not match data.userId');
        if (!deps.canBroadcast()) return DAPR_STATUS.retry;
        deps.emitter.taskUpdate(data);
      }),
    ],
  };
}

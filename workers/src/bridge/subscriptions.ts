import { TOPICS, type DaprSubscription } from '@todo/contracts';

/** Routes the bridge serves; Dapr (or the api's direct transport) POSTs CloudEvents to them. */
export const BRIDGE_ROUTES = {
  taskEvents: '/events/task-events',
} as const;

/**
 * `GET /dapr/subscribe`: the workers consume `task-events` only; what they decide leaves as
 * events of their own (`reminders`, `occurrences`), never as calls back to the api.
 */
export function subscriptions(pubsubName: string): DaprSubscription[] {
  return [{ pubsubname: pubsubName, topic: TOPICS.taskEvents, route: BRIDGE_ROUTES.taskEvents }];
}

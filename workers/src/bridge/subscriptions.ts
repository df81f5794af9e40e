import { TOPICS, type DaprSubscription } from '@todo/contracts';

/** Routes the bridge serves; Dapr (or the api's direct transport) POSTs CloudEvents to them. */
export const BRIDGE_ROUTES = {
  taskEvents: '/events/task-events',
  reminders: '/events/reminders',
} as const;

/** `GET /dapr/subscribe`: the workers consume `task-events` and `reminders`. */
export function subscriptions(pubsubName: string): DaprSubscription[] {
  return [
    { pubsubname: pubsubName, topic: TOPICS.taskEvents, route: BRIDGE_ROUTES.taskEvents },
    { pubsubname: pubsubName, topic: TOPICS.reminders, route: BRIDGE_ROUTES.reminders },
  ];
}

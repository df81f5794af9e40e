/**
 * Pub/sub topics (Kafka topics in production). Partition key is always the user id. Every
 * topic has one producer, and flows only forward (docs/architecture.md, "Flows"):
 * - `task-events`   api → workers: a task's snapshot and its owner's preferences (and address),
 *                   `preferences.updated`, `notification.test-requested`;
 * - `task-updates`  api → socket: a change for the owner's open tabs;
 * - `reminders`     workers → api: `reminder.fired`, a delivered batch for the inbox;
 *                   `notification.test-fired`; `notification.delivery-reported`, per channel;
 *                   `push-subscription.gone`, a device the push service no longer knows;
 * - `occurrences`   workers → api: `occurrence.due`, a series owes its next instance;
 * - `notifications` api → socket: `notification.created` / `.updated`, an inbox row to push live.
 */
export const TOPICS = {
  taskEvents: 'task-events',
  taskUpdates: 'task-updates',
  reminders: 'reminders',
  occurrences: 'occurrences',
  notifications: 'notifications',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** Partition counts the brokers are provisioned with (docker-compose, CI broker, Helm). */
export const TOPIC_PARTITIONS: Record<Topic, number> = {
  'task-events': 6,
  'task-updates': 6,
  reminders: 3,
  occurrences: 3,
  notifications: 3,
};

/** Default Dapr pub/sub component name. */
export const DEFAULT_PUBSUB_NAME = 'pubsub';

/** Dapr subscriber response statuses (HTTP body `{status}`); non-2xx also means retry. */
export const DAPR_STATUS = { success: 'SUCCESS', retry: 'RETRY', drop: 'DROP' } as const;
export type DaprStatus = (typeof DAPR_STATUS)[keyof typeof DAPR_STATUS];

/** One entry of `GET /dapr/subscribe` (programmatic subscription, v1 shape). */
export interface DaprSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  metadata?: Record<string, string>;
  /** Dapr bulk subscribe: the sidecar (and the direct transport) posts several events at once. */
  bulkSubscribe?: DaprBulkSubscribe;
}

export interface DaprBulkSubscribe {
  enabled: boolean;
  maxMessagesCount?: number;
  maxAwaitDurationMs?: number;
}

/** One event of a bulk delivery (Dapr's `entries[]`). */
export interface DaprBulkEntry {
  entryId: string;
  event: unknown;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** The answer to a bulk delivery: a status per entry; a missing entry counts as RETRY. */
export interface DaprBulkResponse {
  statuses: { entryId: string; status: DaprStatus }[];
}

/**
 * Header carrying the app API token on every call into a subscriber app: daprd sends it when
 * it runs with APP_API_TOKEN, and the api's direct transport sends it the same way.
 */
export const DAPR_APP_TOKEN_HEADER = 'dapr-api-token';

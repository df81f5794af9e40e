/**
 * The push-subscription read model: a read-only PostgreSQL view the api's migration 010 owns
 * and the workers read at delivery time, as the same role that may read `schedule_view` and
 * nothing else (ADR 220). Columns are only ever added.
 */
export const PUSH_SUBSCRIPTION_VIEW = 'push_subscription_view';

/** One row of `push_subscription_view`: what `web-push` needs to encrypt for one device. */
export interface PushSubscriptionRow {
  id: string;
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * What a push notification carries (JSON, encrypted for the device). `notification` is the
 * shape Angular's service worker shows; `data.onActionClick` makes a click open `url`.
 */
export interface PushPayload {
  notification: {
    title: string;
    body: string;
    tag: string;
    data: {
      url: string;
      taskIds: string[];
      onActionClick: { default: { operation: 'navigateLastFocusedOrOpen'; url: string } };
    };
  };
}

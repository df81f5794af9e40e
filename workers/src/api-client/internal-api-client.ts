import {
  INTERNAL_BASE_PATH,
  type CreateNotificationRequest,
  type NextInstanceResponse,
  type Notification,
  type NotificationPreferences,
  type ReminderDueResponse,
} from '@todo/contracts';
import { currentContext } from '@todo/platform';
import { ApiRequestError } from '../errors.js';

/** HTTP client of the api's `/internal/v1` endpoints (contract in @todo/contracts). */
export class InternalApiClient {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.base = `${baseUrl.replace(/\/$/, '')}${INTERNAL_BASE_PATH}`;
  }

  /** Idempotent per `eventId`: a redelivered completion finds the instance already created. */
  createNextInstance(taskId: string, eventId: string): Promise<NextInstanceResponse> {
    return this.request<NextInstanceResponse>('POST', `/tasks/${taskId}/next-instance`, {
      eventId,
    });
  }

  /** Publishes `reminder.due` only if the task still wants it at exactly `scheduledFor`. */
  reminderDue(taskId: string, scheduledFor: string, jobId: string): Promise<ReminderDueResponse> {
    return this.request<ReminderDueResponse>('POST', `/tasks/${taskId}/reminder-due`, {
      scheduledFor,
      jobId,
    });
  }

  getPreferences(userId: string): Promise<NotificationPreferences> {
    return this.request<NotificationPreferences>(
      'GET',
      `/users/${encodeURIComponent(userId)}/notification-preferences`,
    );
  }

  /** Idempotent per `idempotencyKey` (201 created, 200 the existing one). */
  createNotification(input: CreateNotificationRequest): Promise<Notification> {
    return this.request<Notification>('POST', '/notifications', input);
  }

  /** True when the api answers its liveness endpoint. */
  async isReachable(): Promise<boolean> {
    try {
      const origin = new URL(this.base).origin;
      const response = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    } catch {
      return false;
    }
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    const correlationId = currentContext()?.correlationId;
    if (correlationId) headers['x-correlation-id'] = correlationId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok)
      throw new ApiRequestError(method, path, response.status, await response.text());
    return (await response.json()) as T;
  }
}

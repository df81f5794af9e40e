import { ECDH } from 'node:crypto';
import type {
  CreatePushSubscriptionRequest,
  PushSubscriptionGoneData,
  PushSubscriptionList,
  PushSubscriptionResource,
} from '@todo/contracts';
import type { Logger } from '@todo/platform';
import { NotFoundError, ValidationError } from './errors.js';
import type {
  PushSubscriptionRepository,
  StoredPushSubscription,
} from '../data-access/push-subscription-repository.js';

const toDto = (row: StoredPushSubscription): PushSubscriptionResource => ({
  id: row.id,
  endpoint: row.endpoint,
  createdAt: new Date(row.createdAt).toISOString(),
});

/** A user's Web Push devices: what the workers encrypt each push for (ADR 220). */
export class PushSubscriptionService {
  constructor(
    private readonly repository: PushSubscriptionRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores the device (or refreshes the one with this endpoint). The contract checked the
   * key's shape; here it must also be a point on P-256, or every push to it would fail to
   * encrypt and retry for nothing.
   */
  async subscribe(
    userId: string,
    request: CreatePushSubscriptionRequest,
  ): Promise<PushSubscriptionResource> {
    try {
      ECDH.convertKey(request.keys.p256dh, 'prime256v1', 'base64url', 'base64url', 'compressed');
    } catch {
      throw new ValidationError('keys.p256dh is not a P-256 public key', [
        {
          field: 'keys.p256dh',
          message: 'keys.p256dh must be a point on the P-256 curve',
          type: 'any.invalid',
        },
      ]);
    }
    const saved = await this.repository.upsert({
      userId,
      endpoint: request.endpoint,
      p256dh: request.keys.p256dh.replace(/=+$/, ''),
      auth: request.keys.auth.replace(/=+$/, ''),
      expirationTime:
        request.expirationTime === undefined || request.expirationTime === null
          ? null
          : new Date(request.expirationTime),
    });
    return toDto(saved);
  }

  async list(userId: string): Promise<PushSubscriptionList> {
    return { items: (await this.repository.list(userId)).map(toDto) };
  }

  async remove(userId: string, id: string): Promise<void> {
    if ((await this.repository.delete(userId, { id })) === 0)
      throw new NotFoundError(`push subscription ${id}`);
  }

  /** Unsubscribing twice (or a device the push service already dropped) is not an error. */
  async removeByEndpoint(userId: string, endpoint: string): Promise<void> {
    await this.repository.delete(userId, { endpoint });
  }

  /** The push service no longer knows the device (the workers' `push-subscription.gone`). */
  async gone(data: PushSubscriptionGoneData): Promise<void> {
    const removed = await this.repository.delete(data.userId, {
      id: data.subscriptionId,
      endpoint: data.endpoint,
    });
    this.logger.info(
      { userId: data.userId, subscriptionId: data.subscriptionId, status: data.status, removed },
      'push subscription gone at the push service; removed',
    );
  }
}

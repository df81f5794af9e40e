import type { Transaction } from 'sequelize';
import { findAnswer, saveAnswer } from '../data-access/idempotency-store.js';
import { IdempotencyKeyReusedError } from './errors.js';

/** A mutation's `Idempotency-Key` and a digest of the request it came with (ADR 230). */
export interface IdempotentRequest {
  key: string;
  /** sha-256 (hex) of the method, path, If-Match and body: tells a reused key apart. */
  requestHash: string;
  /** The HTTP status the first answer had, stored with it. */
  statusCode: number;
}

/**
 * Runs `change` once per key: inside the caller's transaction, under the user's lock, so two
 * concurrent retries see each other. A key seen before with the same request answers what was
 * stored and changes nothing; with a different request it is refused. Without a key, `change`
 * just runs.
 */
export async function once<T>(
  userId: string,
  request: IdempotentRequest | undefined,
  transaction: Transaction,
  change: () => Promise<T>,
): Promise<T> {
  if (!request) return change();
  const stored = await findAnswer(userId, request.key, transaction);
  if (stored) {
    if (stored.requestHash !== request.requestHash)
      throw new IdempotencyKeyReusedError(request.key);
    return stored.response as T;
  }
  const answer = await change();
  await saveAnswer(
    userId,
    request.key,
    request.requestHash,
    request.statusCode,
    answer ?? null,
    transaction,
  );
  return answer;
}

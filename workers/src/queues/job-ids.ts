/**
 * Deterministic BullMQ job ids. BullMQ rejects integer ids and ids with a ':' (unless they
 * have exactly two, its legacy repeatable format), so every id here is a prefixed,
 * colon-free string. The reminder and next-instance ids are shared with the reconciler
 * through `@todo/contracts`, so a rebuilt job has the id the bridge would have given it.
 */
export { nextInstanceJobId, reminderJobId } from '@todo/contracts';

const safe = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

/** A job made from a CloudEvent: a redelivered event maps to the same job. */
export const eventJobId = (kind: string, eventId: string): string => `${kind}-${safe(eventId)}`;

/** The delivery job of one notification batch. */
export const deliverJobId = (batchId: string): string => `deliver-${safe(batchId)}`;

/**
 * One fired reminder for one recipient (ADR 376): the batch store's "seen" marker and the
 * intake job id hang on it, so a retried or redelivered fire job admits each recipient once.
 * The owner of record keeps the fire job's id itself: a one-person list is what it was.
 */
export const recipientReminderId = (jobId: string, recipientId: string, ownerId: string): string =>
  recipientId === ownerId ? jobId : `${jobId}-to-${safe(recipientId)}`;

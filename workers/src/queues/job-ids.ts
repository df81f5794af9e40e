/**
 * Deterministic BullMQ job ids. BullMQ rejects integer ids and ids with a ':' (unless they
 * have exactly two, its legacy repeatable format), so every id here is a prefixed,
 * colon-free string.
 */
const safe = (value: string) => value.replace(/[^A-Za-z0-9_.-]/g, '_');

/** A job made from a CloudEvent: a redelivered event maps to the same job. */
export const eventJobId = (kind: string, eventId: string): string => `${kind}-${safe(eventId)}`;

/**
 * The delayed reminder job of one task at one time. Including the time means a moved
 * reminder never collides with its predecessor (still active, or kept as completed).
 */
export const reminderJobId = (taskId: string, at: Date): string =>
  `reminder-${safe(taskId)}-${at.getTime()}`;

/** The delivery job of one notification batch. */
export const deliverJobId = (batchId: string): string => `deliver-${safe(batchId)}`;

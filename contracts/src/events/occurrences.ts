import Joi from 'joi';
import type { CloudEvent } from './cloudevent.js';

/**
 * Published by the workers on `occurrences` when a completed instance of a series owes its
 * series the next one. The api creates it (it owns the pattern, the owner's zone and the
 * unique (series, occurrence) index), exactly once per occurrence however often this arrives.
 */
export const OCCURRENCE_DUE_TYPE = 'com.todo.occurrence.due' as const;

export interface OccurrenceDueData {
  /** The completed instance, and the version it was completed with. */
  completedTaskId: string;
  completedVersion: number;
  userId: string;
  seriesId: string;
  /** The index the new instance takes (the completed one's + 1). */
  occurrenceIndex: number;
  /** When the completion happened (to measure next-instance latency). */
  completedAt: string;
}

export type OccurrenceDueEvent = CloudEvent<OccurrenceDueData, typeof OCCURRENCE_DUE_TYPE>;

export const occurrenceDueDataSchema = Joi.object<OccurrenceDueData>({
  completedTaskId: Joi.string().guid().required(),
  completedVersion: Joi.number().integer().min(0).required(),
  userId: Joi.string().min(1).max(200).required(),
  seriesId: Joi.string().guid().required(),
  occurrenceIndex: Joi.number().integer().min(2).required(),
  completedAt: Joi.string().isoDate().required(),
});

/** The CloudEvent id of one completion's `occurrence.due`: a retried job republishes the same id. */
export const occurrenceDueEventId = (taskId: string, version: number): string =>
  `occurrence-due-${taskId}-v${version}`;

import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { NextInstanceResponse } from '@todo/contracts';
import type { InternalApiClient } from '../api-client/internal-api-client.js';
import { ApiRequestError } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { NextInstanceJob } from '../queues/job-data.js';

export interface NextInstanceDeps {
  api: InternalApiClient;
  logger: Logger;
  metrics: Metrics;
}

export interface NextInstanceResult {
  created: boolean;
  nextTaskId: string | null;
  dueDate: string | null;
  reason: NextInstanceResponse['reason'] | null;
}

/**
 * A recurring task was completed: the api computes and creates the next instance (it owns
 * the pattern, the user's time zone and the series' unique index); the event id is the
 * idempotency key, so a redelivered event or a retried job after a crash creates nothing new.
 */
export function nextInstanceProcessor({ api, logger, metrics }: NextInstanceDeps) {
  return async (job: Job<NextInstanceJob>): Promise<NextInstanceResult> => {
    const { taskId, eventId, completedAt } = job.data;
    let response: NextInstanceResponse;
    try {
      response = await api.createNextInstance(taskId, eventId);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 404) {
        logger.info({ eventId }, 'completed task no longer exists; no next instance');
        return { created: false, nextTaskId: null, dueDate: null, reason: 'series-ended' };
      }
      if (error instanceof ApiRequestError && error.permanent)
        throw new UnrecoverableError(error.message);
      throw error;
    }
    const latencyMs = Date.now() - new Date(completedAt).getTime();
    if (response.created) metrics.nextInstanceLatency.observe(latencyMs / 1000);
    logger.info(
      {
        eventId,
        created: response.created,
        reason: response.reason,
        nextTaskId: response.task?.id,
        dueDate: response.task?.dueDate,
        latencyMs,
      },
      response.created ? 'next recurring instance created' : 'no new recurring instance',
    );
    return {
      created: response.created,
      nextTaskId: response.task?.id ?? null,
      dueDate: response.task?.dueDate ?? null,
      reason: response.reason ?? null,
    };
  };
}

import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { ReminderDueResponse } from '@todo/contracts';
import type { InternalApiClient } from '../api-client/internal-api-client.js';
import { ApiRequestError } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { FireReminderJob } from '../queues/job-data.js';

export interface FireReminderDeps {
  api: InternalApiClient;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A reminder's delayed job came due: ask the api to publish `reminder.due`. The api checks
 * that the task still wants a reminder at exactly this time, so a completed, deleted or
 * moved task never fires even if its old job slipped through.
 */
export function fireReminderProcessor({ api, logger, metrics }: FireReminderDeps) {
  return async (job: Job<FireReminderJob>): Promise<ReminderDueResponse['outcome']> => {
    const { taskId, scheduledFor } = job.data;
    const latencySeconds = (Date.now() - new Date(scheduledFor).getTime()) / 1000;
    if (job.attemptsMade === 0) metrics.reminderLateness.observe(Math.max(0, latencySeconds));
    try {
      const { outcome } = await api.reminderDue(taskId, scheduledFor, job.id ?? job.name);
      logger.info(
        { scheduledFor, outcome, latencyMs: Math.round(latencySeconds * 1000) },
        'reminder fired',
      );
      return outcome;
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 404) {
        logger.info({ scheduledFor }, 'reminder of a task that no longer exists');
        return 'stale';
      }
      if (error instanceof ApiRequestError && error.permanent)
        throw new UnrecoverableError(error.message);
      throw error;
    }
  };
}

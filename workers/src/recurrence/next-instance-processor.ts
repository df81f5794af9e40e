import type { Job } from 'bullmq';
import {
  OCCURRENCE_DUE_TYPE,
  TOPICS,
  WORKERS_EVENT_SOURCE,
  occurrenceDueEventId,
  type OccurrenceDueEvent,
} from '@todo/contracts';
import type { EventPublisher } from '../events/event-publisher.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '@todo/platform';
import type { NextInstanceJob } from '../queues/job-data.js';

export interface NextInstanceDeps {
  publisher: EventPublisher;
  logger: Logger;
  metrics: Metrics;
}

/**
 * A recurring task was completed: publish `occurrence.due` for its series' next instance.
 * The api creates it (it owns the pattern, the owner's zone and the unique (series,
 * occurrence) index). The event id names the completion, so a retried job, a redelivered
 * task event or a job rebuilt by the reconciler all publish the same event, which the api
 * applies once.
 */
export function nextInstanceProcessor({ publisher, logger, metrics }: NextInstanceDeps) {
  return async (job: Job<NextInstanceJob>): Promise<{ eventId: string }> => {
    const { taskId, userId, version, seriesId, occurrenceIndex, completedAt, correlationId } =
      job.data;
    const event: OccurrenceDueEvent = {
      specversion: '1.0',
      id: occurrenceDueEventId(taskId, version),
      source: WORKERS_EVENT_SOURCE,
      type: OCCURRENCE_DUE_TYPE,
      subject: `tasks/${taskId}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      userid: userId,
      correlationid: correlationId,
      data: {
        completedTaskId: taskId,
        completedVersion: version,
        userId,
        seriesId,
        occurrenceIndex: occurrenceIndex + 1,
        completedAt,
      },
    };
    await publisher.publish(TOPICS.occurrences, event);
    const latencyMs = Date.now() - new Date(completedAt).getTime();
    metrics.nextInstanceLatency.observe(latencyMs / 1000);
    logger.info({ eventId: event.id, seriesId, latencyMs }, 'occurrence.due published');
    return { eventId: event.id };
  };
}

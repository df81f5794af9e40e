import { randomUUID } from 'node:crypto';
import { API_EVENT_SOURCE, type CloudEvent } from '@todo/contracts';
import { currentContext } from '@todo/platform';

/** Wraps `data` in a CloudEvent carrying the current request's correlation and trace. */
export function buildCloudEvent<T, Type extends string>(
  input: {
    type: Type;
    userId: string;
    data: T;
    time?: Date;
  } & ({ taskId: string } | { subject: string }),
): CloudEvent<T, Type> {
  const context = currentContext();
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: API_EVENT_SOURCE,
    type: input.type,
    subject: 'subject' in input ? input.subject : `tasks/${input.taskId}`,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    userid: input.userId,
    correlationid: context?.correlationId ?? randomUUID(),
    ...(context?.traceparent ? { traceparent: context.traceparent } : {}),
    data: input.data,
  };
}

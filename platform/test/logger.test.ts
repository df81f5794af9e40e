import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from 'express';
import { correlation, currentContext, runWithContext } from '../src/index.js';
import { recordingLogger, serve } from './support.js';

describe('logger and request context', () => {
  const { logger, lines } = recordingLogger();
  let http: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    const router = Router();
    router.use(correlation());
    router.get('/work', (_req, res) => {
      const context = currentContext();
      if (context) context.userId = 'user-7';
      logger.info('did the work');
      res.json({ ok: true });
    });
    http = await serve(router);
  });
  after(() => http.close());

  it('tags every line with the service, and with the context of the work running now', () => {
    logger.info('outside');
    runWithContext({ correlationId: 'c-1', jobId: 'job-9', queue: 'reminders' }, () =>
      logger.info('inside'),
    );
    const [outside, inside] = lines.slice(-2);
    assert.equal(outside?.service, 'test');
    assert.equal(outside?.correlationId, undefined);
    assert.equal(inside?.correlationId, 'c-1');
    assert.equal(inside?.jobId, 'job-9');
    assert.equal(inside?.queue, 'reminders');
  });

  it("continues the caller's trace: its trace id becomes the correlation id and is logged", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${http.url}/work`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-correlation-id'), traceId);
    const echoed = response.headers.get('traceparent') ?? '';
    assert.match(echoed, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    assert.notEqual(echoed.split('-')[2], '00f067aa0ba902b7', 'a new span, not the caller’s');
    const line = lines.find((l) => l.msg === 'did the work' && l.correlationId === traceId);
    assert.ok(line, 'the handler’s line carries the correlation id');
    assert.equal(line.traceId, traceId);
    assert.equal(line.userId, 'user-7');
  });

  it("keeps a caller's own correlation id, and starts a new trace when none came in", async () => {
    const response = await fetch(`${http.url}/work`, {
      headers: { 'x-correlation-id': 'support-ticket-42', traceparent: 'garbage' },
    });
    assert.equal(response.headers.get('x-correlation-id'), 'support-ticket-42');
    assert.match(response.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('replaces a correlation id that could forge log fields with a fresh one', async () => {
    const response = await fetch(`${http.url}/work`, {
      headers: { 'x-correlation-id': 'evil" "level":"fatal' },
    });
    assert.match(response.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

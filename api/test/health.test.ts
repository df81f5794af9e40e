import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from './helpers.js';

describe('operations endpoints', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.stop());

  it('answers liveness and readiness', async () => {
    const live = await fetch(`${t.baseUrl}/health`);
    assert.deepEqual([live.status, await live.json()], [200, { status: 'ok', service: 'api' }]);
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    assert.equal(ready.status, 200);
  });

  it('is not ready while its event transport is down', async () => {
    t.publisher.failing = true;
    try {
      const ready = await fetch(`${t.baseUrl}/health/ready`);
      assert.equal(ready.status, 503);
      assert.deepEqual(((await ready.json()) as { checks: unknown }).checks, {
        database: 'up',
        transport: 'down',
      });
    } finally {
      t.publisher.failing = false;
    }
  });

  it('exposes Prometheus metrics by route pattern, and the outbox counters', async () => {
    await fetch(`${t.baseUrl}/api/v1/tasks/00000000-0000-4000-8000-000000000000`);
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    assert.match(
      text,
      /http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status="401"/,
    );
    assert.match(text, /outbox_pending_events/);
    assert.match(text, /process_cpu_user_seconds_total/);
  });

  it('says where a request spent its time: Server-Timing outside production, histograms in /metrics', async () => {
    const user = await t.signUp();
    const created = await fetch(`${t.baseUrl}/api/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Timed' }),
    });
    assert.equal(created.status, 201);
    const header = created.headers.get('server-timing') ?? '';
    for (const phase of ['auth', 'validation', 'db', 'serialization', 'app', 'total'])
      assert.match(header, new RegExp(`(^|, )${phase};dur=\\d+\\.\\d+`), `${phase} in "${header}"`);
    // A create is a transaction: BEGIN, its statements and COMMIT are all counted.
    const queries = Number(/db;dur=[\d.]+;desc="(\d+) queries"/.exec(header)?.[1]);
    assert.ok(queries >= 3, `round trips in "${header}"`);
    const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
    assert.match(
      text,
      /http_request_phase_seconds_count\{[^}]*route="\/api\/v1\/tasks\/"[^}]*phase="db"\} 1/,
    );
    assert.match(text, /http_request_db_queries_count\{[^}]*route="\/api\/v1\/tasks\/"/);
  });

  it("returns a correlation id on every response and honours the caller's", async () => {
    const res = await fetch(`${t.baseUrl}/health`, { headers: { 'x-correlation-id': 'req-123' } });
    assert.equal(res.headers.get('x-correlation-id'), 'req-123');
    assert.match(res.headers.get('traceparent') ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('sets security headers and hides the framework', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    assert.equal(res.headers.get('x-powered-by'), null);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from 'express';
import { createRegistry, healthRouter, httpMetrics, metricsRouter } from '../src/index.js';
import { serve } from './support.js';

describe('health and readiness', () => {
  const state = { database: true, draining: false };
  let http: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    http = await serve(
      healthRouter({
        service: 'demo',
        checks: {
          database: async () => state.database,
          cache: () => true,
        },
        informational: {
          mailer: () => {
            throw new Error('smtp down');
          },
          hung: () => new Promise<boolean>(() => {}),
        },
        draining: () => state.draining,
        details: () => ({ transport: 'direct' }),
        timeoutMs: 100,
      }),
    );
  });
  after(() => http.close());

  const ready = async () => {
    const response = await fetch(`${http.url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers liveness with the service name', async () => {
    const response = await fetch(`${http.url}/health`);
    assert.deepEqual(await response.json(), { status: 'ok', service: 'demo' });
  });

  it('is ready when every gating check is up; informational ones are reported, a hung one as down', async () => {
    assert.deepEqual(await ready(), {
      status: 200,
      body: {
        status: 'ready',
        checks: { database: 'up', cache: 'up', mailer: 'down', hung: 'down' },
        transport: 'direct',
      },
    });
  });

  it('answers 503 naming the check that is down', async () => {
    state.database = false;
    try {
      const { status, body } = await ready();
      assert.equal(status, 503);
      assert.equal(body.status, 'not-ready');
      assert.equal((body.checks as Record<string, string>).database, 'down');
    } finally {
      state.database = true;
    }
  });

  it('answers 503 while draining, so traffic moves elsewhere', async () => {
    state.draining = true;
    try {
      const { status, body } = await ready();
      assert.equal(status, 503);
      assert.equal(body.draining, true);
    } finally {
      state.draining = false;
    }
  });
});

describe('metrics', () => {
  const registry = createRegistry('demo');
  const other = createRegistry('other');
  let http: Awaited<ReturnType<typeof serve>>;

  before(async () => {
    const routes = Router();
    routes.use(httpMetrics(registry));
    routes.get('/tasks/:id', (_req, res) => void res.json({}));
    http = await serve(routes, metricsRouter(registry));
  });
  after(() => http.close());

  it("serves the process's default metrics and request timings by route pattern, labelled with the service", async () => {
    await fetch(`${http.url}/tasks/123`);
    await fetch(`${http.url}/tasks/456`);
    const response = await fetch(`${http.url}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(text, /process_cpu_user_seconds_total\{service="demo"\}/);
    assert.match(
      text,
      /http_request_duration_seconds_count\{service="demo",method="GET",route="\/tasks\/:id",status="200"\} 2/,
    );
    assert.doesNotMatch(text, /route="\/tasks\/123"/);
  });

  it('keeps one registry per process part: two in one process do not collide', async () => {
    const text = await other.metrics();
    assert.match(text, /service="other"/);
    assert.doesNotMatch(text, /http_request_duration_seconds/);
  });
});

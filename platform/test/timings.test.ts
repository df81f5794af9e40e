import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from 'express';
import {
  correlation,
  createRegistry,
  metricsRouter,
  recordTiming,
  requestTimings,
  timed,
} from '../src/index.js';
import { serve } from './support.js';

/** A route that spends known time in each phase, as the api's middleware and hooks do. */
function app(header: boolean) {
  const registry = createRegistry('demo');
  const routes = Router();
  routes.use(correlation(), requestTimings(registry, { header }));
  routes.get('/tasks/:id', (_req, res) => {
    recordTiming('auth', 1.5);
    timed('validation', () => 'checked');
    recordTiming('db', 2);
    recordTiming('db', 3);
    res.json({ title: 'x'.repeat(1000) });
  });
  return { routes, registry };
}

describe('request timings', () => {
  let withHeader: Awaited<ReturnType<typeof serve>>;
  let production: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    const a = app(true);
    withHeader = await serve(a.routes, metricsRouter(a.registry));
    production = await serve(app(false).routes);
  });
  after(async () => {
    await withHeader.close();
    await production.close();
  });

  it('sends each phase, the rest and the total as Server-Timing, and still answers JSON', async () => {
    const response = await fetch(`${withHeader.url}/tasks/1`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(((await response.json()) as { title: string }).title.length, 1000);
    const header = response.headers.get('server-timing') ?? '';
    assert.match(header, /(^|, )auth;dur=1\.50(, |$)/);
    assert.match(header, /(^|, )db;dur=5\.00;desc="2 queries"(, |$)/);
    assert.match(header, /(^|, )validation;dur=\d+\.\d+/);
    assert.match(header, /(^|, )serialization;dur=\d+\.\d+/);
    assert.match(header, /, app;dur=\d+\.\d+, total;dur=\d+\.\d+$/);
  });

  it('counts the phases per route in /metrics', async () => {
    await fetch(`${withHeader.url}/tasks/2`);
    const text = await (await fetch(`${withHeader.url}/metrics`)).text();
    assert.match(
      text,
      /http_request_phase_seconds_count\{service="demo",route="\/tasks\/:id",phase="db"\} [1-9]/,
    );
    assert.match(text, /http_request_phase_seconds_count\{[^}]*phase="app"\}/);
    assert.match(
      text,
      /http_request_db_queries_sum\{service="demo",route="\/tasks\/:id"\} \d*[02468]\b/,
    );
  });

  it('sends no Server-Timing when told not to (production)', async () => {
    const response = await fetch(`${production.url}/tasks/1`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('server-timing'), null);
  });
});

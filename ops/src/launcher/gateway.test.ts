import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createGateway, pickEncoding, unsafePath } from './gateway.js';
import type { ServiceDefinition } from './services.js';

/** A stand-in service that answers every request with its name and the path it received. */
async function echoService(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name, path: req.url }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** A raw request: the path goes out exactly as written (like `curl --path-as-is`). */
function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway: a sealed edge', () => {
  const servers: Server[] = [];
  let port = 0;
  const state: Record<string, string> = { 'socket-1': 'up', 'socket-2': 'up' };

  before(async () => {
    const api = await echoService('api');
    const s1 = await echoService('socket-1');
    const s2 = await echoService('socket-2');
    servers.push(api.server, s1.server, s2.server);
    const definition = (name: string, p: number, routes: string[], websocket = false) =>
      ({ name, dir: name, port: p, env: {}, routes, websocket }) satisfies ServiceDefinition;
    const gateway = createGateway(
      [
        definition('api', api.port, ['/api/']),
        definition('socket-1', s1.port, ['/socket.io'], true),
        definition('socket-2', s2.port, ['/socket.io'], true),
      ],
      null,
      {
        state: (name) => state[name] ?? 'up',
        snapshot: () =>
          Object.fromEntries(Object.entries(state).map(([n, s]) => [n, { state: s, restarts: 0 }])),
      },
    );
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    port = (gateway.address() as AddressInfo).port;
    servers.push(gateway);
  });

  after(() => {
    for (const server of servers) server.close();
  });

  it('refuses dot segments, encoded separators and empty segments with 400 before routing', async () => {
    for (const path of [
      '/api/../metrics',
      '/api/../internal/v1/notifications',
      '/api/./v1/tasks',
      '/api/%2e%2e/metrics',
      '/api/%2E%2e/metrics',
      '/api/v1%2f..%2fmetrics',
      '/api/v1%5ctasks',
      '//api/v1/tasks',
      '/api//v1/tasks',
      '/api/..',
    ]) {
      const { status, body } = await get(port, path, path.includes('internal') ? 'POST' : 'GET');
      assert.equal(status, 400, `${path} → ${status} ${body}`);
      // The API's one error shape, so a client reading ErrorBody can quote the id.
      const error = JSON.parse(body);
      assert.equal(error.error, 'BAD_PATH');
      assert.match(error.correlationId, /^[0-9a-f-]{36}$/);
    }
    assert.equal(unsafePath('/api/v1/tasks?q=a//b/../c'), false, 'the query string is not a path');
  });

  it('never serves /metrics or /internal on the public origin; normal paths still route', async () => {
    const metrics = await get(port, '/metrics');
    assert.equal(metrics.status, 404);
    assert.equal(JSON.parse(metrics.body).error, 'NOT_FOUND');
    assert.ok(JSON.parse(metrics.body).correlationId, 'the edge answers in the ErrorBody shape');
    assert.equal((await get(port, '/internal/v1/notifications', 'POST')).status, 404);
    const ok = await get(port, '/api/v1/tasks?x=1');
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { name: 'api', path: '/api/v1/tasks?x=1' });
  });

  it('spreads new Socket.IO connections over both nodes and keeps a session on its sid node', async () => {
    const picked = new Set<string>();
    for (let i = 0; i < 4; i++)
      picked.add(JSON.parse((await get(port, '/socket.io/?EIO=4&transport=polling')).body).name);
    assert.deepEqual([...picked].sort(), ['socket-1', 'socket-2']);
    for (const node of ['socket-1', 'socket-2'])
      for (let i = 0; i < 3; i++) {
        const { body } = await get(port, `/socket.io/?EIO=4&transport=polling&sid=${node}.abc${i}`);
        assert.equal(JSON.parse(body).name, node);
      }
    // A session id naming no node is unknown: 400, and the client starts a new session.
    assert.equal(
      (await get(port, '/socket.io/?EIO=4&transport=polling&sid=nowhere.x')).status,
      400,
    );
  });

  it('sends new connections only to live nodes, and reports a restarting one as degraded', async () => {
    state['socket-1'] = 'restarting';
    try {
      for (let i = 0; i < 4; i++) {
        const { body } = await get(port, '/socket.io/?EIO=4&transport=polling');
        assert.equal(JSON.parse(body).name, 'socket-2');
      }
      const ready = await get(port, '/health/ready');
      assert.equal(ready.status, 503);
      const health = JSON.parse(ready.body);
      assert.equal(health.status, 'degraded');
      assert.equal(health.services['socket-1'], 'restarting');
    } finally {
      state['socket-1'] = 'up';
    }
  });
});

/** A request with headers; the body comes back as raw bytes, not decoded. */
function fetchRaw(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gateway: the client build, compressed and cached', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-static-'));
  // Big and repetitive enough to be worth compressing, like a real bundle.
  const js = Buffer.from(
    Array.from({ length: 400 }, (_, i) => `export const value${i} = "todo-${i}";`).join('\n'),
  );
  const html = Buffer.from(
    `<!doctype html><html><head><title>todo</title>${'<meta name="x" content="y">'.repeat(60)}` +
      '<script src="main-AB12CD34.js" type="module"></script></head><body><app-root></app-root></body></html>',
  );
  let gateway: Server;
  let port = 0;

  before(async () => {
    writeFileSync(join(dir, 'main-AB12CD34.js'), js);
    writeFileSync(join(dir, 'index.html'), html);
    mkdirSync(join(dir, 'media'));
    gateway = createGateway([], dir);
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    port = (gateway.address() as AddressInfo).port;
  });

  after(() => {
    gateway.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers brotli or gzip by Accept-Encoding, and both decode to the original bytes', async () => {
    const br = await fetchRaw(port, '/main-AB12CD34.js', {
      'accept-encoding': 'gzip, deflate, br',
    });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.ok(br.body.length < js.length / 3, `${br.body.length} bytes of ${js.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), js);

    const gz = await fetchRaw(port, '/main-AB12CD34.js', { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.deepEqual(gunzipSync(gz.body), js);

    const refused = await fetchRaw(port, '/main-AB12CD34.js', {
      'accept-encoding': 'br;q=0, gzip',
    });
    assert.equal(refused.headers['content-encoding'], 'gzip', 'q=0 refuses brotli');
  });

  it('answers the plain bytes when the request accepts no encoding', async () => {
    const plain = await fetchRaw(port, '/main-AB12CD34.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['content-type'], 'text/javascript');
    assert.deepEqual(plain.body, js);
    assert.equal(pickEncoding('identity'), 'identity');
    assert.equal(pickEncoding('*'), 'br');
  });

  it('caches hashed bundles for a year and has index.html revalidated (304 on its ETag)', async () => {
    const asset = await fetchRaw(port, '/main-AB12CD34.js', { 'accept-encoding': 'br' });
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');

    // A client-side route (or a folder of the build) is index.html too, never cached unasked.
    for (const path of ['/', '/index.html', '/tasks/123', '/media']) {
      const page = await fetchRaw(port, path, { 'accept-encoding': 'gzip' });
      assert.equal(page.status, 200, path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
      assert.deepEqual(gunzipSync(page.body), html, path);
    }
    const first = await fetchRaw(port, '/sign-in', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    assert.match(etag, /^W\/".+"$/);
    const again = await fetchRaw(port, '/sign-in', {
      'accept-encoding': 'br',
      'if-none-match': etag,
    });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['cache-control'], 'no-cache');

    // A new build changes index.html: the old ETag no longer matches and the new page comes.
    const rebuilt = Buffer.concat([html, Buffer.from('<!-- rebuilt -->')]);
    writeFileSync(join(dir, 'index.html'), rebuilt);
    const changed = await fetchRaw(port, '/sign-in', { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body, rebuilt);
    assert.notEqual(changed.headers.etag, etag);
  });
});

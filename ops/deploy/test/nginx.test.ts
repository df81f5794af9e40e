/**
 * The client image's nginx configuration, run for real: Debian's nginx binary (unpacked by
 * install-tools.sh) with client/nginx/default.conf.template rendered as the image's entrypoint
 * does, in front of a stand-in api/socket server on loopback.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { readText, run, SCRATCH } from './lib.js';

const NGINX = process.env.NGINX_BIN ?? '';
const BUNDLE = Buffer.from(
  Array.from({ length: 300 }, (_, i) => `export const v${i} = "todo-${i}";`).join('\n'),
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createTcpServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Replaces only the variables the image sets, as the entrypoint's envsubst does. */
function renderTemplate(vars: Record<string, string>): string {
  let text = readText('client/nginx/default.conf.template');
  for (const [k, v] of Object.entries(vars)) text = text.split(`\${${k}}`).join(v);
  return text;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A GET whose body comes back as raw bytes (fetch would decode gzip and hide it). */
function rawGet(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
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

/** Sends a WebSocket upgrade request and answers the status line nginx sends back. */
function upgradeStatus(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: todo.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    s.setTimeout(5000, () => reject(new Error('upgrade timed out')));
    s.once('data', (chunk) => {
      resolve(chunk.toString().split('\r\n')[0] ?? '');
      s.destroy();
    });
    s.once('error', reject);
  });
}

describe(
  'client nginx configuration (real nginx)',
  { skip: NGINX ? false : 'no nginx binary' },
  () => {
    const dir = join(SCRATCH, 'nginx');
    let nginx: ChildProcess | null = null;
    let backend: Server | null = null;
    let port = 0;
    const base = () => `http://127.0.0.1:${port}`;

    before(async () => {
      mkdirSync(join(dir, 'html'), { recursive: true });
      writeFileSync(join(dir, 'html/index.html'), '<!doctype html><title>todo</title><app-root>');
      writeFileSync(join(dir, 'html/main-AB12CD34.js'), BUNDLE);
      // What the image's build step writes next to each bundle, for gzip_static to send.
      writeFileSync(join(dir, 'html/main-AB12CD34.js.gz'), gzipSync(BUNDLE, { level: 9 }));
      writeFileSync(join(dir, 'html/favicon.ico'), 'icon');
      backend = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            path: req.url,
            host: req.headers.host,
            fwd: req.headers['x-forwarded-for'],
          }),
        );
      });
      backend.on('upgrade', (_req, socket) => {
        socket.end(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        );
      });
      const backendPort = await freePort();
      await new Promise<void>((r) => backend?.listen(backendPort, '127.0.0.1', r));
      port = await freePort();
      const site = renderTemplate({
        API_UPSTREAM: `127.0.0.1:${backendPort}`,
        SOCKET_UPSTREAM_SERVERS: `server 127.0.0.1:${backendPort};`,
      })
        .replace('listen 8080;', `listen 127.0.0.1:${port};`)
        .replace('root /usr/share/nginx/html;', `root ${join(dir, 'html')};`);
      writeFileSync(join(dir, 'default.conf'), site);
      const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((t) => `${t}_temp_path ${join(dir, t)};`)
        .join('\n  ');
      writeFileSync(
        join(dir, 'nginx.conf'),
        `daemon off;\nmaster_process off;\nworker_processes 1;\npid ${join(dir, 'nginx.pid')};\n` +
          `error_log stderr warn;\nevents { worker_connections 64; }\nhttp {\n` +
          `  types { text/html html; application/javascript js; }\n  access_log off;\n  ${temp}\n` +
          `  include ${join(dir, 'default.conf')};\n}\n`,
      );
    });

    after(() => {
      nginx?.kill('SIGTERM');
      backend?.close();
    });

    it('the rendered configuration passes nginx -t', () => {
      const r = run(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', '/dev/stderr']);
      assert.equal(r.status, 0, r.stderr);
    });

    it('serves /health, the SPA with a fallback, and hashed assets as immutable', async () => {
      nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', '/dev/stderr'], {
        stdio: 'ignore',
      });
      await waitForPort(port, 5000);
      const health = await fetch(`${base()}/health`);
      assert.equal(health.status, 200);
      assert.equal((await health.text()).trim(), 'ok');
      const deep = await fetch(`${base()}/tasks/123`);
      assert.equal(deep.status, 200);
      assert.match(await deep.text(), /<app-root>/);
      assert.equal(deep.headers.get('cache-control'), 'no-cache');
      assert.equal(deep.headers.get('x-content-type-options'), 'nosniff');
      const asset = await fetch(`${base()}/main-AB12CD34.js`);
      assert.equal(asset.status, 200);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      // An unhashed file may change under the same name: revalidated, like index.html.
      const icon = await fetch(`${base()}/favicon.ico`);
      assert.equal(icon.headers.get('cache-control'), 'no-cache');
      const missing = await fetch(`${base()}/missing.js`);
      assert.equal(missing.status, 404, 'a missing asset is a 404, not index.html');
    });

    it('sends the precompressed gzip copy (Vary: Accept-Encoding) and 304 on a matching ETag', async () => {
      const gz = await rawGet(port, '/main-AB12CD34.js', { 'accept-encoding': 'gzip, br' });
      assert.equal(gz.status, 200);
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.match(String(gz.headers.vary), /Accept-Encoding/);
      assert.deepEqual(gunzipSync(gz.body), BUNDLE);
      // gzip_static sends the file as it is (a length); gzip on the fly would send chunks.
      assert.equal(gz.headers['content-length'], String(gzipSync(BUNDLE, { level: 9 }).length));
      const plain = await rawGet(port, '/main-AB12CD34.js', {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.deepEqual(plain.body, BUNDLE);
      const page = await rawGet(port, '/index.html', {});
      const etag = String(page.headers.etag);
      assert.ok(page.headers.etag, 'index.html has an ETag');
      const again = await rawGet(port, '/index.html', { 'if-none-match': etag });
      assert.equal(again.status, 304);
    });

    it('proxies /api/, /cal/ and /mcp to the api and /socket.io/ (polling and WebSocket upgrade) to the socket nodes', async () => {
      const api = await fetch(`${base()}/api/v1/tasks?limit=1`);
      assert.equal(api.status, 200);
      const body = (await api.json()) as { path: string; host: string; fwd: string };
      assert.equal(body.path, '/api/v1/tasks?limit=1');
      // The browser's Host reaches the api (not the upstream's name), minus the port.
      assert.equal(body.host, '127.0.0.1');
      assert.ok(body.fwd, 'X-Forwarded-For is set');
      const feed = await fetch(`${base()}/cal/todo_cal_x.ics`);
      assert.equal(((await feed.json()) as { path: string }).path, '/cal/todo_cal_x.ics');
      const mcp = await fetch(`${base()}/mcp`, { method: 'POST', body: '{}' });
      assert.equal(((await mcp.json()) as { path: string }).path, '/mcp');
      const polling = await fetch(`${base()}/socket.io/?EIO=4&transport=polling`);
      assert.equal(polling.status, 200);
      const status = await upgradeStatus(port, '/socket.io/?EIO=4&transport=websocket');
      assert.match(status, /^HTTP\/1\.1 101 /);
    });
  },
);

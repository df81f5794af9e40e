import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import type { ServiceDefinition } from './services.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * The one origin of the local stack (like the ingress in production): routes each path
 * prefix to its service, proxies WebSocket upgrades, serves the client build if present,
 * never exposes `/internal`, and answers `/health` and `/health/ready` for the whole system.
 */
export function createGateway(services: ServiceDefinition[], clientDir: string | null): Server {
  const proxy = createProxyServer({ xfwd: true });
  proxy.on('error', (_error, _req, res) => {
    if (res && 'writeHead' in res && !res.headersSent)
      sendJson(res, 502, { error: 'UNAVAILABLE', message: 'service unavailable' });
  });
  const targetOf = (url: string) =>
    services.find((s) => s.routes.some((prefix) => url.startsWith(prefix)));

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '/';
    if (url === '/health') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (url === '/health/ready') return sendJson(res, ...(await readiness(services)));
    if (url.startsWith('/internal'))
      return sendJson(res, 404, { error: 'NOT_FOUND', message: 'not found' });
    const service = targetOf(url);
    if (service) return proxy.web(req, res, { target: `http://127.0.0.1:${service.port}` });
    if (clientDir && serveStatic(clientDir, url, res)) return;
    sendJson(res, 404, { error: 'NOT_FOUND', message: `no route for ${req.method} ${url}` });
  }

  server.on('upgrade', (req, socket, head) => {
    const service = targetOf(req.url ?? '/');
    if (service?.websocket)
      proxy.ws(req, socket, head, { target: `http://127.0.0.1:${service.port}` });
    else socket.destroy();
  });
  return server;
}

async function readiness(services: ServiceDefinition[]): Promise<[number, unknown]> {
  const checks = await Promise.all(
    services.map(async (s) => {
      try {
        const response = await fetch(`http://127.0.0.1:${s.port}/health/ready`, {
          signal: AbortSignal.timeout(3000),
        });
        return [s.name, response.ok ? 'ready' : 'not-ready'] as const;
      } catch {
        return [s.name, 'down'] as const;
      }
    }),
  );
  const ready = checks.every(([, state]) => state === 'ready');
  return [
    ready ? 200 : 503,
    { status: ready ? 'ready' : 'not-ready', services: Object.fromEntries(checks) },
  ];
}

/** Serves the SPA: a file if it exists, else index.html for client-side routes. */
function serveStatic(dir: string, url: string, res: ServerResponse): boolean {
  const path = normalize(decodeURIComponent(url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
  let file = join(dir, path);
  if (!file.startsWith(dir) || !existsSync(file) || path.endsWith('/'))
    file = join(dir, 'index.html');
  if (!existsSync(file)) return false;
  res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
  return true;
}

import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { createProxyServer } from 'http-proxy-3';
import type { ErrorBody, ErrorCode } from '@todo/contracts';
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

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * An error the gateway answers itself, in the API's one error shape: a client parsing
 * `ErrorBody` must not meet a second shape just because the edge, not the api, refused.
 */
function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: ErrorCode,
  message: string,
): void {
  const given = req.headers['x-correlation-id'];
  const correlationId = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Correlation-Id', correlationId);
  sendJson(res, status, { error, message, correlationId } satisfies ErrorBody);
}

/** What the gateway asks the supervisor: is this service up, and every unit's state. */
export interface GatewaySupervision {
  state(name: string): string | undefined;
  snapshot(): Record<string, { state: string; restarts: number }>;
}

/**
 * A path the gateway refuses before routing: `.`/`..` segments, encoded dots, slashes or
 * backslashes, NUL, and empty segments. Prefix routing on a path that a later hop would
 * resolve differently (`/api/../metrics`) is how an edge gets walked around.
 */
export function unsafePath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith('/') || path.includes('//') || path.includes('\\')) return true;
  if (/%(2e|2f|5c|00)/i.test(path)) return true;
  return path.split('/').some((segment) => segment === '.' || segment === '..');
}

/**
 * The one origin of the local stack (like the ingress in production): routes each path
 * prefix to its service, proxies WebSocket upgrades, serves the client build if present,
 * never exposes `/internal` or any service's `/metrics`, refuses ambiguous paths with 400,
 * and answers `/health` and `/health/ready` for the whole system. Socket.IO is spread over
 * every socket node: a new connection goes to the next live node, and a long-polling
 * session's requests follow its `sid` (which names its node) — sticky per connection.
 */
export function createGateway(
  services: ServiceDefinition[],
  clientDir: string | null,
  supervision?: GatewaySupervision,
): Server {
  const proxy = createProxyServer({ xfwd: true });
  proxy.on('error', (_error, req, res) => {
    if (res && 'writeHead' in res && !res.headersSent)
      sendError(req, res, 503, 'UNAVAILABLE', 'service unavailable');
    else if (res && 'destroy' in res) res.destroy();
  });
  const socketNodes = services.filter((s) => s.websocket);
  const isUp = (s: ServiceDefinition) => (supervision?.state(s.name) ?? 'up') === 'up';
  let turn = 0;
  const pickSocketNode = (url: string): ServiceDefinition | undefined => {
    const sid = new URL(url, 'http://gateway').searchParams.get('sid');
    if (sid) return socketNodes.find((s) => sid.startsWith(`${s.name}.`));
    const live = socketNodes.filter(isUp);
    turn = (turn + 1) % Math.max(1, live.length);
    return live[turn];
  };
  const targetOf = (url: string) => {
    if (url.startsWith(SOCKET_PATH)) return pickSocketNode(url);
    return services.find((s) => s.routes.some((prefix) => url.startsWith(prefix)));
  };

  if (clientDir) precompress(clientDir);

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '/';
    if (unsafePath(url))
      return sendError(
        req,
        res,
        400,
        'BAD_PATH',
        'the path has dot segments, encoded separators or empty segments',
      );
    if (url === '/health') return sendJson(res, 200, { status: 'ok', service: 'gateway' });
    if (url === '/health/ready') return sendJson(res, ...(await readiness(services, supervision)));
    if (url.startsWith('/internal') || /^\/metrics(\/|\?|$)/.test(url))
      return sendError(req, res, 404, 'NOT_FOUND', 'not found');
    const service = targetOf(url);
    if (service) return proxy.web(req, res, { target: `http://127.0.0.1:${service.port}` });
    if (url.startsWith(SOCKET_PATH))
      return new URL(url, 'http://gateway').searchParams.has('sid')
        ? // Engine.IO's own answer to a session it does not know: the client starts a new one.
          sendJson(res, 400, { code: 1, message: 'Session ID unknown' })
        : sendError(req, res, 503, 'UNAVAILABLE', 'no socket node is up');
    if (clientDir && (await serveStatic(clientDir, url, req, res))) return;
    sendError(req, res, 404, 'NOT_FOUND', `no route for ${req.method} ${url}`);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '/';
    const service = unsafePath(url) ? undefined : targetOf(url);
    if (service?.websocket)
      proxy.ws(req, socket, head, { target: `http://127.0.0.1:${service.port}` });
    else socket.destroy();
  });
  return server;
}

const SOCKET_PATH = '/socket.io';

async function readiness(
  services: ServiceDefinition[],
  supervision?: GatewaySupervision,
): Promise<[number, unknown]> {
  const units = supervision?.snapshot() ?? {};
  const checks = await Promise.all(
    services.map(async (s) => {
      const state = units[s.name]?.state;
      if (state && state !== 'up') return [s.name, state] as const;
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
  // Redis and PostgreSQL under supervision count too: a dead one is not "ready".
  const infra = Object.entries(units)
    .filter(([name]) => !services.some((s) => s.name === name))
    .map(([name, unit]) => [name, unit.state === 'up' ? 'ready' : unit.state] as const);
  const all = [...infra, ...checks];
  const ready = all.every(([, state]) => state === 'ready');
  const restarting = all.some(([, state]) => state === 'restarting' || state === 'starting');
  const restarts = Object.fromEntries(
    Object.entries(units)
      .filter(([, u]) => u.restarts > 0)
      .map(([name, u]) => [name, u.restarts]),
  );
  return [
    ready ? 200 : 503,
    {
      status: ready ? 'ready' : restarting ? 'degraded' : 'not-ready',
      services: Object.fromEntries(all),
      ...(Object.keys(restarts).length ? { restarts } : {}),
    },
  ];
}

/** Text types worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.ico']);

/** Angular's build names every emitted bundle `name-HASH.ext`: its content never changes. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

interface StaticFile {
  mtimeMs: number;
  size: number;
  etag: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * One compressed copy per file, kept while the file on disk is unchanged (a rebuild changes
 * mtime/size): the client build is a few MB at most, and brotli at its top quality takes over
 * a second on the largest bundle — far too much per request. zlib's async calls run on the
 * thread pool, so compressing never stalls the proxied API and socket traffic.
 */
const staticCache = new Map<string, Promise<StaticFile>>();

async function loadStatic(file: string): Promise<StaticFile> {
  const { mtimeMs, size } = await stat(file);
  const cached = staticCache.get(file);
  if (cached) {
    const entry = await cached;
    if (entry.mtimeMs === mtimeMs && entry.size === size) return entry;
  }
  const loading = (async (): Promise<StaticFile> => {
    const identity = await readFile(file);
    const entry: StaticFile = {
      mtimeMs,
      size,
      identity,
      // Weak: the same validator for every encoding of the same bytes.
      etag: `W/"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    };
    if (COMPRESSIBLE.has(extname(file)) && identity.length >= 1024) {
      [entry.br, entry.gzip] = await Promise.all([
        brotli(identity, {
          params: {
            [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
            [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length,
          },
        }),
        gzipAsync(identity, { level: 9 }),
      ]);
    }
    return entry;
  })();
  staticCache.set(file, loading);
  loading.catch(() => staticCache.delete(file));
  return loading;
}

/** Compresses the whole build in the background at start, so no visitor waits for it. */
function precompress(dir: string): void {
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, name);
    if (COMPRESSIBLE.has(extname(file))) loadStatic(file).catch(() => undefined);
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The best encoding the request accepts (`q=0` refuses one): br, then gzip, else identity. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const quality = (name: string) => accepted.get(name) ?? (accepted.get('*') || 0);
  if (quality('br') > 0) return 'br';
  if (quality('gzip') > 0) return 'gzip';
  return 'identity';
}

/**
 * Serves the SPA: a file if it exists, else index.html for client-side routes. Compressed
 * (br/gzip by Accept-Encoding), hashed bundles cached for a year, everything else (index.html
 * above all, which names the current bundles) revalidated on every load with its ETag.
 */
async function serveStatic(
  dir: string,
  url: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = normalize(decodeURIComponent(url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
  let file = join(dir, path);
  if (!file.startsWith(dir) || !isFile(file) || path.endsWith('/')) file = join(dir, 'index.html');
  if (!isFile(file)) return false;
  const entry = await loadStatic(file);
  const headers: Record<string, string> = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'cache-control': HASHED.test(basename(file))
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    etag: entry.etag,
  };
  if (entry.br) headers.vary = 'Accept-Encoding';
  const ifNoneMatch = req.headers['if-none-match'];
  if (
    ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag.slice(2))
  ) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const encoding = entry.br ? pickEncoding(req.headers['accept-encoding']) : 'identity';
  const body = encoding === 'identity' ? entry.identity : (entry[encoding] ?? entry.identity);
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Router } from 'express';
import helmet from 'helmet';
import { NotFoundError } from '../../../domain/errors.js';
import { assembleDocument } from '../openapi/assemble.js';
import type { Operation } from '../openapi/operation.js';

/** The api's own version, from its package.json (same relative path from src/ and dist/). */
function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const DOCS = '/api/v1/docs';
/** The only files of swagger-ui-dist the page loads (served from this origin, no CDN). */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

/**
 * Swagger UI's start-up, inline in the page and allowed by its hash in this page's CSP (the
 * api's CSP allows no other inline script). Requests go to this origin (`servers: /`);
 * Authorize → bearerAuth takes the JWT. No validator badge: it would call an outside host.
 */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
  displayRequestDuration: true,
});`;
const INIT_HASH = `'sha256-${createHash('sha256').update(INIT_SCRIPT).digest('base64')}'`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Todo Chatbot API</title>
<link rel="icon" type="image/png" href="${DOCS}/assets/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS}/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS}/assets/swagger-ui-bundle.js"></script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;

/** The routes this router serves, for the method guard (they are not in the document). */
export const docsRoutes = [
  { path: '/api/v1/openapi.json', methods: ['GET'] },
  { path: DOCS, methods: ['GET'] },
  { path: `${DOCS}/assets/{file}`, methods: ['GET'] },
];

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document assembled from the routes' declarations) and
 * `GET /docs` (Swagger UI from swagger-ui-dist, with "try it out"). Public: mounted before
 * `requireUser`.
 */
export function docsRouter(operations: Operation[]): Router {
  const router = Router();
  let json: string | undefined;
  const document = () => (json ??= JSON.stringify(assembleDocument(operations, packageVersion())));

  router.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('application/json').send(document());
  });

  // helmet's default policy with one more script source: the hash of the start-up script.
  const pageCsp = helmet.contentSecurityPolicy({
    directives: { scriptSrc: ["'self'", INIT_HASH] },
  });
  router.get('/docs', pageCsp, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('html').send(PAGE);
  });

  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/docs/assets/:file', (req, res) => {
    const file = req.params.file;
    if (!ASSETS.has(file)) throw new NotFoundError('docs file');
    res.sendFile(file, { root: dist, maxAge: '1d' });
  });

  return router;
}

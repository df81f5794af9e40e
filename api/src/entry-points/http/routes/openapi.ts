import { createRequire } from 'node:module';
import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.js';
import { renderDocsPage } from '../openapi/html.js';

/** The api's own version, from its package.json (same relative path from src/ and dist/). */
function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (a readable page rendered on
 * the server, no script or CDN). Public: mounted before `requireUser`.
 */
export function openapiRouter(): Router {
  const router = Router();
  let json: string | undefined;
  let html: string | undefined;
  const built = () => {
    if (json === undefined || html === undefined) {
      const document = buildOpenApiDocument(packageVersion());
      json = JSON.stringify(document);
      html = renderDocsPage(document, '/api/v1/openapi.json');
    }
    return { json, html };
  };

  router.get('/openapi.json', (_req, res) => {
    res
      .setHeader('Cache-Control', 'public, max-age=300')
      .type('application/json')
      .send(built().json);
  });

  router.get('/docs', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300').type('html').send(built().html);
  });

  return router;
}

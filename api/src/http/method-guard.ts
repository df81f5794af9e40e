import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from './errors.js';

/** A path template (`/api/v1/tasks/{id}` or `/api/auth/callback/:id`) and its methods. */
export interface KnownRoute {
  path: string;
  methods: string[];
}

interface CompiledRoute {
  pattern: RegExp;
  methods: Set<string>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(route: KnownRoute): CompiledRoute {
  const source = route.path
    .split('/')
    .map((segment) => (/^(\{[^}]+\}|:.+)$/.test(segment) ? '[^/]+' : escape(segment)))
    .join('/');
  const methods = new Set(route.methods.map((m) => m.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  return { pattern: new RegExp(`^${source}/?$`), methods };
}

/**
 * The methods a path has, from the routes the api documents (the OpenAPI operations, which a
 * test keeps equal to the Express routers) and Better Auth's endpoints; null for an unknown
 * path. Several templates can match one path (`/tasks/changes` and `/tasks/{id}`): Express
 * would route either, so their methods are merged.
 */
export function allowedMethods(routes: KnownRoute[]) {
  const compiled = routes.map(compile);
  return (path: string): string[] | null => {
    const matching = compiled.filter((route) => route.pattern.test(path));
    if (!matching.length) return null;
    return [...new Set(matching.flatMap((route) => [...route.methods]))].sort();
  };
}

/**
 * 405 with `Allow` for a method a known path does not have, so that `TRACE /api/auth/token`
 * or `PUT /api/v1/tasks` is named for what it is instead of a 404 (or a 500 from a framework
 * that cannot represent the method). Mounted before Better Auth for its paths, and after the
 * api's routers for theirs (catching whatever they did not answer).
 */
export function methodGuard(routes: KnownRoute[]): RequestHandler {
  const allowed = allowedMethods(routes);
  return (req, _res, next) => {
    const methods = allowed(req.path);
    if (methods && !methods.includes(req.method)) {
      throw new MethodNotAllowedError(req.method, req.path, methods);
    }
    next();
  };
}

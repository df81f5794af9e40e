import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors.js';

/** A path template (`/api/v1/tasks/{id}` or `/api/auth/callback/:id`) and its methods. */
export interface KnownRoute {
  path: string;
  methods: string[];
}

interface CompiledRoute {
  pattern: RegExp;
  methods: Set<string>;
  /** No parameter segment: `/tasks/changes` rather than `/tasks/{id}`. */
  literal: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(route: KnownRoute): CompiledRoute {
  const source = route.path
    .split('/')
    .map((segment) => (/^(\{[^}]+\}|:.+)$/.test(segment) ? '[^/]+' : escape(segment)))
    .join('/');
  const methods = new Set(route.methods.map((m) => m.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  return {
    pattern: new RegExp(`^${source}/?$`),
    methods,
    literal: !/\{[^}]+\}|\/:/.test(route.path),
  };
}

/**
 * The methods a path has, from the routes the api documents (the OpenAPI operations, which a
 * test keeps equal to the Express routers) and Better Auth's endpoints; null for an unknown
 * path. A literal path wins over a template (`/tasks/changes` is not a `/tasks/{id}`).
 */
export function allowedMethods(routes: KnownRoute[]) {
  const compiled = routes.map(compile);
  return (path: string): string[] | null => {
    const all = compiled.filter((route) => route.pattern.test(path));
    const literal = all.filter((route) => route.literal);
    const matching = literal.length ? literal : all;
    if (!matching.length) return null;
    return [...new Set(matching.flatMap((route) => [...route.methods]))].sort();
  };
}

/**
 * 405 with `Allow` for a method a known path does not have, so that `TRACE /api/auth/token`
 * or `PUT /api/v1/tasks` is named for what it is instead of a 404 (or a 500 from a framework
 * that cannot represent the method). Mounted in front of Better Auth and of the api's routers
 * (so `PATCH /tasks/changes` is a 405, not a `/tasks/{id}` with a bad id).
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

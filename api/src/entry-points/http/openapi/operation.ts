import { Router, type RequestHandler } from 'express';
import type Joi from 'joi';

/**
 * What a route declares about itself, next to its handler: the OpenAPI operation it is. The
 * schemas are the `@todo/contracts` joi schemas the handler validates with and answers in;
 * `assemble.ts` turns the declarations into the OpenAPI document.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

export interface RequestExample {
  summary: string;
  value: unknown;
}

export interface Operation {
  method: Method;
  /** OpenAPI path, `{param}` style, from the server root. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  /** For a tool caller as much as a person: ≤ 300 characters. */
  description: string;
  /** Path parameters (a joi object); field descriptions become parameter descriptions. */
  params?: Joi.ObjectSchema;
  /** Query parameters (a joi object). */
  query?: Joi.ObjectSchema;
  /** The JSON body: the joi schema the route validates with, its component name, examples. */
  body?: { name: string; schema: Joi.Schema; examples: Record<string, RequestExample> };
  /** A file as the body rather than JSON (an import): its media types, what it holds. */
  rawBody?: { contentTypes: string[]; description: string; example: string };
  /** Accepts `If-Match: "<version>"` (409 when stale). */
  ifMatch?: boolean;
  /** Accepts `Idempotency-Key` (ADR 230): a retry answers the same and changes nothing again. */
  idempotent?: boolean;
  /** The success answer; `schema` is a contracts response schema (its `id` names the component). */
  success: {
    status: 200 | 201 | 202 | 204;
    description: string;
    schema?: Joi.Schema;
    /** A file answered instead of JSON (e.g. `text/csv`), with a download name. */
    mediaType?: string;
    etag?: boolean;
  };
  errors: ErrorStatus[];
  /** Better Auth's own errors (`AuthError` bodies), with what each status means. */
  authErrors?: Record<number, string>;
  /** Omitted = bearer JWT or personal access token; `[]` = public. */
  security?: Record<string, string[]>[];
}

/** Errors every authenticated `/api/v1` operation can answer (503: the session is checked in the database). */
export const AUTHED: ErrorStatus[] = [401, 429, 503];
/** Errors of an operation with a JSON body. */
export const WITH_BODY: ErrorStatus[] = [400, 413, 415];

/** What the declaration leaves to the route: its method and path. */
export type Declaration = Omit<Operation, 'method' | 'path'>;

export interface DocumentedRouter {
  router: Router;
  operations: Operation[];
  /** Registers `handlers` for `method path` and records the operation they implement. */
  route(
    method: Method,
    path: string,
    declaration: Declaration,
    ...handlers: RequestHandler[]
  ): void;
}

/**
 * An Express router whose routes carry their OpenAPI declaration. `base` is where it is
 * mounted (e.g. `/api/v1/tasks`); Express `:id` becomes OpenAPI `{id}`.
 */
export function documentedRouter(base: string): DocumentedRouter {
  const router = Router();
  const operations: Operation[] = [];
  return {
    router,
    operations,
    route(method, path, declaration, ...handlers) {
      router[method](path, ...handlers);
      const full = `${base}${path === '/' ? '' : path}`.replace(/:(\w+)/g, '{$1}');
      operations.push({ method, path: full, ...declaration });
    },
  };
}

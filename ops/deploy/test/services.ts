/**
 * What the deploy files must agree with: the services' own config modules, read at test time,
 * so a renamed variable in the code fails these tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exists, ROOT } from './lib.js';

export type ServiceName = 'api' | 'workers' | 'socket';
export const SERVICE_NAMES: ServiceName[] = ['api', 'workers', 'socket'];

export const PORTS: Record<ServiceName | 'client', number> = {
  api: 3000,
  workers: 3001,
  socket: 3002,
  client: 8080,
};

/** Set by the images themselves (Dockerfile ENV), so allowed whatever the config module says. */
export const IMAGE_ENV = ['NODE_ENV'];

/** Stand-ins for values that come from the Kubernetes Secret, shaped as production ones are. */
export const SECRET_PLACEHOLDERS: Record<string, string> = {
  DATABASE_URL: 'postgres://todo:placeholder@db.internal:25060/todo?sslmode=require',
  REDIS_URL: 'rediss://default:placeholder@redis.internal:25061',
  BETTER_AUTH_SECRET: 'p'.repeat(48),
  BULL_BOARD_PASSWORD: 'b'.repeat(24),
  LLM_API_KEY: 'sk-placeholder',
  APP_API_TOKEN: 'a'.repeat(32),
  SMTP_URL: 'smtp://apikey:placeholder@smtp.sendgrid.net:587?requireTLS=true',
  UNSUBSCRIBE_SECRET: 'u'.repeat(48),
  VAPID_PUBLIC_KEY: 'B' + 'A'.repeat(86),
  VAPID_PRIVATE_KEY: 'A'.repeat(43),
};

interface JoiDescription {
  type?: string;
  keys?: Record<string, { flags?: { default?: unknown; presence?: string } }>;
}
interface JoiValidationError {
  details: { message: string; type: string; context?: { key?: string } }[];
}
interface JoiObjectSchema {
  type: string;
  describe(): JoiDescription;
  validate(value: unknown, options?: Record<string, unknown>): { error?: JoiValidationError };
}

function isJoiObjectSchema(value: unknown): value is JoiObjectSchema {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<JoiObjectSchema>;
  return (
    v.type === 'object' && typeof v.describe === 'function' && typeof v.validate === 'function'
  );
}

export interface ServiceConfig {
  service: ServiceName;
  file: string;
  /** Every variable name the module knows. */
  keys: Set<string>;
  /** Defaults, as the schema declares them (PORT, ...). */
  defaults: Map<string, unknown>;
  /** Validates an environment as the service would at start-up; answers the error messages. */
  validate: (env: Record<string, string>) => string[];
  /** Variables a production start (NODE_ENV=production) cannot do without. */
  requiredInProduction: string[];
}

const cache = new Map<ServiceName, ServiceConfig>();

/** The service's config module (`<service>/src/config.ts`) and the joi object schema it exports. */
export async function loadServiceConfig(service: ServiceName): Promise<ServiceConfig> {
  const cached = cache.get(service);
  if (cached) return cached;
  const file = `${service}/src/config.ts`;
  if (!exists(file)) throw new Error(`${file} is missing: every service validates its env there`);
  const mod = (await import(pathToFileURL(join(ROOT, file)).href)) as Record<string, unknown>;
  const schema = Object.values(mod).find(isJoiObjectSchema);
  if (!schema) throw new Error(`${file} exports no joi object schema of its env`);
  const keys = schema.describe().keys ?? {};
  const defaults = new Map<string, unknown>();
  for (const [k, d] of Object.entries(keys)) {
    if (d.flags && 'default' in d.flags) defaults.set(k, d.flags.default);
  }
  const validate = (env: Record<string, string>): string[] =>
    schema
      .validate(env, { abortEarly: false, convert: true })
      .error?.details.map((d) => d.message) ?? [];
  const missing = schema.validate({ NODE_ENV: 'production' }, { abortEarly: false }).error;
  const requiredInProduction = (missing?.details ?? [])
    .filter((d) => d.type === 'any.required')
    .map((d) => d.context?.key ?? '')
    .filter(Boolean);
  const result: ServiceConfig = {
    service,
    file,
    keys: new Set(Object.keys(keys)),
    defaults,
    validate,
    requiredInProduction,
  };
  cache.set(service, result);
  return result;
}

/** The names a deploy file may set for a service: its config module's, and the images' own. */
export async function knownEnv(
  service: ServiceName,
): Promise<{ names: Set<string>; source: string }> {
  const config = await loadServiceConfig(service);
  return { names: new Set([...config.keys, ...IMAGE_ENV]), source: config.file };
}

/** Source files of a service, tests excluded. */
function sourceFiles(service: ServiceName): string[] {
  const dir = join(ROOT, service, 'src');
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface DeclaredTopics {
  /**
   * Topics the code hands to a publisher or the outbox: `enqueue(…, TOPICS.x…)`, `publish(…)`,
   * a `TOPICS.x` bound into an `INSERT INTO outbox` statement, or paired with an outbox event
   * (`{ topic: TOPICS.x, event }`).
   */
  publishes: Set<string>;
  /**
   * Topics in the code's Dapr subscription entries (`{ pubsubname, topic: TOPICS.x, route }`, or
   * a `TopicSubscription` or `daprSubscriber({ subscriptions })` of @todo/platform).
   */
  subscribes: Set<string>;
}

/**
 * Reads which topics a service publishes and subscribes to from its source, so the pub/sub
 * scoping of the Dapr components follows the code rather than a list kept by hand.
 */
export function declaredTopics(
  service: ServiceName,
  topics: Record<string, string>,
): DeclaredTopics {
  const result: DeclaredTopics = { publishes: new Set(), subscribes: new Set() };
  const name = (key: string | undefined): string => topics[key ?? ''] ?? `TOPICS.${key ?? '?'}`;
  for (const file of sourceFiles(service)) {
    const text = readFileSync(file, 'utf8');
    // Every topic named inside a publishing call, up to the end of its statement, bound
    // into a statement that inserts outbox rows, or paired with an event the outbox writer
    // hands to the task repository's statement (`{ topic: TOPICS.x, event }`).
    const publishing = [
      ...text.matchAll(/\b(?:enqueue|publish\w*)\(([^;]*)/g),
      ...text.matchAll(/INSERT INTO outbox[\s\S]*?\bbind:\s*\[([^\]]*)\]/g),
      ...text.matchAll(/\{\s*(topic:\s*TOPICS\.\w+),\s*event:/g),
    ];
    for (const call of publishing) {
      for (const m of (call[1] ?? '').matchAll(/TOPICS\.(\w+)/g)) result.publishes.add(name(m[1]));
    }
    // A subscription entry: Dapr's own shape, or the platform's TopicSubscription.
    if (/pubsubname\s*:|\bTopicSubscription\b|\bdaprSubscriber\(/.test(text)) {
      for (const m of text.matchAll(/\btopic\s*(?::|=)\s*TOPICS\.(\w+)/g)) {
        result.subscribes.add(name(m[1]));
      }
    }
  }
  return result;
}

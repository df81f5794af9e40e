/**
 * The metadata fields Dapr documents for the component types this project uses (docs.dapr.io,
 * "Component specs" reference pages, read for Dapr 1.16), plus the generic fields every
 * pub/sub and state store accepts. A component may use only these names; the required ones
 * must be there.
 */
import { TOPICS } from '@todo/contracts';
import { arr, at, isObject, str, type JsonObject } from './lib.js';

/** Who subscribes to what (docs/architecture.md). */
export const EXPECTED_SUBSCRIPTIONS: Record<string, string[]> = {
  api: [TOPICS.reminders, TOPICS.occurrences],
  workers: [TOPICS.taskEvents],
  socket: [TOPICS.taskUpdates, TOPICS.notifications],
};

interface ComponentSpec {
  required: string[];
  optional: string[];
  /** Fields that carry credentials: they must come from a secretKeyRef, never a value. */
  secret: string[];
}

const PUBSUB_GENERIC = [
  'consumerID',
  'allowedTopics',
  'publishingScopes',
  'subscriptionScopes',
  'protectedTopics',
];
const STATE_GENERIC = ['keyPrefix', 'actorStateStore'];

export const DAPR_COMPONENTS: Record<string, ComponentSpec> = {
  'pubsub.kafka': {
    required: ['brokers', 'authType'],
    optional: [
      ...PUBSUB_GENERIC,
      'consumerGroup',
      'clientID',
      'authRequired',
      'saslUsername',
      'saslPassword',
      'saslMechanism',
      'initialOffset',
      'maxMessageBytes',
      'consumeRetryInterval',
      'consumeRetryEnabled',
      'version',
      'caCert',
      'clientCert',
      'clientKey',
      'skipVerify',
      'disableTls',
      'oidcTokenEndpoint',
      'oidcClientID',
      'oidcClientSecret',
      'oidcScopes',
      'oidcExtensions',
      'schemaRegistryURL',
      'schemaRegistryAPIKey',
      'schemaRegistryAPISecret',
      'schemaCachingEnabled',
      'schemaLatestVersionCacheTTL',
      'useAvroJson',
      'clientConnectionTopicMetadataRefreshInterval',
      'clientConnectionKeepAliveInterval',
      'consumerFetchMin',
      'consumerFetchDefault',
      'channelBufferSize',
      'heartbeatInterval',
      'sessionTimeout',
      'consumerGroupRebalanceStrategy',
      'escapeHeaders',
    ],
    secret: [
      'saslUsername',
      'saslPassword',
      'clientKey',
      'oidcClientSecret',
      'schemaRegistryAPISecret',
    ],
  },
  'state.redis': {
    required: ['redisHost', 'redisPassword'],
    optional: [
      ...STATE_GENERIC,
      'redisUsername',
      'enableTLS',
      'maxRetries',
      'maxRetryBackoff',
      'failover',
      'sentinelMasterName',
      'redeliverInterval',
      'processingTimeout',
      'redisType',
      'redisDB',
      'redisMaxRetries',
      'redisMinRetryInterval',
      'redisMaxRetryInterval',
      'dialTimeout',
      'readTimeout',
      'writeTimeout',
      'poolSize',
      'poolTimeout',
      'maxConnAge',
      'minIdleConns',
      'idleCheckFrequency',
      'idleTimeout',
      'ttlInSeconds',
      'queryIndexes',
    ],
    secret: ['redisPassword'],
  },
  'secretstores.kubernetes': {
    required: [],
    optional: ['defaultNamespace', 'kubeconfigPath'],
    secret: [],
  },
  'secretstores.local.env': { required: [], optional: ['prefix'], secret: [] },
};

/** Dapr's kafka component knows these spellings; anything else silently becomes PLAIN. */
export const KAFKA_SASL_MECHANISMS = ['SHA-256', 'SHA-512'];
export const KAFKA_AUTH_TYPES = ['none', 'password', 'mtls', 'oidc', 'awsiam', 'certificate'];

export interface MetadataItem {
  name: string;
  value?: string;
  secretKeyRef?: { name: string; key: string };
}

export function metadataOf(component: JsonObject): MetadataItem[] {
  return arr(at(component, 'spec.metadata'))
    .filter(isObject)
    .map((m) => {
      const item: MetadataItem = { name: str(m.name) ?? '' };
      if (m.value !== undefined && m.value !== null) item.value = String(m.value);
      const ref = m.secretKeyRef;
      if (isObject(ref)) item.secretKeyRef = { name: str(ref.name) ?? '', key: str(ref.key) ?? '' };
      return item;
    });
}

export function metadataValue(component: JsonObject, name: string): string | undefined {
  return metadataOf(component).find((m) => m.name === name)?.value;
}

/**
 * Problems of one Component against the documented fields; `stores` are the secret store
 * components deployed beside it (name → type).
 */
export function componentProblems(component: JsonObject, stores: Map<string, string>): string[] {
  const problems: string[] = [];
  const name = str(at(component, 'metadata.name')) ?? '?';
  if (str(component.apiVersion) !== 'dapr.io/v1alpha1') problems.push(`${name}: apiVersion`);
  if (str(component.kind) !== 'Component') problems.push(`${name}: kind`);
  const type = str(at(component, 'spec.type')) ?? '';
  if (str(at(component, 'spec.version')) !== 'v1') problems.push(`${name}: spec.version is not v1`);
  const spec = DAPR_COMPONENTS[type];
  if (!spec) return [...problems, `${name}: type ${type} is not one this project documents`];
  const items = metadataOf(component);
  const names = items.map((m) => m.name);
  const known = new Set([...spec.required, ...spec.optional]);
  for (const n of names) if (!known.has(n)) problems.push(`${name}: ${type} has no field "${n}"`);
  for (const n of spec.required) if (!names.includes(n)) problems.push(`${name}: "${n}" missing`);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) problems.push(`${name}: duplicate fields ${dupes.join(', ')}`);
  for (const m of items) {
    if ((m.value === undefined) === (m.secretKeyRef === undefined)) {
      problems.push(`${name}: "${m.name}" needs exactly one of value and secretKeyRef`);
    }
    if (spec.secret.includes(m.name) && m.secretKeyRef === undefined) {
      problems.push(`${name}: "${m.name}" is a credential but is not a secretKeyRef`);
    }
  }
  if (items.some((m) => m.secretKeyRef)) {
    const store = str(at(component, 'auth.secretStore'));
    if (!store) problems.push(`${name}: uses secretKeyRef without auth.secretStore`);
    else if (!stores.has(store)) problems.push(`${name}: secret store "${store}" is not deployed`);
  }
  if (type === 'pubsub.kafka') {
    const authType = metadataValue(component, 'authType') ?? '';
    if (!KAFKA_AUTH_TYPES.includes(authType)) problems.push(`${name}: authType "${authType}"`);
    if (authType === 'password') {
      const mech = metadataValue(component, 'saslMechanism') ?? '(unset: PLAIN)';
      if (!KAFKA_SASL_MECHANISMS.includes(mech)) {
        problems.push(`${name}: saslMechanism ${mech} is not SHA-256/SHA-512`);
      }
      for (const f of ['saslUsername', 'saslPassword']) {
        if (!names.includes(f)) problems.push(`${name}: authType password needs ${f}`);
      }
    }
  }
  return problems;
}

/** name → type of the secret store components among the documents. */
export function secretStores(docs: JsonObject[]): Map<string, string> {
  const stores = new Map<string, string>();
  for (const d of docs) {
    const type = str(at(d, 'spec.type')) ?? '';
    if (str(d.kind) === 'Component' && type.startsWith('secretstores.')) {
      stores.set(str(at(d, 'metadata.name')) ?? '', type);
    }
  }
  return stores;
}

/** Parses "app=t1,t2;app2=" scoping metadata into app → topics. */
export function parseScopes(value: string | undefined): Map<string, string[]> {
  const scopes = new Map<string, string[]>();
  for (const part of (value ?? '').split(';')) {
    if (!part.trim()) continue;
    const [app, topics = ''] = part.split('=');
    scopes.set(
      (app ?? '').trim(),
      topics
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    );
  }
  return scopes;
}

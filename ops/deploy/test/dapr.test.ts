/** dapr/: the local components and configuration docker-compose mounts into every daprd. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_PUBSUB_NAME, TOPICS, TOPIC_PARTITIONS } from '@todo/contracts';
import {
  componentProblems,
  EXPECTED_SUBSCRIPTIONS,
  metadataValue,
  parseScopes,
  secretStores,
} from './dapr-metadata.js';
import { at, nameOf, readYamlDocs, ROOT, str, type JsonObject } from './lib.js';
import { declaredTopics, SERVICE_NAMES } from './services.js';

const files = readdirSync(join(ROOT, 'dapr/components')).filter((f) => /\.ya?ml$/.test(f));
const components: JsonObject[] = files.flatMap((f) => readYamlDocs(`dapr/components/${f}`));

describe('dapr/ local components', () => {
  it('every file parses as Dapr Component objects with unique names', () => {
    assert.ok(files.length >= 3, `component files: ${files.join(', ')}`);
    assert.equal(components.length, files.length, 'one component per file');
    const names = components.map(nameOf);
    assert.deepEqual([...new Set(names)].sort(), [...names].sort());
  });

  it('carry only the metadata fields Dapr documents for their types, required ones included', () => {
    const stores = secretStores(components);
    const problems = components.flatMap((c) => componentProblems(c, stores));
    assert.deepEqual(problems, []);
  });

  it('has a pubsub.kafka named as the services expect, to Redpanda, for exactly the contract topics', () => {
    const pubsub = components.find((c) => nameOf(c) === DEFAULT_PUBSUB_NAME);
    assert.ok(pubsub, `a component named ${DEFAULT_PUBSUB_NAME}`);
    assert.equal(str(at(pubsub, 'spec.type')), 'pubsub.kafka');
    assert.equal(metadataValue(pubsub, 'brokers'), 'redpanda:9092');
    const allowed = (metadataValue(pubsub, 'allowedTopics') ?? '').split(',').sort();
    assert.deepEqual(allowed, Object.keys(TOPIC_PARTITIONS).sort());
    assert.equal(metadataValue(pubsub, 'initialOffset'), 'oldest');
  });

  it('scopes subscriptions to the services that consume each topic', () => {
    const pubsub = components.find((c) => nameOf(c) === DEFAULT_PUBSUB_NAME);
    assert.ok(pubsub);
    const subs = parseScopes(metadataValue(pubsub, 'subscriptionScopes'));
    for (const [app, topics] of Object.entries(EXPECTED_SUBSCRIPTIONS)) {
      assert.deepEqual((subs.get(app) ?? []).sort(), [...topics].sort(), `subscriptions of ${app}`);
    }
    const pubs = parseScopes(metadataValue(pubsub, 'publishingScopes'));
    for (const app of SERVICE_NAMES) {
      assert.ok(pubs.has(app) && subs.has(app), `${app} is named in both scopes`);
    }
  });

  it("scopes follow the topics each service's code publishes and subscribes to", () => {
    const pubsub = components.find((c) => nameOf(c) === DEFAULT_PUBSUB_NAME);
    assert.ok(pubsub);
    const pubs = parseScopes(metadataValue(pubsub, 'publishingScopes'));
    const subs = parseScopes(metadataValue(pubsub, 'subscriptionScopes'));
    const topicNames: Record<string, string> = { ...TOPICS };
    for (const app of SERVICE_NAMES) {
      const code = declaredTopics(app, topicNames);
      for (const t of code.publishes) {
        assert.ok(pubs.get(app)?.includes(t), `${app} publishes ${t}: publishingScopes allow it`);
      }
      assert.deepEqual([...code.subscribes].sort(), (subs.get(app) ?? []).sort(), `${app} subs`);
    }
    // Every topic has one producer: the api's outbox, or the workers' jobs (ADR 120).
    const api = declaredTopics('api', topicNames);
    const workers = declaredTopics('workers', topicNames);
    assert.deepEqual(
      [...api.publishes].sort(),
      [TOPICS.notifications, TOPICS.taskEvents, TOPICS.taskUpdates].sort(),
    );
    assert.deepEqual([...workers.publishes].sort(), [TOPICS.occurrences, TOPICS.reminders].sort());
  });

  it('has a state.redis and a local secret store that the state store reads its password from', () => {
    const state = components.find((c) => str(at(c, 'spec.type')) === 'state.redis');
    assert.ok(state, 'a state.redis component');
    const store = str(at(state, 'auth.secretStore'));
    const local = components.find((c) => nameOf(c) === store);
    assert.match(str(at(local, 'spec.type')) ?? '', /^secretstores\.local\./);
  });

  it('config.yaml is a Dapr Configuration with W3C tracing', () => {
    const [config] = readYamlDocs('dapr/config.yaml');
    assert.ok(config);
    assert.equal(str(config.kind), 'Configuration');
    assert.equal(str(config.apiVersion), 'dapr.io/v1alpha1');
    const rate = Number(str(at(config, 'spec.tracing.samplingRate')));
    assert.ok(rate > 0 && rate <= 1, `samplingRate ${rate}`);
  });
});

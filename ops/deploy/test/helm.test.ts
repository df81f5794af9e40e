/** helm/todo-chatbot with its default values and with helm/values-doks.yaml. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PUBSUB_NAME, TOPIC_PARTITIONS } from '@todo/contracts';
import {
  componentProblems,
  EXPECTED_SUBSCRIPTIONS,
  KAFKA_SASL_MECHANISMS,
  metadataOf,
  metadataValue,
  parseScopes,
  secretStores,
} from './dapr-metadata.js';
import {
  arr,
  at,
  CHART,
  containersOf,
  DOKS_VALUES,
  envOf,
  findNamed,
  helmTemplate,
  isObject,
  KUBE_VERSIONS,
  kindOf,
  nameOf,
  obj,
  ofKind,
  readText,
  readYamlDocs,
  RENDER_KUBE_VERSION,
  run,
  str,
  tool,
  VALUE_SETS,
  type JsonObject,
} from './lib.js';
import {
  knownEnv,
  loadServiceConfig,
  PORTS,
  SECRET_PLACEHOLDERS,
  SERVICE_NAMES,
  type ServiceName,
} from './services.js';

const DAPR_APPS: ServiceName[] = ['api', 'workers', 'socket'];
const ALL = ['api', 'workers', 'socket', 'client'] as const;
const SECRETISH = /SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|PRIVATE|CREDENTIAL|API_KEY/i;

function deployment(docs: JsonObject[], component: string): JsonObject {
  return findNamed(docs, 'Deployment', `-${component}`);
}

function mainContainer(docs: JsonObject[], component: string): JsonObject {
  const c = containersOf(deployment(docs, component))[0];
  assert.ok(c, `${component} has a container`);
  return c;
}

describe('helm lint', () => {
  for (const set of VALUE_SETS) {
    it(`passes --strict with ${set.label}`, () => {
      const args = ['lint', CHART, '--strict', ...set.files.flatMap((f) => ['-f', f])];
      const r = run(tool('HELM_BIN'), args);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    });
  }
});

for (const set of VALUE_SETS) {
  describe(`helm template with ${set.label}`, () => {
    const rendered = helmTemplate(set.files);
    const docs = rendered.docs;

    it(`validates against the Kubernetes ${KUBE_VERSIONS.join(' and ')} schemas (strict)`, () => {
      const args = ['--strict', ...KUBE_VERSIONS.flatMap((v) => ['-k', v]), rendered.file];
      const r = run(tool('KUBERNETES_VALIDATE_BIN'), args);
      const lines = r.stdout.split('\n').filter(Boolean);
      const errors = lines.filter((l) => !l.startsWith('INFO') && !l.startsWith('WARN'));
      assert.deepEqual(errors, [], r.stderr);
      assert.equal(r.status, 0);
      // Only Dapr's custom resources have no schema there; they are checked below instead.
      const warned = lines.filter((l) => l.startsWith('WARN'));
      for (const w of warned) assert.match(w, /api version dapr\.io\/v1alpha1/);
      const builtIn = docs.filter((d) => !str(d.apiVersion)?.startsWith('dapr.io/'));
      const passed = lines.filter((l) => l.startsWith('INFO') && l.includes(' passed '));
      assert.equal(passed.length, builtIn.length * KUBE_VERSIONS.length);
    });

    it('renders a Deployment, Service and PodDisruptionBudget per component', () => {
      for (const c of ALL) {
        deployment(docs, c);
        findNamed(docs, 'Service', `-${c}`);
        findNamed(docs, 'PodDisruptionBudget', `-${c}`);
      }
    });

    it('probes: startup and liveness on /health, readiness on /health/ready (client: /health)', () => {
      for (const c of ALL) {
        const container = mainContainer(docs, c);
        const ready = c === 'client' ? '/health' : '/health/ready';
        assert.equal(str(at(container, 'livenessProbe.httpGet.path')), '/health', c);
        assert.equal(str(at(container, 'startupProbe.httpGet.path')), '/health', c);
        assert.equal(str(at(container, 'readinessProbe.httpGet.path')), ready, c);
        assert.equal(at(container, 'ports.0.containerPort'), PORTS[c], `${c} port`);
      }
    });

    it('rolling updates with maxUnavailable 0 and a preStop drain inside the grace period', () => {
      for (const c of ALL) {
        const d = deployment(docs, c);
        assert.equal(str(at(d, 'spec.strategy.type')), 'RollingUpdate', c);
        assert.equal(at(d, 'spec.strategy.rollingUpdate.maxUnavailable'), 0, c);
        const surge = at(d, 'spec.strategy.rollingUpdate.maxSurge');
        assert.ok(surge === 1 || (typeof surge === 'string' && surge !== '0%'), `${c} surge`);
        const preStop = arr(at(mainContainer(docs, c), 'lifecycle.preStop.exec.command'));
        assert.equal(preStop[0], 'sleep', `${c} preStop`);
        const sleep = Number(preStop[1]);
        const grace = Number(at(d, 'spec.template.spec.terminationGracePeriodSeconds'));
        assert.ok(sleep >= 5 && grace > sleep + 20, `${c}: preStop ${sleep}s, grace ${grace}s`);
        const dapr = obj(at(d, 'spec.template.metadata.annotations'));
        if (dapr['dapr.io/enabled'] === 'true') {
          const daprGrace = Number(dapr['dapr.io/graceful-shutdown-seconds']);
          assert.ok(daprGrace < grace, `${c}: daprd shutdown ${daprGrace}s < grace ${grace}s`);
        }
      }
    });

    it('api, workers and socket carry the Dapr annotations (app id, port, config)', () => {
      const config = ofKind(docs, 'Configuration').map(nameOf);
      for (const c of DAPR_APPS) {
        const a = obj(at(deployment(docs, c), 'spec.template.metadata.annotations'));
        assert.equal(a['dapr.io/enabled'], 'true', c);
        assert.equal(a['dapr.io/app-id'], c);
        assert.equal(a['dapr.io/app-port'], String(PORTS[c]), `${c} app-port`);
        assert.ok(config.includes(str(a['dapr.io/config']) ?? ''), `${c} config is rendered`);
        // Pub/sub only: no connection to Placement (actors) or Scheduler (jobs, workflows).
        assert.equal(a['dapr.io/placement-host-address'], '', `${c} placement off`);
        assert.equal(a['dapr.io/scheduler-host-address'], '', `${c} scheduler off`);
      }
      const client = obj(at(deployment(docs, 'client'), 'spec.template.metadata.annotations'));
      assert.notEqual(client['dapr.io/enabled'], 'true', 'the static client needs no sidecar');
    });

    it('every Dapr-enabled Deployment has its sidecar send the app API token the subscribers demand', () => {
      const daprEnabled = ofKind(docs, 'Deployment').filter(
        (d) => obj(at(d, 'spec.template.metadata.annotations'))['dapr.io/enabled'] === 'true',
      );
      assert.equal(daprEnabled.length, DAPR_APPS.length);
      const secrets = new Set<string>();
      for (const d of daprEnabled) {
        const a = obj(at(d, 'spec.template.metadata.annotations'));
        const secret = str(a['dapr.io/app-token-secret']);
        assert.ok(secret, `${nameOf(d)} sets dapr.io/app-token-secret`);
        secrets.add(secret);
      }
      assert.equal(secrets.size, 1, 'one token for every sidecar');
      // The subscriber apps read the same Secret's key `token`, the one the injector gives daprd.
      for (const c of ['workers', 'socket'] as const) {
        const ref = envOf(mainContainer(docs, c)).find(
          (e) => e.name === 'APP_API_TOKEN',
        )?.secretRef;
        assert.deepEqual(ref, { name: [...secrets][0], key: 'token' }, c);
      }
    });

    it('pods run as non-root with a read-only root filesystem and no privilege escalation', () => {
      const podOwners = [...ofKind(docs, 'Deployment'), ...ofKind(docs, 'Job')];
      assert.ok(podOwners.length >= 5);
      for (const d of podOwners) {
        const pod = obj(at(d, 'spec.template.spec'));
        assert.equal(at(pod, 'securityContext.runAsNonRoot'), true, nameOf(d));
        const uid = Number(at(pod, 'securityContext.runAsUser'));
        assert.ok(uid > 0, `${nameOf(d)} uid ${uid}`);
        for (const c of containersOf(d)) {
          assert.equal(at(c, 'securityContext.readOnlyRootFilesystem'), true, nameOf(d));
          assert.equal(at(c, 'securityContext.allowPrivilegeEscalation'), false, nameOf(d));
          assert.deepEqual(at(c, 'securityContext.capabilities.drop'), ['ALL'], nameOf(d));
        }
      }
    });

    it('every container has requests and limits and a pinned image', () => {
      for (const d of [...ofKind(docs, 'Deployment'), ...ofKind(docs, 'Job')]) {
        for (const c of containersOf(d)) {
          for (const k of ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']) {
            assert.ok(at(c, `resources.${k}`) !== undefined, `${nameOf(d)} resources.${k}`);
          }
          const image = str(c.image) ?? '';
          assert.match(image, /:[\w][\w.-]*$/, `${nameOf(d)} image ${image} has a tag`);
          assert.doesNotMatch(image, /:latest$/, `${nameOf(d)} image ${image}`);
        }
      }
    });

    it('HPAs scale api, socket and workers; PDBs select the pods they protect', () => {
      for (const c of DAPR_APPS) {
        const hpa = findNamed(docs, 'HorizontalPodAutoscaler', `-${c}`);
        assert.equal(str(at(hpa, 'spec.scaleTargetRef.kind')), 'Deployment');
        assert.equal(str(at(hpa, 'spec.scaleTargetRef.name')), nameOf(deployment(docs, c)));
        const min = Number(at(hpa, 'spec.minReplicas'));
        assert.ok(min >= 2 && Number(at(hpa, 'spec.maxReplicas')) > min, `${c} HPA range`);
        assert.equal(
          at(deployment(docs, c), 'spec.replicas'),
          undefined,
          `${c}: HPA owns replicas`,
        );
      }
      for (const pdb of ofKind(docs, 'PodDisruptionBudget')) {
        const selector = obj(at(pdb, 'spec.selector.matchLabels'));
        const matches = ofKind(docs, 'Deployment').filter((d) => {
          const labels = obj(at(d, 'spec.template.metadata.labels'));
          return Object.entries(selector).every(([k, v]) => labels[k] === v);
        });
        assert.equal(matches.length, 1, `${nameOf(pdb)} selects one Deployment`);
      }
    });

    it('Ingress: /api, /cal and /mcp → api, / → client, /socket.io → socket with cookie affinity and long timeouts', () => {
      const ingresses = ofKind(docs, 'Ingress');
      const routes = new Map<string, { service: string; ingress: JsonObject }>();
      for (const ing of ingresses) {
        for (const rule of arr(at(ing, 'spec.rules'))) {
          for (const p of arr(at(rule, 'http.paths'))) {
            routes.set(str(at(p, 'path')) ?? '', {
              service: str(at(p, 'backend.service.name')) ?? '',
              ingress: ing,
            });
          }
        }
      }
      const service = (c: string) => nameOf(findNamed(docs, 'Service', `-${c}`));
      assert.equal(routes.get('/api')?.service, service('api'));
      assert.equal(routes.get('/cal')?.service, service('api'), 'calendar feeds reach the api');
      assert.equal(routes.get('/mcp')?.service, service('api'), 'MCP reaches the api');
      assert.equal(routes.get('/')?.service, service('client'));
      const socket = routes.get('/socket.io');
      assert.equal(socket?.service, service('socket'));
      const a = obj(at(socket?.ingress, 'metadata.annotations'));
      assert.equal(a['nginx.ingress.kubernetes.io/affinity'], 'cookie');
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 600);
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 600);
      assert.equal(routes.get('/metrics'), undefined, 'metrics stay inside the cluster');
    });

    it('NetworkPolicies: only the ingress, this release and Prometheus reach the apps; workers not from the edge', () => {
      const policies = ofKind(docs, 'NetworkPolicy');
      assert.equal(policies.length, ALL.length, 'one per component');
      for (const component of ALL) {
        const policy = findNamed(docs, 'NetworkPolicy', `-${component}`);
        assert.deepEqual(arr(at(policy, 'spec.policyTypes')), ['Ingress']);
        const selector = obj(at(policy, 'spec.podSelector.matchLabels'));
        assert.equal(selector['app.kubernetes.io/component'], component);
        const namespaces = arr(at(policy, 'spec.ingress'))
          .flatMap((rule) => arr(at(rule, 'from')))
          .map((peer) =>
            str(obj(at(peer, 'namespaceSelector.matchLabels'))['kubernetes.io/metadata.name']),
          )
          .filter(Boolean);
        const fromEdge = namespaces.includes('ingress-nginx');
        assert.equal(fromEdge, component !== 'workers', `${component} reachable from the ingress`);
        assert.ok(namespaces.includes('monitoring'), `${component} scraped by Prometheus`);
        for (const rule of arr(at(policy, 'spec.ingress')))
          assert.ok(arr(at(rule, 'ports')).length > 0, `${component}: every rule names its ports`);
      }
    });

    it('migrations run in a pre-install/pre-upgrade Job; the api does not migrate on start', () => {
      const job = findNamed(docs, 'Job', '-migrate');
      const a = obj(at(job, 'metadata.annotations'));
      assert.deepEqual(String(a['helm.sh/hook']).split(',').sort(), ['pre-install', 'pre-upgrade']);
      const c = containersOf(job)[0];
      assert.deepEqual(arr(c?.command), ['node', 'dist/migrate-cli.js']);
      assert.equal(str(at(job, 'spec.template.spec.restartPolicy')), 'Never');
      assert.equal(obj(at(job, 'spec.template.metadata.annotations'))['dapr.io/enabled'], 'false');
      const env = envOf(mainContainer(docs, 'api'));
      assert.equal(env.find((e) => e.name === 'MIGRATE_ON_START')?.value, 'false');
      assert.ok(envOf(c ?? {}).some((e) => e.name === 'DATABASE_URL' && e.secretRef));
    });

    it('no plaintext secret in any rendered manifest', () => {
      assert.deepEqual(ofKind(docs, 'Secret'), [], 'the chart renders no Secret');
      for (const d of [...ofKind(docs, 'Deployment'), ...ofKind(docs, 'Job')]) {
        for (const c of containersOf(d)) {
          for (const e of envOf(c)) {
            if (SECRETISH.test(e.name)) {
              assert.ok(e.secretRef && e.value === undefined, `${nameOf(d)} ${e.name} literal`);
            }
            assert.doesNotMatch(
              e.value ?? '',
              /:\/\/[^/\s:@]+:[^@\s]+@/,
              `${e.name} has a password`,
            );
          }
        }
      }
      for (const cm of ofKind(docs, 'ConfigMap')) {
        for (const k of Object.keys(obj(cm.data))) assert.doesNotMatch(k, SECRETISH, nameOf(cm));
      }
      for (const comp of ofKind(docs, 'Component')) {
        for (const m of metadataOf(comp)) {
          if (/password|secret|token|username|key$/i.test(m.name) && m.name !== 'keyPrefix') {
            assert.ok(m.secretKeyRef, `${nameOf(comp)} ${m.name} is a secretKeyRef`);
          }
        }
      }
      assert.doesNotMatch(
        rendered.text,
        /(?:password|secret|token)\s*[:=]\s*["']?[A-Za-z0-9+/]{12,}/i,
      );
    });

    it('Dapr components carry the documented metadata; secrets come through secretstores.kubernetes', () => {
      const comps = ofKind(docs, 'Component');
      const stores = secretStores(comps);
      assert.deepEqual([...stores.values()], ['secretstores.kubernetes']);
      assert.deepEqual(
        comps.flatMap((c) => componentProblems(c, stores)),
        [],
      );
      const types = comps.map((c) => str(at(c, 'spec.type'))).sort();
      assert.deepEqual(types, ['pubsub.kafka', 'secretstores.kubernetes', 'state.redis']);
      const pubsub = comps.find((c) => nameOf(c) === DEFAULT_PUBSUB_NAME);
      assert.ok(pubsub);
      const subs = parseScopes(metadataValue(pubsub, 'subscriptionScopes'));
      for (const [app, topics] of Object.entries(EXPECTED_SUBSCRIPTIONS)) {
        assert.deepEqual((subs.get(app) ?? []).sort(), [...topics].sort(), app);
      }
      const allowed = (metadataValue(pubsub, 'allowedTopics') ?? '').split(',').sort();
      assert.deepEqual(allowed, Object.keys(TOPIC_PARTITIONS).sort());
      // The secret store may read the one application Secret and nothing else.
      const role = ofKind(docs, 'Role')[0];
      assert.deepEqual(arr(at(role, 'rules.0.resources')), ['secrets']);
      assert.deepEqual(arr(at(role, 'rules.0.verbs')), ['get']);
      assert.equal(arr(at(role, 'rules.0.resourceNames')).length, 1);
    });

    it("env names match the services' config modules and satisfy them", async () => {
      for (const service of SERVICE_NAMES) {
        const env = envOf(mainContainer(docs, service));
        const { names, source } = await knownEnv(service);
        const unknown = env.map((e) => e.name).filter((n) => !names.has(n));
        assert.deepEqual(unknown, [], `${service}: variables ${source} does not read`);
        const config = await loadServiceConfig(service);
        const values: Record<string, string> = { NODE_ENV: 'production' };
        for (const e of env) values[e.name] = e.value ?? SECRET_PLACEHOLDERS[e.name] ?? '';
        assert.deepEqual(config.validate(values), [], `${service} rejects the rendered env`);
        for (const required of config.requiredInProduction) {
          assert.ok(values[required], `${service} needs ${required}`);
        }
        const port = config.defaults.get('PORT');
        if (port !== undefined) assert.equal(Number(port), PORTS[service], `${service} PORT`);
      }
    });
  });
}

describe('DOKS values', () => {
  const docs = helmTemplate([DOKS_VALUES]).docs;
  const pubsub = docs.find((d) => kindOf(d) === 'Component' && nameOf(d) === DEFAULT_PUBSUB_NAME);

  it('pubsub.kafka talks SASL_SSL with SCRAM to Redpanda Cloud', () => {
    assert.ok(pubsub);
    assert.equal(metadataValue(pubsub, 'authType'), 'password');
    const mechanism = metadataValue(pubsub, 'saslMechanism') ?? '';
    assert.ok(KAFKA_SASL_MECHANISMS.includes(mechanism), `saslMechanism "${mechanism}"`);
    assert.equal(metadataValue(pubsub, 'disableTls'), 'false', 'TLS on');
    assert.equal(metadataValue(pubsub, 'skipVerify'), undefined);
    const refs = metadataOf(pubsub)
      .filter((m) => m.secretKeyRef)
      .map((m) => m.name);
    assert.deepEqual(refs.sort(), ['saslPassword', 'saslUsername']);
    assert.doesNotMatch(metadataValue(pubsub, 'brokers') ?? '', /localhost|svc\.cluster\.local/);
  });

  it('refuses a SASL mechanism Dapr would silently turn into PLAIN', () => {
    for (const wrong of ['SCRAM-SHA-256', 'sha-512', 'PLAIN']) {
      const r = run(tool('HELM_BIN'), [
        'template',
        'x',
        CHART,
        '--kube-version',
        RENDER_KUBE_VERSION,
        '-f',
        DOKS_VALUES,
        '--set',
        `kafka.saslMechanism=${wrong}`,
      ]);
      assert.notEqual(r.status, 0, wrong);
      // values.schema.json rejects it first; the template's own `fail` is the second guard.
      assert.match(r.stderr, /SHA-256.*SHA-512/);
    }
  });

  it('TLS ingress with cert-manager, Redis over TLS, images from DOCR', () => {
    const ing = ofKind(docs, 'Ingress');
    for (const i of ing) assert.ok(arr(at(i, 'spec.tls')).length > 0, nameOf(i));
    const state = docs.find((d) => str(at(d, 'spec.type')) === 'state.redis');
    assert.ok(state);
    assert.equal(metadataValue(state, 'enableTLS'), 'true');
    for (const d of ofKind(docs, 'Deployment')) {
      for (const c of containersOf(d)) {
        assert.match(str(c.image) ?? '', /^registry\.digitalocean\.com\//);
      }
    }
  });

  it('a pre-install/pre-upgrade Job creates the topics with the contract partition counts', () => {
    const job = findNamed(docs, 'Job', '-topics');
    const annotations = obj(at(job, 'metadata.annotations'));
    assert.match(String(annotations['helm.sh/hook']), /pre-install/);
    const script = String(arr(at(containersOf(job)[0], 'args'))[0]);
    for (const [topic, partitions] of Object.entries(TOPIC_PARTITIONS)) {
      assert.ok(script.includes(`${topic}:${partitions}`), `${topic}:${partitions} in ${script}`);
    }
    const env = envOf(containersOf(job)[0] ?? {});
    assert.equal(env.find((e) => e.name === 'RPK_TLS_ENABLED')?.value, 'true');
    assert.match(
      env.find((e) => e.name === 'RPK_SASL_MECHANISM')?.value ?? '',
      /^SCRAM-SHA-(256|512)$/,
    );
    assert.ok(env.find((e) => e.name === 'RPK_PASS')?.secretRef);
  });

  it('every Secret key the chart reads is documented in values.yaml', () => {
    const keys = new Set<string>();
    for (const d of docs) {
      JSON.stringify(d, (k, v: unknown) => {
        if (k === 'secretKeyRef' && isObject(v)) keys.add(String(v.key));
        return v;
      });
    }
    const values = readText('helm/todo-chatbot/values.yaml');
    for (const k of keys) assert.ok(values.includes(k), `${k} documented in values.yaml`);
  });
});

describe('chart README', () => {
  it('documents every value of values.yaml in its values table', () => {
    const [values] = readYamlDocs('helm/todo-chatbot/values.yaml');
    assert.ok(values);
    const readme = readText('helm/todo-chatbot/README.md');
    const documented = new Set(
      [...readme.matchAll(/^\|\s*`([\w.*]+)`\s*\|/gm)].map((m) => m[1] ?? ''),
    );
    const missing: string[] = [];
    for (const [key, value] of Object.entries(values)) {
      const paths = isObject(value) ? Object.keys(value).map((k) => `${key}.${k}`) : [key];
      for (const path of paths) {
        const covered = [...documented].some(
          (d) => d === path || d === `${key}.*` || d.startsWith(`${path}.`),
        );
        if (!covered) missing.push(path);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('helm template with dapr.enabled=false (direct transport)', () => {
  const rendered = helmTemplate([], ['dapr.enabled=false']);
  const docs = rendered.docs;

  it('validates against the Kubernetes schemas and renders no Dapr object or sidecar', () => {
    const r = run(tool('KUBERNETES_VALIDATE_BIN'), [
      '--strict',
      '--quiet',
      '-k',
      '1.33.0',
      rendered.file,
    ]);
    assert.equal(r.status, 0, r.stdout);
    assert.equal(
      docs.filter((d) => str(d.apiVersion)?.startsWith('dapr.io/')).length,
      0,
      'no Dapr resources',
    );
    for (const d of ofKind(docs, 'Deployment')) {
      const a = obj(at(d, 'spec.template.metadata.annotations'));
      assert.notEqual(a['dapr.io/enabled'], 'true', nameOf(d));
    }
  });

  it('the api delivers events itself to the workers and socket Services', async () => {
    const env = envOf(mainContainer(docs, 'api'));
    assert.equal(env.find((e) => e.name === 'EVENT_TRANSPORT')?.value, 'direct');
    const subscribers = (env.find((e) => e.name === 'DIRECT_SUBSCRIBERS')?.value ?? '').split(',');
    const expected = (['workers', 'socket'] as const).map((c) => {
      const svc = findNamed(docs, 'Service', `-${c}`);
      return `http://${nameOf(svc)}:${String(at(svc, 'spec.ports.0.port'))}`;
    });
    assert.deepEqual(subscribers, expected);
    // Without sidecars the api itself sends the token the subscribers demand.
    const token = env.find((e) => e.name === 'APP_API_TOKEN')?.secretRef;
    for (const c of ['workers', 'socket'] as const) {
      const expectedRef = envOf(mainContainer(docs, c)).find(
        (e) => e.name === 'APP_API_TOKEN',
      )?.secretRef;
      assert.ok(expectedRef, `${c} demands a token`);
      assert.deepEqual(token, expectedRef, `the api sends the token ${c} demands`);
    }
    const config = await loadServiceConfig('api');
    const values: Record<string, string> = { NODE_ENV: 'production' };
    for (const e of env) values[e.name] = e.value ?? SECRET_PLACEHOLDERS[e.name] ?? '';
    assert.deepEqual(config.validate(values), []);
  });

  it('the workers deliver their events (occurrence.due, reminder.fired) to the api Service', () => {
    const env = envOf(mainContainer(docs, 'workers'));
    assert.equal(env.find((e) => e.name === 'EVENT_TRANSPORT')?.value, 'direct');
    const api = findNamed(docs, 'Service', '-api');
    assert.equal(
      env.find((e) => e.name === 'DIRECT_SUBSCRIBERS')?.value,
      `http://${nameOf(api)}:${String(at(api, 'spec.ports.0.port'))}`,
    );
  });
});

describe('helm template with the chatbot LLM enabled', () => {
  const sets = [
    'api.llm.enabled=true',
    'api.llm.baseUrl=https://llm.example.com/v1',
    'api.llm.model=m',
  ];

  it('passes the endpoint and model, and the key from the Secret, in a form the api accepts', async () => {
    const env = envOf(mainContainer(helmTemplate([DOKS_VALUES], sets).docs, 'api'));
    assert.equal(env.find((e) => e.name === 'LLM_BASE_URL')?.value, 'https://llm.example.com/v1');
    assert.equal(env.find((e) => e.name === 'LLM_MODEL')?.value, 'm');
    assert.equal(env.find((e) => e.name === 'LLM_API_KEY')?.secretRef?.key, 'LLM_API_KEY');
    const config = await loadServiceConfig('api');
    const values: Record<string, string> = { NODE_ENV: 'production' };
    for (const e of env) values[e.name] = e.value ?? SECRET_PLACEHOLDERS[e.name] ?? '';
    assert.deepEqual(config.validate(values), []);
  });

  it('refuses to half-configure it', () => {
    const args = ['template', 'x', CHART, '--kube-version', RENDER_KUBE_VERSION];
    const r = run(tool('HELM_BIN'), [...args, '--set', 'api.llm.enabled=true']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /api\.llm\.enabled needs/);
  });
});

describe('values.schema.json', () => {
  it('rejects a misspelled value instead of ignoring it', () => {
    const args = ['template', 'x', CHART, '--kube-version', RENDER_KUBE_VERSION];
    for (const [set, message] of [
      ['api.replcas=3', /additional properties 'replcas' not allowed/],
      ['kafka.authType=scram', /authType/],
      ['redis.host=redis://x:6379', /redis\/host/],
    ] as const) {
      const r = run(tool('HELM_BIN'), [...args, '--set', set]);
      assert.notEqual(r.status, 0, set);
      assert.match(r.stderr, message, set);
    }
  });
});

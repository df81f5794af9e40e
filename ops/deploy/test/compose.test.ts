/** docker-compose.yaml: valid Compose, and in step with the code it runs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PUBSUB_NAME, TOPIC_PARTITIONS } from '@todo/contracts';
import {
  arr,
  at,
  exists,
  isObject,
  obj,
  readText,
  run,
  str,
  tool,
  type Json,
  type JsonObject,
} from './lib.js';
import { knownEnv, loadServiceConfig, PORTS, SERVICE_NAMES, type ServiceName } from './services.js';

function loadProject(): JsonObject {
  const r = run(tool('DEPLOYCHECK_BIN'), ['compose', 'docker-compose.yaml']);
  assert.equal(r.status, 0, r.stderr);
  const project: unknown = JSON.parse(r.stdout);
  assert.ok(isObject(project));
  return project;
}

const project = loadProject();
const services = obj(project.services);

function service(name: string): JsonObject {
  const s = services[name];
  assert.ok(isObject(s), `service ${name}`);
  return s;
}

function envOf(name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(service(name).environment))) {
    out[k] = v === null ? '' : String(v);
  }
  return out;
}

function commandOf(name: string): string[] {
  return arr(service(name).command).map(String);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** The app services and the compose service names that run them. */
const APP_INSTANCES: Record<ServiceName, string[]> = {
  api: ['api'],
  workers: ['workers'],
  socket: ['socket-1', 'socket-2'],
};

describe('docker-compose.yaml', () => {
  it('validates against the Compose specification schema (compose-go)', () => {
    assert.equal(project.name, 'todo-chatbot');
  });

  it('runs Redpanda, its Console, Redis, PostgreSQL, every service with a sidecar, two socket nodes and the client', () => {
    const expected = [
      'redpanda',
      'redpanda-init',
      'console',
      'redis',
      'postgres',
      'migrate',
      'api',
      'api-dapr',
      'workers',
      'workers-dapr',
      'socket-1',
      'socket-1-dapr',
      'socket-2',
      'socket-2-dapr',
      'client',
    ];
    assert.deepEqual(Object.keys(services).sort(), expected.sort());
  });

  it('gives each service instance its own daprd in its network namespace, with the right app id and port', () => {
    for (const [app, instances] of Object.entries(APP_INSTANCES)) {
      for (const instance of instances) {
        const sidecar = service(`${instance}-dapr`);
        assert.match(str(sidecar.image) ?? '', /^daprio\/daprd:\d+\.\d+\.\d+$/);
        assert.equal(str(sidecar.network_mode), `service:${instance}`);
        const args = commandOf(`${instance}-dapr`);
        assert.equal(args[0], './daprd');
        assert.equal(flag(args, '--app-id'), app, instance);
        assert.equal(flag(args, '--app-port'), String(PORTS[app as ServiceName]), instance);
        assert.equal(flag(args, '--resources-path'), '/dapr/components');
        assert.equal(flag(args, '--config'), '/dapr/config.yaml');
        const env = envOf(instance);
        if ('DAPR_HTTP_PORT' in env)
          assert.equal(env.DAPR_HTTP_PORT, flag(args, '--dapr-http-port'));
        if ('DAPR_HOST' in env) assert.equal(env.DAPR_HOST, '127.0.0.1');
        const volumes = arr(sidecar.volumes).filter(isObject);
        assert.ok(volumes.some((v) => str(v.target) === '/dapr' && v.read_only === true));
        // The local secret store serves what the components reference.
        assert.ok(obj(sidecar.environment).TODO_SECRET_REDIS_PASSWORD, `${instance} secret env`);
        // The subscribers demand the app API token; their sidecar must send the same one.
        if (app !== 'api') {
          const token = str(obj(sidecar.environment).APP_API_TOKEN);
          assert.ok(token, `${instance}-dapr sends an app API token`);
          assert.equal(env.APP_API_TOKEN, token, `${instance} expects the token its daprd sends`);
        }
      }
    }
  });

  it('creates the topics with the partition counts of the contracts', () => {
    const script = commandOf('redpanda-init').join('\n');
    for (const [topic, partitions] of Object.entries(TOPIC_PARTITIONS)) {
      assert.ok(script.includes(`${topic}:${partitions}`), `${topic}:${partitions}`);
    }
    assert.match(script, /auto_create_topics_enabled false/);
  });

  it("sets only variables the services' config modules read, with values they accept", async () => {
    for (const app of SERVICE_NAMES) {
      const { names, source } = await knownEnv(app);
      const config = await loadServiceConfig(app);
      for (const instance of APP_INSTANCES[app]) {
        const env = envOf(instance);
        const unknown = Object.keys(env).filter((k) => !names.has(k));
        assert.deepEqual(unknown, [], `${instance}: not read by ${source}`);
        assert.equal(env.PORT, String(PORTS[app]), `${instance} PORT`);
        if ('PUBSUB_NAME' in env) assert.equal(env.PUBSUB_NAME, DEFAULT_PUBSUB_NAME);
        if ('EVENT_TRANSPORT' in env) assert.equal(env.EVENT_TRANSPORT, 'dapr');
        // The images run with NODE_ENV=production (their Dockerfiles set it).
        const errors = config.validate({ ...env, NODE_ENV: 'production' });
        assert.deepEqual(errors, [], `${instance} env rejected by ${config.file}`);
        if (config.defaults.has('PORT')) {
          assert.equal(Number(config.defaults.get('PORT')), PORTS[app], `${app} default PORT`);
        }
      }
    }
  });

  it('the migrate job runs the api image once before the api starts', () => {
    assert.equal(str(service('migrate').image), str(service('api').image));
    assert.deepEqual(commandOf('migrate'), ['node', 'dist/migrate-cli.js']);
    assert.equal(envOf('api').MIGRATE_ON_START, 'false');
    const dependsOn = obj(service('api').depends_on);
    assert.equal(str(at(dependsOn, 'migrate.condition')), 'service_completed_successfully');
    assert.ok(exists('api/src/migrate-cli.ts'), 'migrate-cli exists');
  });

  it('URLs between services point at real service names and ports', () => {
    const workers = envOf('workers');
    // The workers never call the api (ADR 120): under Dapr their events go through the sidecar.
    assert.equal(workers.API_INTERNAL_URL, undefined);
    assert.equal(workers.EVENT_TRANSPORT, 'dapr');
    for (const s of ['socket-1', 'socket-2']) {
      const env = envOf(s);
      assert.equal(env.JWKS_URL, `http://api:${PORTS.api}/api/auth/jwks`);
      assert.equal(env.JWT_ISSUER, envOf('api').BETTER_AUTH_URL, 'issuer = BETTER_AUTH_URL');
      assert.equal(env.JWT_AUDIENCE, envOf('api').BETTER_AUTH_URL, 'audience = BETTER_AUTH_URL');
    }
    for (const url of [workers.REDIS_URL, envOf('socket-1').REDIS_URL]) {
      assert.match(url ?? '', /@redis:6379$/);
    }
    assert.match(envOf('api').DATABASE_URL ?? '', /@postgres:5432\//);
    const client = envOf('client');
    assert.equal(client.API_UPSTREAM, `api:${PORTS.api}`);
    assert.equal(
      client.SOCKET_UPSTREAM_SERVERS,
      `server socket-1:${PORTS.socket}; server socket-2:${PORTS.socket};`,
    );
  });

  it('publishes the client on 8080, the api, Bull Board and the Redpanda Console', () => {
    const published = new Map<string, string>();
    for (const [name, s] of Object.entries(services)) {
      for (const p of arr(obj(s).ports).filter(isObject)) {
        published.set(String(p.published), `${name}:${String(p.target)}`);
      }
    }
    assert.equal(published.get('8080'), `client:${PORTS.client}`);
    assert.equal(published.get('3000'), `api:${PORTS.api}`);
    assert.equal(published.get('3001'), `workers:${PORTS.workers}`);
    assert.equal(published.get('8088'), 'console:8080');
  });

  it('health checks everywhere and depends_on waits on them', () => {
    for (const name of [
      'redpanda',
      'redis',
      'postgres',
      'api',
      'workers',
      'socket-1',
      'socket-2',
      'client',
    ]) {
      const test = arr(at(service(name), 'healthcheck.test')).map(String);
      assert.ok(test.length > 1, `${name} healthcheck`);
      if (name in PORTS || name.startsWith('socket')) {
        assert.ok(test.join(' ').includes('/health'), `${name} probes /health`);
      }
    }
    const conditions: Json[] = [];
    for (const s of Object.values(services)) {
      for (const d of Object.values(obj(obj(s).depends_on)))
        conditions.push(at(d, 'condition') ?? null);
    }
    assert.ok(conditions.includes('service_healthy'));
    assert.ok(conditions.includes('service_completed_successfully'));
    assert.equal(str(at(service('workers'), 'depends_on.redis.condition')), 'service_healthy');
  });

  it('images are pinned and app images are built from their Dockerfiles', () => {
    for (const [name, s] of Object.entries(services)) {
      const image = str(obj(s).image) ?? '';
      assert.match(image, /:[\w][\w.-]*$/, `${name} image tag`);
      assert.doesNotMatch(image, /:latest$/, name);
      const dockerfile = str(at(obj(s), 'build.dockerfile'));
      if (dockerfile) assert.ok(exists(dockerfile), `${name}: ${dockerfile} exists`);
      // The services share the root Dockerfile: SERVICE must build the one the image is named for.
      if (dockerfile === 'Dockerfile') {
        const built = /^todo-chatbot\/(\w+):/.exec(image)?.[1];
        assert.equal(str(at(obj(s), 'build.args.SERVICE')), built, `${name}: SERVICE build arg`);
      }
    }
    for (const app of ['api', 'workers', 'socket-1', 'client']) {
      assert.ok(str(at(service(app), 'build.dockerfile')), `${app} is built here`);
    }
  });

  it('app containers run read-only with no new privileges', () => {
    for (const name of ['api', 'workers', 'socket-1', 'socket-2', 'client', 'migrate']) {
      assert.equal(service(name).read_only, true, name);
      assert.ok(arr(service(name).security_opt).includes('no-new-privileges:true'), name);
    }
  });

  it('the compose file is documented in docs/production.md', () => {
    assert.match(readText('docs/production.md'), /docker compose up --build/);
  });
});

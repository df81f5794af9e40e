/** .github/workflows: actionlint-clean, and doing what the issue asks of CI and CD. */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  arr,
  at,
  helmTemplate,
  isObject,
  nameOf,
  obj,
  ofKind,
  readText,
  readYamlDocs,
  ROOT,
  run,
  str,
  tool,
  DOKS_VALUES,
  type JsonObject,
} from './lib.js';

const DIR = '.github/workflows';
const files = readdirSync(join(ROOT, DIR)).filter((f) => /\.ya?ml$/.test(f));

function workflow(file: string): JsonObject {
  const [doc] = readYamlDocs(`${DIR}/${file}`);
  assert.ok(doc, file);
  return doc;
}

function steps(wf: JsonObject): JsonObject[] {
  return Object.values(obj(wf.jobs)).flatMap((job) => arr(at(job, 'steps')).filter(isObject));
}

function scripts(wf: JsonObject): string {
  return steps(wf)
    .map((s) => str(s.run) ?? '')
    .join('\n');
}

function uses(wf: JsonObject): string[] {
  return steps(wf)
    .map((s) => str(s.uses) ?? '')
    .filter(Boolean);
}

describe('GitHub Actions workflows', () => {
  it('pass actionlint (with shellcheck on run: scripts when installed)', () => {
    assert.deepEqual(files.sort(), ['ci.yaml', 'deploy-doks.yaml']);
    const shellcheck = process.env.SHELLCHECK_BIN ?? '';
    const args = ['-no-color', `-shellcheck=${shellcheck}`, ...files.map((f) => `${DIR}/${f}`)];
    const r = run(tool('ACTIONLINT_BIN'), args);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    if (!shellcheck) process.stdout.write('# actionlint ran without shellcheck\n');
  });

  it('pin every action to a version', () => {
    for (const f of files) {
      for (const u of uses(workflow(f))) {
        if (u.startsWith('./')) continue;
        assert.match(u, /@v\d+(\.\d+)*$|@[0-9a-f]{40}$/, `${f}: ${u}`);
      }
    }
  });

  it('ci.yaml: lint, typecheck, npm test on PostgreSQL and Redis services, deploy checks, image builds', () => {
    const ci = workflow('ci.yaml');
    const text = scripts(ci);
    for (const cmd of [
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm test',
      'npm run test:deploy',
      'npm run test:e2e:kube',
    ]) {
      assert.ok(text.includes(cmd), `ci runs ${cmd}`);
    }
    const services = obj(at(ci, 'jobs.test.services'));
    assert.match(str(at(services, 'postgres.image')) ?? '', /^postgres:\d/);
    assert.match(str(at(services, 'redis.image')) ?? '', /^redis:\d/);
    assert.ok(str(at(ci, 'jobs.test.env.TEST_POSTGRES_ADMIN_URL')));
    assert.ok(str(at(ci, 'jobs.test.env.REDIS_URL')));
    const matrix = arr(at(ci, 'jobs.images.strategy.matrix.service')).map(String);
    assert.deepEqual(matrix.sort(), ['api', 'client', 'socket', 'workers']);
    assert.ok(uses(ci).some((u) => u.startsWith('docker/build-push-action@')));
    assert.match(text, /helm lint helm\/todo-chatbot --strict\n/);
    assert.match(text, /helm lint helm\/todo-chatbot --strict -f helm\/values-doks\.yaml/);
    assert.match(text, /docker compose -f docker-compose\.yaml config --quiet/);
  });

  describe('deploy-doks.yaml', () => {
    const wf = workflow('deploy-doks.yaml');
    const text = scripts(wf);

    it('runs on pushes to main, one deployment at a time', () => {
      assert.deepEqual(arr(at(wf, 'on.push.branches')), ['main']);
      assert.ok(str(at(wf, 'concurrency.group')));
      assert.equal(at(wf, 'concurrency.cancel-in-progress'), false);
      assert.equal(str(at(wf, 'jobs.ci.uses')), './.github/workflows/ci.yaml');
    });

    it('builds and pushes every image to DOCR with doctl, tagged with the commit', () => {
      assert.ok(uses(wf).some((u) => u.startsWith('digitalocean/action-doctl@')));
      assert.match(text, /doctl registry login/);
      const matrix = arr(at(wf, 'jobs.build-push.strategy.matrix.service')).map(String);
      assert.deepEqual(matrix.sort(), ['api', 'client', 'socket', 'workers']);
      const push = steps(wf).find((s) => str(s.uses)?.startsWith('docker/build-push-action@'));
      assert.equal(at(push, 'with.push'), true);
      assert.match(
        str(at(push, 'with.tags')) ?? '',
        /registry\.digitalocean\.com\/.*\$\{\{ github\.sha \}\}/,
      );
    });

    it('helm upgrade --install --atomic --wait --timeout 10m with values-doks.yaml', () => {
      const helm = text.match(/helm upgrade --install[^]*?--timeout 10m/);
      assert.ok(helm, 'helm upgrade command');
      for (const f of ['--atomic', '--wait', '-f helm/values-doks.yaml', 'image.tag']) {
        assert.ok(helm[0].includes(f), f);
      }
    });

    it('waits for the rollout of every Deployment the chart renders, smoke-tests, rolls back on failure', () => {
      const release = str(at(wf, 'env.RELEASE')) ?? '';
      const deployments = ofKind(helmTemplate([DOKS_VALUES], [], release).docs, 'Deployment').map(
        nameOf,
      );
      const loop = text.match(
        /for component in ([\w ]+); do\s+kubectl[^\n]*rollout status "deployment\/\$RELEASE-\$component"/,
      );
      assert.ok(loop, 'rollout status loop');
      const named = (loop[1] ?? '').split(' ').map((c) => `${release}-${c}`);
      assert.deepEqual(named.sort(), deployments.sort());
      assert.match(text, /curl -fsS[^\n]*\$PUBLIC_URL/);
      const rollback = steps(wf).find((s) =>
        (str(s.run) ?? '').includes('helm -n "$NAMESPACE" rollback'),
      );
      assert.ok(rollback, 'rollback step');
      assert.match(str(rollback.if) ?? '', /failure\(\)/);
    });

    it('names its secrets and never inlines one; syncs every key the chart reads', () => {
      const raw = readText(`${DIR}/deploy-doks.yaml`);
      const named = new Set(
        [...raw.matchAll(/\$\{\{\s*secrets\.([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]),
      );
      assert.ok(named.has('DIGITALOCEAN_ACCESS_TOKEN'));
      const chartKeys = new Set<string>();
      const tokenSecrets = new Set<string>();
      for (const d of helmTemplate([DOKS_VALUES]).docs) {
        JSON.stringify(d, (k, v: unknown) => {
          if (k === 'secretKeyRef' && isObject(v)) {
            // Dapr's app-token Secret has the fixed key `token`, synced from APP_API_TOKEN.
            if (v.key === 'token') tokenSecrets.add(String(v.name));
            else chartKeys.add(String(v.key));
          }
          return v;
        });
      }
      for (const key of chartKeys) {
        assert.ok(named.has(key), `secrets.${key} is referenced`);
        assert.ok(
          text.includes(`--from-literal=${key}="$${key}"`),
          `${key} synced into the Secret`,
        );
      }
      assert.deepEqual([...tokenSecrets], ['todo-chatbot-app-api-token']);
      assert.ok(named.has('APP_API_TOKEN'), 'secrets.APP_API_TOKEN is referenced');
      assert.match(
        text,
        /create secret generic todo-chatbot-app-api-token\s*\\?\s*--from-literal=token="\$APP_API_TOKEN"/,
      );
      assert.doesNotMatch(raw, /--from-literal=[A-Z_]+=[^"$]/, 'no literal secret values');
      assert.doesNotMatch(raw, /dop_v1_[0-9a-f]+|password:\s*[^$\s{]/i);
    });
  });
});

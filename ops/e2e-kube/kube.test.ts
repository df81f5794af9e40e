/**
 * The chart on a real Kubernetes API server (issue 18 item 4): etcd, kube-apiserver and
 * kube-controller-manager built from Go modules, on 127.0.0.1 (./cluster.ts). Dapr's CRDs are
 * installed first (./crds, vendored from Dapr's chart); then helm/todo-chatbot is checked by a
 * server-side dry-run, installed with the default values and with helm/values-doks.yaml (one
 * namespace each), upgraded with another image tag (the Deployments' ReplicaSets must honour
 * maxUnavailable: 0) and rolled back. No kubelet: pods are created, never run.
 * Run with `npm run test:e2e:kube` (ops/e2e-kube/run.sh builds the binaries first).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '../e2e-dapr/processes.js';
import { startCluster, type Cluster } from './cluster.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHART = join(ROOT, 'helm/todo-chatbot');
const CRDS = join(ROOT, 'ops/e2e-kube/crds');
const RELEASE = 'todo';
const NEXT_TAG = 'lane-next';

const note = (line: string) => process.stderr.write(`[kube-lane] ${line}\n`);

function bin(name: string): string {
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run this suite through ops/e2e-kube/run.sh`);
  return path;
}

const bins = {
  etcd: bin('ETCD_BIN'),
  apiserver: bin('KUBE_APISERVER_BIN'),
  controllerManager: bin('KUBE_CONTROLLER_MANAGER_BIN'),
  kubectl: bin('KUBECTL_BIN'),
};
const HELM = bin('HELM_BIN');
const DEPLOYCHECK = bin('DEPLOYCHECK_BIN');

interface Target {
  label: string;
  namespace: string;
  values: string[];
}
const TARGETS: Target[] = [
  { label: 'default values', namespace: 'todo', values: [] },
  {
    label: 'values-doks.yaml',
    namespace: 'todo-doks',
    values: ['-f', join(ROOT, 'helm/values-doks.yaml')],
  },
];

const dir = mkdtempSync(join(tmpdir(), 'todo-kube-lane-'));
let cluster: Cluster | undefined;
/** The server's version, for `helm template --kube-version` (the chart requires >= 1.30). */
let serverVersion = '';
/** helm and kubectl see only the lane's cluster and keep their caches in the lane's folder. */
const env = () => ({
  ...process.env,
  KUBECONFIG: cluster?.kubeconfig ?? '',
  HELM_CACHE_HOME: join(dir, 'helm/cache'),
  HELM_CONFIG_HOME: join(dir, 'helm/config'),
  HELM_DATA_HOME: join(dir, 'helm/data'),
});

function sh(command: string, args: string[], input?: string): string {
  const r = spawnSync(command, args, {
    env: env(),
    encoding: 'utf8',
    input,
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const kubectl = (...args: string[]) => sh(bins.kubectl, args);
const helm = (...args: string[]) => sh(HELM, args);

const execFileAsync = promisify(execFile);
/** kubectl get … -o json without blocking the event loop (the samplers run beside helm). */
async function getJson<T>(...args: string[]): Promise<T> {
  const { stdout } = await execFileAsync(bins.kubectl, ['get', ...args, '-o', 'json'], {
    env: env(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

interface Meta {
  name: string;
  namespace?: string;
  generation?: number;
  ownerReferences?: { kind: string; name: string }[];
  annotations?: Record<string, string>;
}
interface ReplicaSet {
  metadata: Meta;
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status: { replicas?: number };
}
interface Deployment {
  metadata: Meta;
  spec: { replicas: number; template: { spec: { containers: { name: string; image: string }[] } } };
  status: { observedGeneration?: number };
}
interface List<T> {
  items: T[];
}

/** Every object of a YAML stream as kind/name (deploycheck parses it with yaml.v3). */
function objectsOf(yaml: string): string[] {
  const docs = JSON.parse(sh(DEPLOYCHECK, ['yaml2json'], yaml)) as ({
    kind?: string;
    metadata?: { name?: string };
  } | null)[];
  return docs
    .filter((d) => d?.kind)
    .map((d) => `${d?.kind?.toLowerCase()}/${d?.metadata?.name}`)
    .sort();
}

/** `kubectl … -o name` prints kind.group/name; the rendered side has kind/name. */
const kindName = (line: string) => line.replace(/^([^./]+)(\.[^/]+)?\//, '$1/');

const image = (rs: ReplicaSet) => rs.spec.template.spec.containers[0]?.image ?? '';
const ownedBy = (rs: ReplicaSet, deployment: string) =>
  rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === deployment);

/** A Deployment's ReplicaSets split by whether their pod template runs `tag`. */
async function replicaSets(namespace: string, deployment: string, tag: string) {
  const { items } = await getJson<List<ReplicaSet>>('replicasets', '-n', namespace);
  const mine = items.filter((rs) => ownedBy(rs, deployment));
  return {
    current: mine.filter((rs) => image(rs).endsWith(`:${tag}`)),
    others: mine.filter((rs) => !image(rs).endsWith(`:${tag}`)),
  };
}

/** Resolves once the deployment controller has seen the Deployment's latest spec. */
async function observed(namespace: string, name: string): Promise<Deployment> {
  return waitFor(
    `deployment ${name} observed`,
    async () => {
      const d = await getJson<Deployment>('deployment', name, '-n', namespace);
      return d.status.observedGeneration === d.metadata.generation ? d : undefined;
    },
    60_000,
    250,
  );
}

const tagOf = (d: Deployment) =>
  (d.spec.template.spec.containers[0]?.image ?? '').split(':').pop() ?? '';

describe('helm/todo-chatbot on a real Kubernetes API server', { timeout: 540_000 }, () => {
  before(async () => {
    const started = Date.now();
    cluster = await startCluster(bins, dir);
    const version = JSON.parse(kubectl('version', '-o', 'json')) as {
      serverVersion: { gitVersion: string };
    };
    serverVersion = version.serverVersion.gitVersion;
    note(`control plane ${serverVersion} up at ${cluster.server} in ${Date.now() - started} ms`);
    // The chart's Dapr objects need Dapr's CRDs, as a cluster with Dapr installed has them.
    kubectl('apply', '--server-side', '-f', CRDS);
    kubectl('wait', '--for=condition=Established', '--timeout=60s',
      'crd/components.dapr.io', 'crd/configurations.dapr.io'); // prettier-ignore
  });

  after(async () => {
    if (cluster) {
      for (const proc of cluster.procs) {
        if (!proc.running()) note(`${proc.name} had exited:\n${proc.tail()}`);
      }
      await cluster.stop();
    }
    // KEEP_LANE_DATA=1 keeps the folder: certificates, etcd's data and every process's log.
    if (process.env.KEEP_LANE_DATA === '1') note(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  });

  it('serves the Kubernetes version the chart requires, and Dapr Components', () => {
    assert.match(serverVersion, /^v1\.(3[0-9])\.\d+$/);
    const resources = kubectl('api-resources', '--api-group=dapr.io', '-o', 'name');
    assert.deepEqual(resources.trim().split('\n').sort(), [
      'components.dapr.io',
      'configurations.dapr.io',
    ]);
  });

  for (const target of TARGETS) {
    it(`accepts every object rendered with ${target.label}: server-side dry-run, then helm install`, () => {
      kubectl('create', 'namespace', target.namespace);
      // helm template renders the hooks (the migration and topics Jobs) with the rest.
      const rendered = helm('template', RELEASE, CHART, '-n', target.namespace,
        '--kube-version', serverVersion, ...target.values); // prettier-ignore
      const expected = objectsOf(rendered);
      assert.ok(expected.length >= 15, `rendered ${expected.length} objects`);
      const file = join(dir, `${target.namespace}.yaml`);
      writeFileSync(file, rendered);
      // Admission, schema validation (built-in types and the CRDs' OpenAPI schemas) and
      // defaulting run on the server; nothing is stored.
      const dryRun = kubectl('apply', '--server-side', '--dry-run=server', '-n', target.namespace,
        '-f', file, '-o', 'name'); // prettier-ignore
      assert.deepEqual(dryRun.trim().split('\n').map(kindName).sort(), expected);

      // The hook Jobs wait for pods that never run here: helm installs the rest, the Jobs are
      // then stored like helm would store them (a real server accepting them is the check).
      helm('install', RELEASE, CHART, '-n', target.namespace, '--no-hooks', '--timeout', '2m',
        ...target.values); // prettier-ignore
      const manifest = helm('get', 'manifest', RELEASE, '-n', target.namespace);
      const hooks = helm('get', 'hooks', RELEASE, '-n', target.namespace);
      // The hooks are the chart's Jobs: the migration always, topic creation when enabled.
      const jobs = expected.filter((o) => o.startsWith('job/'));
      assert.ok(jobs.includes('job/todo-todo-chatbot-migrate'), jobs.join());
      assert.deepEqual(objectsOf(hooks), jobs);
      writeFileSync(file, hooks);
      kubectl('apply', '--server-side', '-n', target.namespace, '-f', file);
      writeFileSync(file, manifest + '\n---\n' + hooks);
      const stored = kubectl('get', '-n', target.namespace, '-f', file, '-o', 'name');
      assert.deepEqual(stored.trim().split('\n').map(kindName).sort(), expected);
      note(`${target.label}: ${expected.length} objects accepted and stored`);
    });
  }

  for (const target of TARGETS) {
    it(`upgrades ${target.label} to another image tag without scaling an old ReplicaSet down early (maxUnavailable: 0)`, async () => {
      const { items } = await getJson<List<Deployment>>('deployments', '-n', target.namespace);
      assert.equal(items.length, 4, 'api, workers, socket, client');
      const names = items.map((d) => d.metadata.name).sort();
      const firstTag = tagOf(items[0] as Deployment);
      // The first rollout: each Deployment's ReplicaSet holds its replicas and made its pods.
      const desired = new Map<string, number>();
      for (const name of names) {
        const d = await observed(target.namespace, name);
        desired.set(name, d.spec.replicas);
        await waitFor(`${name}'s first ReplicaSet and its pods`, async () => {
          const { current } = await replicaSets(target.namespace, name, firstTag);
          return current.length === 1 && current[0]?.status.replicas === d.spec.replicas;
        }, 60_000, 250); // prettier-ignore
      }

      // Sample every ReplicaSet while helm upgrades and the controller reconciles.
      const lowest = new Map<string, number>();
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const name of names) {
            const { others } = await replicaSets(target.namespace, name, NEXT_TAG);
            const old = others.reduce((n, rs) => n + rs.spec.replicas, 0);
            lowest.set(name, Math.min(lowest.get(name) ?? old, old));
          }
        }
      })();
      helm('upgrade', RELEASE, CHART, '-n', target.namespace, '--no-hooks', '--reuse-values',
        '--set', `image.tag=${NEXT_TAG}`); // prettier-ignore
      try {
        for (const name of names) {
          const d = await observed(target.namespace, name);
          assert.equal(tagOf(d), NEXT_TAG);
          // The surge: one new pod made; it never becomes ready (no kubelet), so the rollout
          // must stop there with every old replica kept.
          await waitFor(`${name}'s new ReplicaSet surged by one pod`, async () => {
            const { current } = await replicaSets(target.namespace, name, NEXT_TAG);
            return current.length === 1 && current[0]?.spec.replicas === 1 && current[0].status.replicas === 1;
          }, 60_000, 250); // prettier-ignore
          await observed(target.namespace, name);
        }
      } finally {
        sampling = false;
        await sampler;
      }
      for (const name of names) {
        const { current, others } = await replicaSets(target.namespace, name, NEXT_TAG);
        const want = desired.get(name) ?? 0;
        const old = others.reduce((n, rs) => n + rs.spec.replicas, 0);
        note(
          `${name}: old ReplicaSet ${old}/${want} (lowest seen ${lowest.get(name)}), new ${current[0]?.spec.replicas}`,
        );
        assert.equal(old, want, `${name}: the old ReplicaSet keeps its ${want} replicas`);
        assert.equal(
          lowest.get(name),
          want,
          `${name}: never scaled below ${want} during the upgrade`,
        );
      }
    });

    it(`rolls ${target.label} back to revision 1, with the revision history helm shows`, async () => {
      helm('rollback', RELEASE, '1', '-n', target.namespace, '--no-hooks');
      const history = JSON.parse(
        helm('history', RELEASE, '-n', target.namespace, '-o', 'json'),
      ) as { revision: number; status: string; description: string; app_version: string }[];
      assert.deepEqual(
        history.map(({ revision, status, description }) => ({ revision, status, description })),
        [
          { revision: 1, status: 'superseded', description: 'Install complete' },
          { revision: 2, status: 'superseded', description: 'Upgrade complete' },
          { revision: 3, status: 'deployed', description: 'Rollback to 1' },
        ],
      );
      const { items } = await getJson<List<Deployment>>('deployments', '-n', target.namespace);
      for (const d of items) {
        const name = d.metadata.name;
        const back = await observed(target.namespace, name);
        assert.notEqual(tagOf(back), NEXT_TAG, `${name} runs the first tag again`);
        // The controller makes the first ReplicaSet current again (revision 3) with all its
        // replicas. The surge pod stays: with maxUnavailable: 0 a pod is removed only once
        // another is available, and none ever is here (in a cluster the first ReplicaSet's
        // pods are ready, and the surge is scaled away).
        const first = await waitFor(`${name}'s first ReplicaSet current again`, async () => {
          const { others } = await replicaSets(target.namespace, name, NEXT_TAG);
          return others.find(
            (rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3',
          );
        }, 60_000, 250); // prettier-ignore
        assert.equal(first.spec.replicas, back.spec.replicas, `${name} keeps its replicas`);
        const { current } = await replicaSets(target.namespace, name, NEXT_TAG);
        assert.deepEqual(
          current.map((rs) => rs.spec.replicas),
          [1],
          `${name}: only the one surge pod`,
        );
      }
    });
  }
});

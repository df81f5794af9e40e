/**
 * A Kubernetes control plane without nodes, on 127.0.0.1: etcd, kube-apiserver and
 * kube-controller-manager (the deployment and replicaset controllers only), built from Go modules
 * by ops/kube/build.sh, with certificates made here by openssl (Debian's). No kubelet and no
 * scheduler: objects are stored, validated and reconciled, pods never run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/infra/ports.js';
import { startProc, waitFor, type Proc } from '../e2e-dapr/processes.js';

export interface Binaries {
  etcd: string;
  apiserver: string;
  controllerManager: string;
  kubectl: string;
}

export interface Cluster {
  /** kubeconfig of a cluster admin (group system:masters), for kubectl and helm. */
  kubeconfig: string;
  server: string;
  procs: Proc[];
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.error) throw new Error(`openssl is missing (apt-get install openssl): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
}

/** A key and a certificate signed by the lane's CA (P-256; valid one day: the lane is short). */
function issue(dir: string, name: string, subject: string, extensions: string[]): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', subject,
    '-CA', 'ca.crt', '-CAkey', 'ca.key',
    ...extensions.flatMap((e) => ['-addext', e]),
  ]); // prettier-ignore
}

/** The PKI of a kubeadm-like control plane, generated afresh for every run. */
function makePki(dir: string): void {
  mkdirSync(dir, { recursive: true });
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=todo-chatbot-lane-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  // The serving certificate names every address a client of this server may use, and the
  // in-cluster names and service IP that a real cluster's certificate carries.
  issue(dir, 'apiserver', '/CN=kube-apiserver', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1',
    'extendedKeyUsage=serverAuth',
    'keyUsage=critical,digitalSignature',
  ]);
  // Client certificates: the user is the CN, the groups are the O fields.
  issue(dir, 'admin', '/O=system:masters/CN=todo-chatbot-lane-admin', [
    'extendedKeyUsage=clientAuth',
    'keyUsage=critical,digitalSignature',
  ]);
  issue(dir, 'controller-manager', '/CN=system:kube-controller-manager', [
    'extendedKeyUsage=clientAuth',
    'keyUsage=critical,digitalSignature',
  ]);
  // The key pair the API server signs and verifies service-account tokens with.
  openssl(dir, [
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    'sa.key',
  ]);
  openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

function kubeconfig(dir: string, server: string, user: string): string {
  const file = join(dir, `${user}.kubeconfig`);
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: lane',
    `    cluster: { server: '${server}', certificate-authority: '${join(dir, 'ca.crt')}' }`,
    'users:',
    `  - name: ${user}`,
    `    user: { client-certificate: '${join(dir, `${user}.crt`)}', client-key: '${join(dir, `${user}.key`)}' }`,
    'contexts:',
    `  - name: lane`,
    `    context: { cluster: lane, user: ${user} }`,
    'current-context: lane',
    '',
  ].join('\n');
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** Polls `ready` until it holds; fails at once, with its log, if `proc` exits first. */
async function readyWhileRunning(
  proc: Proc,
  what: string,
  ready: () => Promise<boolean> | boolean,
  timeoutMs: number,
): Promise<void> {
  const outcome = await waitFor(
    what,
    async () => (proc.running() ? (await ready()) && 'ready' : 'exited'),
    timeoutMs,
    250,
  );
  if (outcome === 'exited') {
    throw new Error(`${proc.name} exited (code ${proc.child.exitCode}):\n${proc.tail()}`);
  }
}

export async function startCluster(bins: Binaries, dir: string): Promise<Cluster> {
  const pki = join(dir, 'pki');
  makePki(pki);
  const procs: Proc[] = [];
  const stop = async () => {
    // The reverse order of start: clients of etcd go first.
    for (const proc of [...procs].reverse()) await proc.stop(5_000);
  };
  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    // etcd speaks plain HTTP on loopback only: nothing but this machine's API server reaches it.
    const etcd = startProc({
      name: 'etcd',
      command: bins.etcd,
      args: [
        '--name=lane',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=lane=http://127.0.0.1:${etcdPeer}`,
        '--log-level=warn',
        // The lane's data is thrown away: no fsync wait per write on a busy shared disk.
        '--unsafe-no-fsync',
      ],
      logFile: join(dir, 'etcd.log'),
    });
    procs.push(etcd);
    await readyWhileRunning(
      etcd,
      'etcd /health',
      async () => (await fetch(`${etcdUrl}/health`).catch(() => null))?.ok ?? false,
      60_000,
    );

    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProc({
      name: 'kube-apiserver',
      command: bins.apiserver,
      args: [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
        `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
        `--client-ca-file=${join(pki, 'ca.crt')}`,
        '--authorization-mode=RBAC',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${join(pki, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
        // A range to allocate Service ClusterIPs from (stored in etcd; no traffic goes there).
        '--service-cluster-ip-range=10.96.0.0/16',
        // A real cluster publishes the API server's node addresses as the `kubernetes`
        // Service's endpoints; a loopback address is not a valid endpoint, so none is published.
        '--endpoint-reconciler-type=none',
        '--profiling=false',
        '--v=1',
      ],
      logFile: join(dir, 'kube-apiserver.log'),
    });
    procs.push(apiserver);
    const admin = kubeconfig(pki, server, 'admin');
    // /readyz is public (system:public-info-viewer); the CA is the lane's own, so the check runs
    // through kubectl, which trusts it from the kubeconfig.
    await readyWhileRunning(
      apiserver,
      'kube-apiserver /readyz',
      () => {
        const r = spawnSync(bins.kubectl, ['--kubeconfig', admin, 'get', '--raw', '/readyz'], {
          encoding: 'utf8',
          timeout: 10_000,
        });
        return r.status === 0 && r.stdout.trim() === 'ok';
      },
      180_000,
    );

    const controllerManager = startProc({
      name: 'kube-controller-manager',
      command: bins.controllerManager,
      args: [
        `--kubeconfig=${kubeconfig(pki, server, 'controller-manager')}`,
        // Only what reconciles the chart's Deployments; no node, so no pod ever becomes ready.
        '--controllers=deployment-controller,replicaset-controller',
        '--leader-elect=false',
        // Each controller acts as its own service account (kube-system/deployment-controller, …)
        // with a token from the TokenRequest API, bound by RBAC's bootstrap roles, as kubeadm runs it.
        '--use-service-account-credentials=true',
        // No metrics/health endpoint: the lane watches what the controllers do instead.
        '--secure-port=0',
        '--v=1',
      ],
      logFile: join(dir, 'kube-controller-manager.log'),
    });
    procs.push(controllerManager);
    return { kubeconfig: admin, server, procs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

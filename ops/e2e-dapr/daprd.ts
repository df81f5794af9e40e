import { join } from 'node:path';
import { freePort } from '@todo/ops/testing';
import { startProc, waitForHttp, type Proc } from './processes.js';

export interface SidecarOptions {
  daprd: string;
  appId: string;
  /** Unset for a publish-only app (the api): no app channel, no subscriptions. */
  appPort?: number;
  resourcesPath: string;
  configPath: string;
  logDir: string;
  /** Name in logs: the app id is shared by the two socket nodes. */
  name: string;
  env?: Record<string, string>;
}

/**
 * One self-hosted daprd next to one app, as the chart's injected sidecar but without the
 * control plane: no placement (no actors), no scheduler, no mTLS. Its ports stay the same
 * across restarts, so the app keeps talking to the same address.
 */
export class Sidecar {
  private proc: Proc | null = null;
  httpPort = 0;
  private grpcPort = 0;
  private internalGrpcPort = 0;
  private metricsPort = 0;

  constructor(private readonly options: SidecarOptions) {}

  /** The running daprd's process id (0 when stopped), for CPU accounting in benchmarks. */
  get pid(): number {
    return this.proc?.child.pid ?? 0;
  }

  async allocatePorts(): Promise<void> {
    this.httpPort = await freePort();
    this.grpcPort = await freePort();
    this.internalGrpcPort = await freePort();
    this.metricsPort = await freePort();
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Starts daprd; resolves once its outbound side (components loaded) is healthy. */
  async start(): Promise<void> {
    if (this.httpPort === 0) await this.allocatePorts();
    const o = this.options;
    const args = [
      '--mode',
      'standalone',
      '--app-id',
      o.appId,
      '--dapr-http-port',
      String(this.httpPort),
      '--dapr-grpc-port',
      String(this.grpcPort),
      '--dapr-internal-grpc-port',
      String(this.internalGrpcPort),
      '--metrics-port',
      String(this.metricsPort),
      '--dapr-listen-addresses',
      '127.0.0.1',
      '--resources-path',
      o.resourcesPath,
      '--config',
      o.configPath,
      '--placement-host-address',
      '',
      '--scheduler-host-address',
      '',
      '--log-level',
      process.env.DAPR_LOG_LEVEL ?? 'info',
      '--dapr-graceful-shutdown-seconds',
      '5',
    ];
    if (o.appPort !== undefined)
      args.push(
        '--app-port',
        String(o.appPort),
        '--app-protocol',
        'http',
        '--app-channel-address',
        '127.0.0.1',
      );
    this.proc = startProc({
      name: `daprd ${o.name}`,
      command: o.daprd,
      args,
      env: o.env,
      logFile: join(o.logDir, `daprd-${o.name}.log`),
    });
    await waitForHttp(`${this.url}/v1.0/healthz/outbound`, this.proc, 60_000);
  }

  /** Resolves once daprd reports itself fully healthy (app channel up, subscriptions made). */
  async ready(timeoutMs = 60_000): Promise<void> {
    if (!this.proc) throw new Error(`${this.options.name}: not started`);
    await waitForHttp(`${this.url}/v1.0/healthz`, this.proc, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.proc?.stop(15_000);
    this.proc = null;
  }

  /** SIGKILL, as a sidecar lost without warning (no graceful shutdown of its consumers). */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc?.running()) return;
    proc.child.kill('SIGKILL');
    await proc.exited;
    this.proc = null;
  }

  /** Stops daprd, leaves it down for `downMs`, starts it again on the same ports. */
  async restart(downMs = 0): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start();
    await this.ready();
  }

  tail(): string {
    return this.proc?.tail() ?? '(not running)';
  }
}

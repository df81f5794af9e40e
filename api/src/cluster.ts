import cluster from 'node:cluster';
import type { Logger } from './logger.js';

/**
 * Runs `count` api processes sharing one port (node:cluster; the primary hands each new
 * connection to the next process). For a single machine whose cores one event loop cannot
 * use (decision 040); in Kubernetes, scale replicas instead and leave API_PROCESSES at 1.
 * Each process is a whole api: migrations are serialised by their advisory lock, and only
 * one outbox relay publishes (leader lock), so events keep their order.
 */
export function superviseApiProcesses(count: number, logger: Logger): void {
  let stopping = false;
  for (let i = 0; i < count; i += 1) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A process that dies on its own takes the rest down: the orchestrator restarts the lot.
    logger.fatal({ pid: worker.process.pid, code, signal }, 'api process exited; stopping');
    stopping = true;
    for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
    process.exitCode = 1;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    });
  }
}

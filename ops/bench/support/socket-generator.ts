/**
 * A child process holding a share of the benchmark's Socket.IO clients (realtime-fanout.ts
 * forks two). It timestamps every `task_update` on arrival with CLOCK_MONOTONIC, which the
 * parent shares, and sends the receipts up in small batches; it does nothing else, so its
 * event loop stays free (its delay is reported so a reader can tell).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@todo/contracts';

export interface GeneratorSocket {
  /** Index of the user in the parent's list; `userId` is that user's id. */
  user: number;
  userId: string;
  /** Owners whose tasks this socket may get: the user, and on a shared list its owner. */
  owners: string[];
  tab: number;
  token: string;
  url: string;
}

export type ToGenerator =
  { type: 'connect'; sockets: GeneratorSocket[]; concurrency: number } | { type: 'finish' };

/**
 * [writeId, user, tab, receivedAtMonotonicMs, msSinceChange]: the last is the wall-clock
 * arrival − the update's `timestamp` (when the api recorded the change), so the part after
 * the api's own request handling can be told apart.
 */
export type Receipt = [number, number, number, number, number];

export type FromGenerator =
  | { type: 'connected'; ok: number; failed: number; errors: string[]; ms: number }
  | { type: 'receipts'; items: Receipt[] }
  | {
      type: 'finished';
      /** Updates of a task this socket's user may not see: must be 0. */
      foreign: number;
      disconnects: number;
      disconnectReasons: string[];
      eventLoopDelayMs: { p50: number; p99: number; max: number };
    };

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;
const delayMs = (ns: number) => +Math.max(0, ns / 1e6 - SAMPLE_MS).toFixed(1);
const post = (message: FromGenerator) => process.send?.(message);

const sockets: ClientSocket[] = [];
let pending: Receipt[] = [];
let foreign = 0;
let disconnects = 0;
const disconnectReasons = new Set<string>();
// Samples every 10 ms; the reported delay is what exceeds that interval.
const SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: SAMPLE_MS });
loopDelay.enable();

// Batched so IPC costs little per delivery; 20 ms adds nothing to the measurement (the
// receipt time is taken on arrival), only to when the parent learns of it.
const flusher = setInterval(() => {
  if (pending.length === 0) return;
  post({ type: 'receipts', items: pending });
  pending = [];
}, 20);

function open(spec: GeneratorSocket): Promise<string | null> {
  return new Promise((resolve) => {
    const socket: ClientSocket = io(spec.url, {
      transports: ['websocket'],
      auth: { token: spec.token },
      // One connection per socket, like separate tabs (the default multiplexes one).
      forceNew: true,
      // A dropped socket must show up as missing deliveries, not be papered over.
      reconnection: false,
      timeout: 60_000,
    });
    socket.once('connection_ack', () => resolve(null));
    socket.once('connect_error', (error) => resolve(error.message));
    socket.on('task_update', (message) => {
      const at = monotonicMs();
      if (!spec.owners.includes(message.task.userId)) foreign += 1;
      const title = message.task.title;
      if (!title.startsWith('w')) return; // set-up writes, not measured
      const sinceChange =
        performance.timeOrigin + performance.now() - Date.parse(message.timestamp);
      pending.push([Number(title.slice(1)), spec.user, spec.tab, at, sinceChange]);
    });
    socket.on('disconnect', (reason) => {
      disconnects += 1;
      disconnectReasons.add(reason);
    });
    sockets.push(socket);
  });
}

async function connectAll(specs: GeneratorSocket[], concurrency: number) {
  const started = performance.now();
  const errors: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < specs.length) {
        const error = await open(specs[next++]!);
        if (error) errors.push(error);
      }
    }),
  );
  post({
    type: 'connected',
    ok: specs.length - errors.length,
    failed: errors.length,
    errors: [...new Set(errors)].slice(0, 5),
    ms: Math.round(performance.now() - started),
  });
}

process.on('message', (message: ToGenerator) => {
  if (message.type === 'connect') void connectAll(message.sockets, message.concurrency);
  if (message.type === 'finish') {
    clearInterval(flusher);
    if (pending.length) post({ type: 'receipts', items: pending });
    pending = [];
    // Counted before closing: our own close is not a failure.
    const finished: FromGenerator = {
      type: 'finished',
      foreign,
      disconnects,
      disconnectReasons: [...disconnectReasons],
      eventLoopDelayMs: {
        p50: delayMs(loopDelay.percentile(50)),
        p99: delayMs(loopDelay.percentile(99)),
        max: delayMs(loopDelay.max),
      },
    };
    for (const socket of sockets) socket.disconnect();
    process.send?.(finished, () => process.disconnect());
  }
});

import type { TaskChangesPage } from '@todo/contracts';
import { io } from 'socket.io-client';
import type { SocketClient } from '../e2e-dapr/clients.js';

const seqGreater = (a: string, b: string) => BigInt(a) > BigInt(b);

/**
 * One browser tab of the scale lane: a Socket.IO connection to one of the socket nodes that
 * moves to the next node when its own is lost (as a load balancer would send the reconnect),
 * and catches up through the change feed from its last cursor on every (re)connection, as the
 * web app's task store does. Records every change it saw, live or caught up, by seq.
 */
export class Tab {
  /** seq → how many times it arrived live. */
  readonly live = new Map<string, number>();
  /** seq → change → tab latency (arrival − the change's timestamp) and arrival time. */
  readonly liveLatency: { at: number; ms: number }[] = [];
  /** seqs replayed from the change feed after a reconnection. */
  readonly caughtUp = new Set<string>();
  reconnections = 0;
  private lastSeq = '0';
  private socket: SocketClient | null = null;
  private closed = false;
  private node: number;

  constructor(
    private readonly nodes: string[],
    first: number,
    private readonly token: string,
    private readonly apiUrl: string,
  ) {
    this.node = first;
  }

  /** Resolves once the first node acknowledged the connection. */
  open(timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no connection_ack')), timeoutMs);
      this.connect(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  seen(seq: string): boolean {
    return this.live.has(seq) || this.caughtUp.has(seq);
  }

  private connect(acked?: () => void): void {
    if (this.closed) return;
    const socket: SocketClient = io(this.nodes[this.node] as string, {
      transports: ['websocket'],
      auth: { token: this.token },
      reconnection: false,
      forceNew: true,
      timeout: 5_000,
    });
    this.socket = socket;
    // Task and list changes share one feed (one seq); a tab is owed both.
    const onChange = (message: { seq: string; timestamp: string }) => {
      this.live.set(message.seq, (this.live.get(message.seq) ?? 0) + 1);
      const at = Date.now();
      this.liveLatency.push({ at, ms: at - Date.parse(message.timestamp) });
      if (seqGreater(message.seq, this.lastSeq)) this.lastSeq = message.seq;
    };
    socket.on('task_update', onChange);
    socket.on('list_update', onChange);
    socket.once('connection_ack', () => {
      acked?.();
      void this.catchUp(this.lastSeq);
    });
    const moveOn = () => {
      socket.removeAllListeners();
      socket.close();
      if (this.closed) return;
      this.reconnections++;
      this.node = (this.node + 1) % this.nodes.length;
      setTimeout(() => this.connect(acked), 200);
    };
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') moveOn();
    });
    socket.on('connect_error', moveOn);
  }

  /** Pages the change feed from `since` (the cursor when the connection was acknowledged). */
  private async catchUp(since: string): Promise<void> {
    let cursor = since;
    for (let attempt = 0; attempt < 100 && !this.closed;) {
      try {
        const response = await fetch(`${this.apiUrl}/api/v1/tasks/changes?since=${cursor}`, {
          headers: { authorization: `Bearer ${this.token}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) throw new Error(`changes answered ${response.status}`);
        const page = (await response.json()) as TaskChangesPage;
        const seqs = [...page.changes, ...page.listChanges].map((change) => change.seq);
        for (const seq of seqs) {
          this.caughtUp.add(seq);
          if (seqGreater(seq, this.lastSeq)) this.lastSeq = seq;
        }
        cursor = page.nextCursor;
        if (!page.hasMore || seqs.length === 0) return;
      } catch {
        // An api replica that is down answers 502 through the proxy: try again shortly.
        attempt++;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }

  close(): void {
    this.closed = true;
    this.socket?.removeAllListeners();
    this.socket?.close();
  }
}

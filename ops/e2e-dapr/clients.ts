import type {
  ClientToServerEvents,
  Notification,
  ServerToClientEvents,
  Task,
  TaskUpdateMessage,
} from '@todo/contracts';
import { io, type Socket } from 'socket.io-client';

export type SocketClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A signed-up user calling the REST API as the web app does. */
export class ApiUser {
  constructor(
    readonly apiUrl: string,
    readonly userId: string,
    readonly token: string,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await fetch(`${this.apiUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as T,
      headers: response.headers,
    };
  }

  async createTask(input: Record<string, unknown>, correlationId?: string): Promise<Task> {
    const result = await this.call<Task>(
      'POST',
      '/tasks',
      input,
      correlationId ? { 'x-correlation-id': correlationId } : {},
    );
    if (result.status !== 201)
      throw new Error(`POST /tasks answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  }
}

/** One received `task_update`, with the local time it arrived. */
export interface Received {
  at: number;
  message: TaskUpdateMessage;
}

/** A Socket.IO client of one node that records every `task_update` it gets. */
export class RecordingClient {
  readonly received: Received[] = [];
  /** `notification` messages (the inbox rows pushed from the `notifications` topic). */
  readonly notifications: { at: number; notification: Notification }[] = [];
  readonly socket: SocketClient;
  private listeners: (() => void)[] = [];

  private constructor(url: string, token: string) {
    this.socket = io(url, {
      transports: ['websocket'],
      auth: { token },
      reconnectionDelay: 100,
      reconnectionDelayMax: 300,
      forceNew: true,
    });
    this.socket.on('task_update', (message) => {
      this.received.push({ at: Date.now(), message });
      for (const listener of this.listeners) listener();
    });
    this.socket.on('notification', (notification) => {
      this.notifications.push({ at: Date.now(), notification });
    });
  }

  static async connect(url: string, token: string, timeoutMs = 10_000): Promise<RecordingClient> {
    const client = new RecordingClient(url, token);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`no connection_ack from ${url} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.socket.once('connection_ack', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return client;
  }

  /** Updates received for one task, in arrival order. */
  forTask(taskId: string, action?: TaskUpdateMessage['action']): Received[] {
    return this.received.filter(
      (r) => r.message.taskId === taskId && (action === undefined || r.message.action === action),
    );
  }

  /** Resolves with the first update matching `match` (already received or to come). */
  waitFor(
    what: string,
    match: (m: TaskUpdateMessage) => boolean,
    timeoutMs = 20_000,
  ): Promise<Received> {
    const found = this.received.find((r) => match(r.message));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const listener = () => {
        const hit = this.received.find((r) => match(r.message));
        if (!hit) return;
        done();
        resolve(hit);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`socket client: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      this.listeners.push(listener);
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** p50 / p95 / p99 / max of a list of milliseconds. */
export function summarize(samples: number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

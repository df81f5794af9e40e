import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Balancer {
  url: string;
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

/**
 * A TCP round-robin balancer standing in for the Service/ingress in front of the nodes:
 * each new connection goes to the next backend that accepts it, so a stopped node is
 * skipped. Clients use the WebSocket transport, which needs no stickiness.
 */
export async function startBalancer(): Promise<Balancer> {
  let backends: number[] = [];
  let next = 0;
  const open = new Set<Socket>();

  const server = createServer((client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.pause();
    const attempt = (tries: number) => {
      if (tries >= backends.length) {
        client.destroy();
        return;
      }
      const port = backends[next++ % backends.length];
      const upstream = connect(port ?? 0, '127.0.0.1');
      upstream.once('error', () => attempt(tries + 1));
      upstream.once('connect', () => {
        open.add(upstream);
        upstream.removeAllListeners('error');
        const closeBoth = () => {
          client.destroy();
          upstream.destroy();
          open.delete(upstream);
        };
        upstream.on('error', closeBoth).on('close', closeBoth);
        client.on('error', closeBoth).on('close', closeBoth);
        client.pipe(upstream).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setBackends(ports) {
      backends = ports;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

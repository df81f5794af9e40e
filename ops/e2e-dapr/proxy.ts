import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';

/**
 * A load balancer in front of api replicas, as a Kubernetes Service is: each request goes to
 * the next replica in turn. A replica that is down answers 502 here (the request is not retried
 * on another): the client's retry with the same Idempotency-Key is what the lane exercises.
 */
export async function startRoundRobinProxy(
  targets: string[],
): Promise<{ url: string; close(): Promise<void> }> {
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 20_000 });
  proxy.on('error', (_error, _req, res) => {
    if (res && 'writeHead' in res && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BAD_GATEWAY', message: 'replica unavailable' } }));
    } else if (res && 'destroy' in res) res.destroy();
  });
  let turn = 0;
  const server = createServer((req, res) => {
    turn = (turn + 1) % targets.length;
    proxy.web(req, res, { target: targets[turn] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

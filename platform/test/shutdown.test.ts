import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Shutdown, closeServer } from '../src/index.js';
import { recordingLogger } from './support.js';

describe('graceful shutdown', () => {
  it('runs the steps once, in the order added, and keeps going past a failed one', async () => {
    const { logger, lines } = recordingLogger();
    const order: string[] = [];
    const shutdown = new Shutdown({ name: 'test', logger, timeoutMs: 5000 })
      .add('http', () => void order.push('http'))
      .add('workers', async () => {
        order.push('workers');
        throw new Error('worker refused to close');
      })
      .add('redis', async () => void order.push('redis'));
    assert.equal(shutdown.draining, false);
    const [first, second] = await Promise.all([shutdown.run('test'), shutdown.run('again')]);
    assert.deepEqual(order, ['http', 'workers', 'redis']);
    assert.equal(first, 1, 'a failed step makes the exit code 1');
    assert.equal(second, 1);
    assert.equal(shutdown.draining, true);
    assert.ok(lines.some((l) => l.step === 'workers' && l.msg === 'shutdown step failed'));
  });

  it('gives up at the deadline with exit code 1, naming the deadline', async () => {
    const { logger, lines } = recordingLogger();
    const shutdown = new Shutdown({ name: 'test', logger, timeoutMs: 50 }).add(
      'stuck',
      () => new Promise<void>(() => {}),
    );
    assert.equal(await shutdown.run('test'), 1);
    assert.ok(lines.some((l) => l.msg === 'shutdown did not finish in time'));
  });

  it('lets an in-flight request finish while refusing new connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((_req, res) => {
      void released.then(() => res.end('finished'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const inFlight = fetch(url).then((r) => r.text());
    // The request has reached the handler once the server counts its connection.
    await new Promise<void>((resolve) => {
      const poll = () =>
        server.getConnections((_e, count) => (count > 0 ? resolve() : setImmediate(poll)));
      poll();
    });
    const closing = closeServer(server);
    await assert.rejects(fetch(url), 'no new connections while draining');
    release();
    assert.equal(await inFlight, 'finished');
    await closing;
    assert.equal(server.listening, false);
  });

  it('drains on SIGTERM in a real process and exits 0 after the last step', async () => {
    const script = fileURLToPath(new URL('./support/signal-child.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('"msg":"ready"')) resolve();
      }),
    );
    await ready;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    const messages = output
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    assert.deepEqual(messages, [
      'ready',
      'shutting down',
      'first step',
      'second step',
      'signal-child stopped',
    ]);
  });
});

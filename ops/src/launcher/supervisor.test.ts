import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { Supervisor, type RunningUnit, type Unit } from './supervisor.js';

/** A unit whose process lives until killed, or exits at once with `exitCode`. */
function nodeUnit(name: string, exitCode?: number): Unit & { starts: number } {
  const unit = {
    name,
    starts: 0,
    async start(): Promise<RunningUnit> {
      unit.starts += 1;
      const script =
        exitCode === undefined ? 'setInterval(() => {}, 1000)' : `process.exit(${exitCode})`;
      const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
      const exited = new Promise<string>((resolve) =>
        child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)),
      );
      return {
        pid: child.pid ?? 0,
        exited,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    },
  };
  return unit;
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('supervisor: a crashed process is restarted; a crash loop stops the stack', () => {
  it('restarts a killed process with backoff and logs it', async () => {
    const lines: string[] = [];
    const upAgain = deferred<number>();
    const supervisor = new Supervisor({
      backoffMs: 50,
      log: (line) => lines.push(line),
      onUp: (_name, running) => {
        if (lines.length) upAgain.resolve(running.pid);
      },
    });
    const unit = nodeUnit('svc');
    const first = await supervisor.add(unit);
    process.kill(first.pid, 'SIGKILL');
    const pid = await upAgain.promise;
    assert.notEqual(pid, first.pid);
    assert.equal(unit.starts, 2);
    assert.equal(supervisor.state('svc'), 'up');
    assert.equal(supervisor.snapshot().svc?.restarts, 1);
    assert.match(lines[0] ?? '', /svc exited \(signal SIGKILL\); restarting in 50 ms/);
    await supervisor.stopAll();
    assert.equal(supervisor.state('svc'), 'stopped');
  });

  it('gives up after maxCrashes within the window, with a clear message', async () => {
    const gaveUp = deferred<string>();
    const supervisor = new Supervisor({
      backoffMs: 10,
      maxCrashes: 3,
      crashWindowMs: 60_000,
      onGiveUp: (_name, message) => gaveUp.resolve(message),
    });
    // Starts fine (exits after start), so every exit counts as a crash.
    const unit = nodeUnit('flappy', 3);
    await supervisor.add(unit);
    const message = await gaveUp.promise;
    assert.match(message, /flappy crashed 3 times within 60 s \(last: code 3\); a crash loop/);
    assert.equal(unit.starts, 3);
    assert.equal(supervisor.state('flappy'), 'stopped');
    await supervisor.stopAll();
  });
});

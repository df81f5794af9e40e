/**
 * Loaded into a measured process with `--import` (never part of a service): every second it
 * appends that second's event-loop delay (`monitorEventLoopDelay`) and garbage-collection
 * pauses (`PerformanceObserver` on `gc`) and CPU time (`process.cpuUsage`) to the file named
 * by `BENCH_PROBE_FILE`, one JSON line each, so a benchmark can line its slow requests up with the process's own stalls.
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  /** @type {Record<number, string>} */
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  let gc = { count: 0, ms: 0, maxMs: 0, major: 0 };
  let cpu = process.cpuUsage();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.ms += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      const kind = /** @type {{ detail?: { kind?: number } }} */ (entry).detail?.kind;
      if (kind !== undefined && kinds[kind] === 'major') gc.major += 1;
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(() => {
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const line = {
      at: Date.now(),
      loopP99Ms: +(loop.percentile(99) / 1e6).toFixed(2),
      loopMaxMs: +(loop.max / 1e6).toFixed(2),
      gcCount: gc.count,
      gcMs: +gc.ms.toFixed(2),
      gcMaxMs: +gc.maxMs.toFixed(2),
      gcMajor: gc.major,
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      // CPU milliseconds this process used in that second (user + system: the kernel's share
      // of socket writes counts too): a cost per request that load on the machine barely moves.
      cpuMs: +((used.user + used.system) / 1000).toFixed(1),
    };
    loop.reset();
    gc = { count: 0, ms: 0, maxMs: 0, major: 0 };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}

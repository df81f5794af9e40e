import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { resultsDir } from './measure.js';

/** Renders a vega-lite spec to <results>/<name>.svg, on the server (no browser). */
export async function writeChart(name: string, spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.svg`);
  writeFileSync(file, svg);
  return file;
}

/** At most `points` (latency, fraction ≤ it) pairs of the empirical CDF of `values`. */
export function cdf(values: number[], points = 300): { ms: number; fraction: number }[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return [];
  const step = Math.max(1, Math.floor(sorted.length / points));
  const out: { ms: number; fraction: number }[] = [];
  for (let i = 0; i < sorted.length; i += step)
    out.push({ ms: +sorted[i]!.toFixed(2), fraction: +((i + 1) / sorted.length).toFixed(4) });
  out.push({ ms: +sorted.at(-1)!.toFixed(2), fraction: 1 });
  return out;
}

const subtitle = (load: number[] | undefined, commit: string) =>
  `commit ${commit}, load average at end ${load?.join(' / ') ?? '?'}`;

/** Percentiles of one run beside its floors; the run's latency per second. */
export async function crudCharts(
  name: string,
  result: {
    targetRatePerSecond: number;
    overall: { p50: number; p95: number; p99: number; max: number };
    floors: Record<string, { p50: number; p95: number; p99: number; max: number }>;
    machine: { loadAverageAtEnd: number[] };
    timeline: {
      second: number;
      requests: number;
      p99: number;
      max: number;
      apiLoopMaxMs: number | null;
    }[];
  },
  commit: string,
): Promise<string[]> {
  const systems = { 'our api': result.overall, ...result.floors };
  const bars = Object.entries(systems).flatMap(([system, s]) =>
    (['p50', 'p95', 'p99', 'max'] as const).map((p) => ({ system, percentile: p, ms: s[p] })),
  );
  const percentiles = await writeChart(`${name}-percentiles`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `CRUD at ${result.targetRatePerSecond} req/s: latency percentiles, ours and the floors`,
      subtitle: subtitle(result.machine.loadAverageAtEnd, commit),
    },
    data: { values: bars },
    mark: 'bar',
    encoding: {
      x: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99', 'max'] },
      xOffset: { field: 'system' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'symlog' }, title: 'latency (ms)' },
      color: { field: 'system' },
    },
    width: 420,
    height: 220,
  });
  const series = result.timeline.flatMap((t) => [
    { second: t.second, series: 'p99 (ms)', value: t.p99 },
    { second: t.second, series: 'max (ms)', value: t.max },
    { second: t.second, series: 'api event-loop delay max (ms)', value: t.apiLoopMaxMs ?? 0 },
    { second: t.second, series: 'throughput (req/s)', value: t.requests },
  ]);
  const overTime = await writeChart(`${name}-over-time`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `CRUD at ${result.targetRatePerSecond} req/s: latency and throughput against time`,
      subtitle: subtitle(result.machine.loadAverageAtEnd, commit),
    },
    data: { values: series },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'second', type: 'quantitative', title: 'second of the run' },
      y: { field: 'value', type: 'quantitative', title: null },
      color: { field: 'series' },
      row: {
        field: 'series',
        title: null,
        sort: ['throughput (req/s)', 'p99 (ms)', 'max (ms)', 'api event-loop delay max (ms)'],
      },
    },
    resolve: { scale: { y: 'independent' } },
    width: 420,
    height: 90,
  });
  return [percentiles, overTime];
}

/** The CDF of every-tab latency (each delivery, and each write's last tab); throughput per second. */
export async function fanoutCharts(
  name: string,
  result: {
    commit: string;
    targetRatePerSecond: number;
    topology: { sockets: number };
    machine: { loadAverageAtEnd: number[] };
  },
  data: {
    eachTab: number[];
    lastTab: number[];
    throughput: { second: number; writes: number; deliveries: number }[];
  },
): Promise<string[]> {
  const what = `${result.topology.sockets} sockets, ${result.targetRatePerSecond} writes/s`;
  const points = [
    ...cdf(data.eachTab).map((p) => ({ ...p, series: 'each delivery' })),
    ...cdf(data.lastTab).map((p) => ({ ...p, series: "a write's last tab (every tab)" })),
  ];
  const latency = await writeChart(`${name}-cdf`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Fan-out, ${what}: CDF of REST write → tab latency`,
      subtitle: subtitle(result.machine.loadAverageAtEnd, result.commit),
    },
    data: { values: points },
    mark: 'line',
    encoding: {
      x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)' },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction delivered within' },
      color: { field: 'series' },
    },
    width: 420,
    height: 240,
  });
  const series = data.throughput.flatMap((t) => [
    { second: t.second, series: 'writes/s', value: t.writes },
    { second: t.second, series: 'deliveries/s', value: t.deliveries },
  ]);
  const overTime = await writeChart(`${name}-throughput`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Fan-out, ${what}: throughput against time`,
      subtitle: subtitle(result.machine.loadAverageAtEnd, result.commit),
    },
    data: { values: series },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'second', type: 'quantitative', title: 'second of the run' },
      y: { field: 'value', type: 'quantitative', title: null },
      row: { field: 'series', title: null },
      color: { field: 'series' },
    },
    resolve: { scale: { y: 'independent' } },
    width: 420,
    height: 110,
  });
  return [latency, overTime];
}

/** CDFs of several latency series in one chart (e.g. next instance and lone reminder). */
export async function latencyCdfChart(
  name: string,
  title: string,
  series: Record<string, number[]>,
  result: { commit: string; machine: { loadAverageAtEnd: number[] } },
): Promise<string> {
  return writeChart(`${name}-cdf`, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: subtitle(result.machine.loadAverageAtEnd, result.commit) },
    data: {
      values: Object.entries(series).flatMap(([label, values]) =>
        cdf(values).map((p) => ({ ...p, series: label })),
      ),
    },
    mark: 'line',
    encoding: {
      x: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency (ms)' },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction within' },
      color: { field: 'series' },
    },
    width: 420,
    height: 240,
  });
}

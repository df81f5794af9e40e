import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';

/**
 * PostgreSQL settings for a measured run: statement statistics, and a server log of slow
 * statements, checkpoints and autovacuum with millisecond UTC timestamps.
 */
export const diagnosticSettings: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'top',
  track_io_timing: 'on',
  log_min_duration_statement: '20',
  log_checkpoints: 'on',
  log_autovacuum_min_duration: '0',
  log_line_prefix: '%m ',
  log_timezone: 'UTC',
};

/** With `diagnosticSettings`: the plan of one statement in twenty, as it ran, in the log. */
export const explainSettings: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements,auto_explain',
  'auto_explain.log_min_duration': '0',
  'auto_explain.sample_rate': '0.05',
  'auto_explain.log_analyze': 'on',
  'auto_explain.log_buffers': 'on',
  'auto_explain.log_timing': 'on',
  'auto_explain.log_nested_statements': 'on',
};

/** One server-log event: when, and what (a slow statement, a checkpoint, an autovacuum). */
export interface PostgresEvent {
  at: number;
  kind: 'slow statement' | 'checkpoint' | 'autovacuum' | 'other';
  text: string;
}

const LOG_LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) UTC (?:\[\d+\] )?(\w+):\s+(.*)$/;

/** Parses the server's log lines (see `log_line_prefix` above) into events. */
export function postgresEvents(lines: string[]): PostgresEvent[] {
  return lines.flatMap((raw) =>
    raw.split('\n').flatMap((line) => {
      const m = LOG_LINE.exec(line.trim());
      if (!m) return [];
      const text = m[3]!;
      const kind: PostgresEvent['kind'] = text.startsWith('duration:')
        ? 'slow statement'
        : /^checkpoint/.test(text)
          ? 'checkpoint'
          : /^automatic (vacuum|analyze)/.test(text)
            ? 'autovacuum'
            : 'other';
      return [{ at: Date.parse(`${m[1]!.replace(' ', 'T')}Z`), kind, text: text.slice(0, 240) }];
    }),
  );
}

/** `pg_stat_statements` as a benchmark reads it: reset before, top statements after. */
export async function statementStats(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } catch {
    await client.end();
    return null; // a server without the library: the run goes on without statement stats
  }
  return {
    reset: async () => {
      await client.query('SELECT pg_stat_statements_reset()');
    },
    top: async (n = 12) => {
      const { rows } = await client.query<{
        query: string;
        calls: string;
        total_ms: number;
        mean_ms: number;
        max_ms: number;
        rows: string;
      }>(
        `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query, calls,
                round(total_exec_time::numeric, 1)::float AS total_ms,
                round(mean_exec_time::numeric, 3)::float AS mean_ms,
                round(max_exec_time::numeric, 1)::float AS max_ms, rows
           FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          ORDER BY total_exec_time DESC LIMIT $1`,
        [n],
      );
      return rows.map((r) => ({ ...r, calls: Number(r.calls), rows: Number(r.rows) }));
    },
    close: () => client.end(),
  };
}

/** One second of the measured process, as `loop-probe.mjs` writes it. */
export interface ProbeSecond {
  at: number;
  loopP99Ms: number;
  loopMaxMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  gcMajor: number;
  heapUsedMb: number;
  cpuMs: number;
}

export const readProbe = (file: string): ProbeSecond[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ProbeSecond)
    : [];

/**
 * One line per second for several processes (api replicas): the worst loop delay and GC pause,
 * the sums of GC time, pauses and CPU. Seconds are matched by their wall-clock second.
 */
export function mergeProbes(perProcess: ProbeSecond[][]): ProbeSecond[] {
  const bySecond = new Map<number, ProbeSecond>();
  for (const line of perProcess.flat()) {
    const second = Math.floor(line.at / 1000);
    const seen = bySecond.get(second);
    bySecond.set(
      second,
      seen
        ? {
            at: Math.max(seen.at, line.at),
            loopP99Ms: Math.max(seen.loopP99Ms, line.loopP99Ms),
            loopMaxMs: Math.max(seen.loopMaxMs, line.loopMaxMs),
            gcCount: seen.gcCount + line.gcCount,
            gcMs: seen.gcMs + line.gcMs,
            gcMaxMs: Math.max(seen.gcMaxMs, line.gcMaxMs),
            gcMajor: seen.gcMajor + line.gcMajor,
            heapUsedMb: seen.heapUsedMb + line.heapUsedMb,
            cpuMs: seen.cpuMs + line.cpuMs,
          }
        : line,
    );
  }
  return [...bySecond.entries()].sort(([a], [b]) => a - b).map(([, line]) => line);
}

/** This process's own event-loop delay and GC pauses: the generator must not measure itself. */
export function selfProbe() {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gcCount = 0;
  let gcMs = 0;
  let gcMaxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount += 1;
      gcMs += e.duration;
      gcMaxMs = Math.max(gcMaxMs, e.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    read() {
      loop.disable();
      observer.disconnect();
      return {
        loopP99Ms: +(loop.percentile(99) / 1e6).toFixed(2),
        loopMaxMs: +(loop.max / 1e6).toFixed(2),
        gcCount,
        gcMs: +gcMs.toFixed(1),
        gcMaxMs: +gcMaxMs.toFixed(1),
      };
    },
  };
}

/** `auth;dur=0.3, db;dur=1.2;desc="3 queries", total;dur=2.0` → { auth: 0.3, db: 1.2, dbQueries: 3, … }. */
export function parseServerTiming(header: string | undefined): Record<string, number> | null {
  if (!header) return null;
  const out: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().split(';');
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k === 'dur') out[name!] = Number(v);
      if (k === 'desc' && name === 'db') out.dbQueries = Number.parseInt(v!.replace(/"/g, ''), 10);
    }
  }
  return out;
}

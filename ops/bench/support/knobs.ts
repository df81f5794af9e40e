import Joi from 'joi';
import { loadConfig } from '@todo/platform';

/** A comma-separated list of numbers in an environment variable ("100,300"). */
const numbers: Joi.Root & { numberList(): Joi.ArraySchema<number[]> } = Joi.extend((joi) => ({
  type: 'numberList',
  base: joi.array(),
  coerce: {
    from: 'string',
    method: (value: string) => ({ value: value.split(',').map((part) => part.trim()) }),
  },
}));

/** A size that may be 0 (that phase of the benchmark then does nothing). */
const amount = () => Joi.number().integer().min(0);
const atLeastOne = () => Joi.number().integer().min(1);
const perSecond = () => Joi.number().positive();
const seconds = () => Joi.number().min(0);

/**
 * Every numeric environment knob of the benchmarks, with the values it takes (each benchmark's
 * header says what it does there). A benchmark reads the ones it names, with its own defaults.
 */
const KNOBS = {
  /** Measured seconds of a load phase (after its warm-up). */
  BENCH_SECONDS: perSecond(),
  /** Writes (or completions) a second, open loop. */
  BENCH_RATE: perSecond(),
  /** The Dapr lane's write rates, one phase each: "100,300". */
  BENCH_DAPR_RATES: numbers.numberList().items(perSecond()).min(1),
  BENCH_USERS: atLeastOne(),
  /** Sockets a user keeps open. */
  BENCH_TABS: atLeastOne(),
  BENCH_SOCKETS: atLeastOne(),
  /** Processes holding the benchmark's sockets. */
  BENCH_GENERATORS: atLeastOne(),
  /** Members sharing one list (1: no sharing). */
  BENCH_SHARED: atLeastOne().max(5),
  BENCH_COMPLETIONS: amount(),
  BENCH_COMPLETION_RATE: perSecond(),
  BENCH_RAW_EVENTS: amount(),
  BENCH_REMINDERS: amount(),
  BENCH_BATCHES: amount(),
  BENCH_BATCH_USERS: amount(),
  BENCH_FIRST_REMINDER_SECONDS: seconds(),
  BENCH_REMINDER_SPREAD_SECONDS: seconds(),
  /** Seconds of load before samples count (JIT, pools, caches). */
  BENCH_WARMUP_SECONDS: seconds(),
  /** api processes behind the CRUD generator. */
  BENCH_API_REPLICAS: atLeastOne(),
  BENCH_TASKS: amount(),
  BENCH_RECONCILE_INTERVAL_MS: atLeastOne(),
};

export type BenchKnobs = {
  [K in keyof typeof KNOBS]: K extends 'BENCH_DAPR_RATES' ? number[] : number;
};

/**
 * The knobs a benchmark names, from the environment or else its `defaults`, validated once at
 * its start: a bad value stops it with an error naming the variable (rather than a run at a
 * NaN rate).
 */
export function benchKnobs<K extends keyof BenchKnobs>(
  defaults: Pick<BenchKnobs, K>,
  env: NodeJS.ProcessEnv = process.env,
): Pick<BenchKnobs, K> {
  const names = Object.keys(defaults) as K[];
  const keys: Joi.SchemaMap = Object.fromEntries(
    names.map((name) => [name, KNOBS[name].default(defaults[name])]),
  );
  const schema = Joi.object(keys) as Joi.ObjectSchema<Pick<BenchKnobs, K>>;
  const all = loadConfig('benchmark', schema, env);
  // Only the named knobs: the rest of the environment (PATH, …) passed through unchecked.
  return Object.fromEntries(names.map((name) => [name, all[name]])) as Pick<BenchKnobs, K>;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '@todo/platform';
import { benchKnobs } from './knobs.js';

describe('benchKnobs', () => {
  it('takes the environment over the defaults, as numbers', () => {
    const knobs = benchKnobs(
      { BENCH_RATE: 50, BENCH_SECONDS: 30, BENCH_DAPR_RATES: [100, 300] },
      { BENCH_RATE: '200', BENCH_DAPR_RATES: '20, 40' },
    );
    assert.deepEqual(knobs, { BENCH_RATE: 200, BENCH_SECONDS: 30, BENCH_DAPR_RATES: [20, 40] });
  });

  it('stops at a bad value with an error naming the variable', () => {
    assert.throws(
      () => benchKnobs({ BENCH_RATE: 50, BENCH_USERS: 10 }, { BENCH_RATE: 'fast' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.variables.join() === 'BENCH_RATE' &&
        error.message.includes('"BENCH_RATE" must be a number'),
    );
    assert.throws(
      () =>
        benchKnobs(
          { BENCH_SHARED: 1, BENCH_DAPR_RATES: [100] },
          { BENCH_SHARED: '9', BENCH_DAPR_RATES: '100,x' },
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        /"BENCH_SHARED" must be less than or equal to 5/.test(error.message) &&
        /"BENCH_DAPR_RATES\[1\]" must be a number/.test(error.message),
    );
  });

  it('reads only the knobs it is given (an unrelated bad one does not stop it)', () => {
    assert.deepEqual(benchKnobs({ BENCH_USERS: 10 }, { BENCH_RATE: 'fast' }), { BENCH_USERS: 10 });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIntent } from '../../src/chat/interpreter/parse-intent.js';
import { CORPUS, DEFAULT_CONTEXT } from './corpus.js';

/** `expected` is contained in `actual`: objects by their given keys, everything else exactly. */
function contains(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) =>
      contains((actual as Record<string, unknown>)[k], v),
    );
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

describe('chat interpreter corpus', () => {
  const failures: string[] = [];
  for (const { say, expect, timeZone, now } of CORPUS) {
    it(say || '(blank)', () => {
      const intent = parseIntent(say, {
        now: new Date(now ?? DEFAULT_CONTEXT.now),
        timeZone: timeZone ?? DEFAULT_CONTEXT.timeZone,
      });
      if (!contains(intent, expect)) {
        failures.push(say);
        assert.fail(
          `“${say}”\n  expected ⊆ ${JSON.stringify(expect)}\n  actual     ${JSON.stringify(intent)}`,
        );
      }
    });
  }

  it(`passes the whole corpus (at least 150 utterances)`, () => {
    const rate = ((CORPUS.length - failures.length) / CORPUS.length) * 100;
    // The README quotes this line.
    process.stdout.write(
      `# chat corpus: ${CORPUS.length - failures.length}/${CORPUS.length} (${rate.toFixed(1)}%)\n`,
    );
    assert.ok(CORPUS.length >= 150, `corpus has ${CORPUS.length} utterances`);
    assert.deepEqual(failures, []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExpectedRecipientsBatch } from './expected-recipients-batch.js';
import type { ExpectedRecipientSource } from './recipients.js';

/** An in-memory source that records each read it is asked for. */
function source(recipients: Record<string, string[]>, fail = false) {
  const reads: string[][] = [];
  const read: ExpectedRecipientSource = {
    async expectedFor(taskIds) {
      reads.push(taskIds);
      if (fail) throw new Error('database unavailable');
      return new Map(taskIds.filter((id) => recipients[id]).map((id) => [id, recipients[id]!]));
    },
  };
  return { read, reads };
}

describe('ExpectedRecipientsBatch', () => {
  it('answers the lookups of one turn from one read, each with its own task', async () => {
    const { read, reads } = source({ a: ['ada'], b: ['ada', 'ben'] });
    const batch = new ExpectedRecipientsBatch(read);
    // As a bulk delivery's entries do: each a few awaits into its own handler.
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(async (id, i) => {
        for (let n = 0; n < i * 3; n++) await Promise.resolve();
        return batch.expectedFor([id]);
      }),
    );
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]!.sort(), ['a', 'b', 'c']);
    assert.deepEqual(
      answers.map((m) => Object.fromEntries(m)),
      [{ a: ['ada'] }, { b: ['ada', 'ben'] }, {}],
    );
  });

  it('reads again for a later turn: nothing is cached', async () => {
    const { read, reads } = source({ a: ['ada'] });
    const batch = new ExpectedRecipientsBatch(read);
    await batch.expectedFor(['a']);
    await batch.expectedFor(['a']);
    assert.equal(reads.length, 2);
  });

  it('a failed read fails every lookup it served', async () => {
    const { read } = source({}, true);
    const batch = new ExpectedRecipientsBatch(read);
    const results = await Promise.allSettled([batch.expectedFor(['a']), batch.expectedFor(['b'])]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
  });

  it('splits a larger turn into reads of at most the batch size', async () => {
    const { read, reads } = source({});
    const batch = new ExpectedRecipientsBatch(read, 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batch.expectedFor([id])));
    assert.deepEqual(
      reads.map((r) => r.length),
      [2, 2, 1],
    );
  });
});

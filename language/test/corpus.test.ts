import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES, byCategory, loadCorpus, run } from '../scripts/corpus.js';

/**
 * The whole corpus, against the budget: ≥ 95% exact on the test part, ≥ 90% in every
 * category of it. (Time per utterance is measured by `npm run eval:chat`, not here.)
 */
describe('the corpus', () => {
  const cases = loadCorpus();
  const outcomes = run(cases);

  it('has at least 600 utterances in every category, three zones or more and a DST week', () => {
    assert.ok(cases.length >= 600, `${cases.length} utterances`);
    for (const c of CATEGORIES)
      assert.ok(
        cases.some((x) => x.category === c),
        c,
      );
    const zones = new Set(cases.map((c) => c.timeZone));
    assert.ok(zones.size >= 3 && zones.has('Asia/Kolkata'), [...zones].join());
    assert.ok(cases.some((c) => c.timeZone === 'Europe/Berlin' && c.now.startsWith('2026-03-27')));
  });

  it('is at least 95% exact on the test part', () => {
    const test = outcomes.filter((o) => o.part === 'test');
    const right = test.filter((o) => o.ok).length;
    assert.ok(right / test.length >= 0.95, `${right}/${test.length} exact`);
  });

  it('is at least 90% exact in every category of the test part', () => {
    for (const [category, s] of byCategory(outcomes, 'test')) {
      assert.ok(s.total > 0 && s.right / s.total >= 0.9, `${category}: ${s.right}/${s.total}`);
    }
  });
});

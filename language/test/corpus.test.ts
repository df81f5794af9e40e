import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CATEGORIES, byCategory, loadCorpus, run } from '../scripts/corpus.js';

/**
 * The corpus against the budget: ≥ 95% exact on the test part, ≥ 90% in every category of it.
 * (Time per utterance is measured by `npm run eval:chat`, not here.)
 *
 * The budget is asserted on the parser author's cases. Two batches were written apart from
 * the tuning, to measure how new phrasings fare: the blind cases (`source: "blind"`, written by
 * someone who never saw the parser; 64/74 on their test part when added) and the fresh cases
 * (`source: "fresh"`, written before a round of parser changes and never looked at one by
 * one; 50/57 on their test part when added), and a second fresh batch (`source: "fresh2"`,
 * weighted toward ambiguity; 44/54 on its test part when added, before the round's changes), and
 * a third (`source: "fresh3"`, weighted toward ambiguity and clarification dialogue; 39/48 on its
 * test part when added, before the decision step of ADR 300). For them this test holds floors
 * that may only rise: they stop a regression, and `docs/chat-eval.md` shows the distance to the budget.
 * Raise a floor as the parser improves; when a batch's test part reaches 95%, fold it into
 * the budget. The list batch (`source: "lists"`, ADR 330; 1/32 on its test part when added,
 * before the parser knew lists; 29/32 after the round, then 30/32 once a unit test written from
 * the issue's own example, which hashes to the test part, led to one fix) is not folded in yet:
 * it is held by its floor alone. The activity batch (`source: "activity"`, ADR 375: "what
 * changed on groceries", "who completed the report"; written with the parser's first version of
 * it, 11/12 on its test part when added, 12/12 after fixes read from its development failures
 * only) meets the budget and is folded in.
 */
const FLOORS: Record<string, number> = {
  blind: 67 / 74,
  fresh: 54 / 57,
  fresh2: 50 / 54,
  fresh3: 43 / 48,
  lists: 30 / 32,
  activity: 11 / 12,
};
/** Batches held by their floor only, until their test part reaches the budget. */
const NOT_FOLDED = new Set(['lists']);
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

  const authored = outcomes.filter((o) => o.c.source === undefined);

  it('is at least 95% exact on the test part', () => {
    const test = authored.filter((o) => o.part === 'test');
    const right = test.filter((o) => o.ok).length;
    assert.ok(right / test.length >= 0.95, `${right}/${test.length} exact`);
  });

  it('is at least 90% exact in every category of the test part', () => {
    const categories = new Set(authored.map((o) => o.c.category));
    for (const [category, s] of byCategory(authored, 'test')) {
      if (!categories.has(category)) continue;
      assert.ok(s.total > 0 && s.right / s.total >= 0.9, `${category}: ${s.right}/${s.total}`);
    }
  });

  it('meets the budget on the whole test part too, the batches written apart included', () => {
    const folded = outcomes.filter((o) => !NOT_FOLDED.has(o.c.source ?? ''));
    const test = folded.filter((o) => o.part === 'test');
    const right = test.filter((o) => o.ok).length;
    assert.ok(right / test.length >= 0.95, `${right}/${test.length} exact`);
    for (const [category, s] of byCategory(folded, 'test'))
      if (s.total) assert.ok(s.right / s.total >= 0.9, `${category}: ${s.right}/${s.total}`);
  });

  for (const [source, floor] of Object.entries(FLOORS)) {
    it(`holds the ${source} cases at or above their floor on the test part`, () => {
      const batch = outcomes.filter((o) => o.c.source === source && o.part === 'test');
      const right = batch.filter((o) => o.ok).length;
      assert.ok(batch.length > 0 && right / batch.length >= floor, `${right}/${batch.length}`);
    });
  }
});

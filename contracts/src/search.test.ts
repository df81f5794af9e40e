import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesSearch, searchWords } from './search.js';

describe('search reads words in any order, ignoring case, accents and punctuation', () => {
  it('splits a query into folded words', () => {
    assert.deepEqual(searchWords('Thinking, Fast — and SLOW!'), [
      'thinking',
      'fast',
      'and',
      'slow',
    ]);
    assert.deepEqual(searchWords('Café crème'), ['cafe', 'creme']);
    assert.deepEqual(searchWords('%'), []);
  });

  it('matches every word at the start of a word of the text', () => {
    assert.ok(matchesSearch('thinking fast', 'Thinking, Fast and Slow'));
    assert.ok(matchesSearch('slow think', 'Thinking, Fast and Slow'));
    assert.ok(matchesSearch('creme cafe', 'Café crème'));
    assert.ok(!matchesSearch('thinking quick', 'Thinking, Fast and Slow'));
    assert.ok(!matchesSearch('ink', 'Thinking'));
    assert.ok(!matchesSearch('%', 'Write 50% report'));
  });
});

// The shared vectors (Tests/Fixtures/search-vectors.json), run here against
// Theme/assets/search.js and in Tests/SearchIndexTests against the Swift indexer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatellaSearch, vectors } from './helpers.mjs';

const { tokenize, stem } = PatellaSearch;

test('the tokenizer gives the shared words', () => {
  assert.ok(vectors.tokenize.length > 30);
  for (const c of vectors.tokenize) {
    assert.deepEqual(tokenize(c.input), c.tokens, `${c.note}: ${JSON.stringify(c.input)}`);
  }
});

test('stems of the tokenized words match', () => {
  for (const c of vectors.tokenize) {
    assert.deepEqual(tokenize(c.input).map(stem), c.stems, c.note);
  }
});

test('Porter2 matches the reference stems', () => {
  assert.ok(vectors.stem.length > 1000);
  const wrong = vectors.stem.filter(([word, expected]) => stem(word) !== expected)
    .map(([word, expected]) => `${word} -> ${stem(word)}, expected ${expected}`);
  assert.deepEqual(wrong, []);
});

test('named edge cases', () => {
  const cases = {
    running: 'run', knees: 'knee', generously: 'generous', arthroscopic: 'arthroscop', inflammation: 'inflamm',
    swelling: 'swell', stairs: 'stair', ibuprofen: 'ibuprofen', caresses: 'caress', ponies: 'poni', sky: 'sky',
    dying: 'die', news: 'news', skis: 'ski', gently: 'gentl', runners: 'runner', ubermassig: 'ubermassig'
  };
  for (const [word, expected] of Object.entries(cases)) {
    assert.equal(stem(word), expected, word);
    assert.ok(vectors.stem.some(([w, s]) => w === word && s === expected), `the vectors file holds ${word}`);
  }
  assert.deepEqual(tokenize('Übermäßig'), ['ubermassig']);
  assert.deepEqual(tokenize("runner's"), ['runners']);
});

test('edit distance counts a swap of neighbours as one edit', () => {
  const { editDistance, maxEdits } = PatellaSearch;
  assert.equal(editDistance('menicus', 'meniscus', 2), 1);
  assert.equal(editDistance('arthritus', 'arthritis', 2), 1);
  assert.equal(editDistance('teh', 'the', 2), 1);
  assert.equal(editDistance('abc', 'xyz', 1), 2, 'gives up past the bound');
  assert.deepEqual(['kne', 'knee', 'meniscu', 'meniscus'].map(maxEdits), [0, 1, 1, 2]);
});

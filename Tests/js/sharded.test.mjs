// A made-up site of 2,000 pages, built by the real binary: the index is sharded, and
// a query reads only the manifest, the shards of its words and the files of its results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PatellaSearch, buildSite, diskLoader, ids, temporaryDirectory, writeSyntheticContent } from './helpers.mjs';

const PAGES = 2000;
let scratch;
let site;
let vocabulary;
let manifest;

before(() => {
  scratch = temporaryDirectory();
  const made = writeSyntheticContent(scratch, PAGES);
  vocabulary = made.vocabulary;
  site = buildSite(made.content, path.join(scratch, 'site'));
  manifest = JSON.parse(fs.readFileSync(path.join(site, 'search', 'index.json'), 'utf8'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The names the format gives a kind's files, in order: the first letter's code point in
 *  hex and the file's place among that letter's. */
function fileNames(firsts) {
  const places = new Map();
  return firsts.map((first) => {
    const letter = first.codePointAt(0);
    const place = places.get(letter) || 0;
    places.set(letter, place + 1);
    return `${letter.toString(16)}-${place}.json`;
  });
}
const shardFile = (n) => `terms/${fileNames(manifest.shards.map((range) => range[0]))[n]}`;
const wordFile = (n) => `words/${fileNames(manifest.wordFiles)[n]}`;

/** The same index as one file, assembled from every shard, words file and document. */
function mergedSingle() {
  const read = (file) => JSON.parse(fs.readFileSync(path.join(site, 'search', file), 'utf8'));
  const postings = {};
  manifest.shards.forEach((range, n) => {
    for (const [term, flat] of Object.entries(read(shardFile(n)).postings)) {
      (postings[term] || (postings[term] = [])).push(...flat);
    }
  });
  const words = manifest.wordFiles.flatMap((first, n) => read(wordFile(n)).words);
  const docs = Array.from({ length: manifest.docCount }, (_, n) => read(`docs/${n}.json`));
  const urgent = { ...manifest.urgent, targets: read('urgent.json').targets };
  const { shards, wordFiles, ...header } = manifest;
  return { ...header, urgent, postings, docs, words };
}

test('the index is sharded, every file under its bound, the manifest small', () => {
  const search = path.join(site, 'search');
  assert.ok(manifest.shards && !manifest.postings, 'index.json is a manifest');
  assert.equal(manifest.docCount, PAGES);
  const manifestBytes = fs.statSync(path.join(search, 'index.json')).size;
  assert.ok(manifestBytes < 20000, `manifest is ${manifestBytes} bytes`);
  assert.equal(manifest.urgent.targets, undefined, 'the urgent targets have a file of their own');
  const size = (file) => fs.statSync(path.join(search, file)).size;
  const shardSizes = manifest.shards.map((range, n) => size(shardFile(n)));
  const wordSizes = manifest.wordFiles.map((first, n) => size(wordFile(n)));
  assert.ok(Math.max(...shardSizes) <= 50000, `largest shard ${Math.max(...shardSizes)}`);
  assert.ok(Math.max(...wordSizes) <= 16000, `largest words file ${Math.max(...wordSizes)}`);
  assert.equal(fs.readdirSync(path.join(search, 'docs')).length, PAGES);
  assert.ok(manifest.shards.length > 10);
});

test('a query reads the manifest, its shards and its results, never the whole index', async () => {
  const load = diskLoader(site);
  const source = await PatellaSearch.openIndex(load);
  assert.equal(source.sharded, true);
  const word = vocabulary[40];
  const outcome = await PatellaSearch.search(source, word, { limit: 10 });
  assert.ok(outcome.results.length > 0, `results for ${word}`);
  const shards = load.reads.filter((f) => f.startsWith('terms/'));
  const docs = load.reads.filter((f) => f.startsWith('docs/'));
  assert.equal(load.reads[0], 'index.json', 'one request finds the manifest');
  assert.ok(shards.length >= 1 && shards.length <= 3, `shards read: ${shards}`);
  assert.deepEqual(docs.sort(), outcome.results.map((r) => `docs/${r.index}.json`).sort(), 'only the results shown');
  assert.ok(!load.reads.some((f) => f.startsWith('words/') || f === 'urgent.json'), `read ${load.reads}`);
});

test('a typo reads its first letter\'s words, then only the shards of the correction', async () => {
  const load = diskLoader(site);
  const source = await PatellaSearch.openIndex(load);
  const word = vocabulary.find((w) => w.length >= 8 && w.startsWith('m'));
  const typo = word.slice(0, 3) + word.slice(4);
  const outcome = await PatellaSearch.search(source, typo, { limit: 5 });
  assert.equal(outcome.corrections.length, 1, `${typo} corrected`);
  const letterFiles = new Set(manifest.wordFiles.map((first, n) => [first, wordFile(n)])
    .filter(([first]) => first.startsWith('m')).map(([, file]) => file));
  const wordsRead = load.reads.filter((f) => f.startsWith('words/'));
  assert.deepEqual(new Set(wordsRead), letterFiles, `read ${wordsRead}`);
  const holding = (term) => manifest.shards.map((r, n) => [r, shardFile(n)])
    .filter(([r]) => r[0] <= term && term <= r[1]).map(([, file]) => file);
  const wanted = new Set([...holding(PatellaSearch.stem(typo)), ...holding(PatellaSearch.stem(outcome.corrections[0].to))]);
  const shardsRead = load.reads.filter((f) => f.startsWith('terms/'));
  assert.ok(shardsRead.every((f) => wanted.has(f)), `read ${shardsRead}, wanted ${[...wanted]}`);
});

test('typing a prefix loads the shards of its most common completions only', async () => {
  const load = diskLoader(site);
  const source = await PatellaSearch.openIndex(load);
  const outcome = await PatellaSearch.search(source, 'ka', { typing: true, limit: 10 });
  assert.ok(outcome.results.length > 0);
  const shardsRead = load.reads.filter((f) => f.startsWith('terms/'));
  const kShards = manifest.shards.filter((r) => r[0].startsWith('k')).length;
  assert.ok(shardsRead.length <= 31 && shardsRead.length < kShards + 2, `${shardsRead.length} shards read`);
});

test('sharded and single-file indexes rank alike', async () => {
  const sharded = await PatellaSearch.openIndex(diskLoader(site));
  const single = PatellaSearch.fromJSON(mergedSingle());
  const queries = [vocabulary[3], vocabulary[100] + ' ' + vocabulary[7], 'knee ' + vocabulary[500],
    vocabulary[60].slice(0, 4), vocabulary[12] + 'x', 'deformed', 'xqzt'];
  for (const query of queries) {
    for (const typing of [false, true]) {
      const a = await PatellaSearch.search(sharded, query, { typing, limit: 15 });
      const b = await PatellaSearch.search(single, query, { typing, limit: 15 });
      assert.deepEqual(ids(a), ids(b), `${query} (typing: ${typing})`);
      assert.deepEqual(a.results.map((r) => r.score), b.results.map((r) => r.score));
      assert.deepEqual(a.corrections, b.corrections);
      assert.deepEqual(a.urgent, b.urgent);
    }
  }
});

test('a stem on every page is found whole, across its shards', async () => {
  const source = await PatellaSearch.openIndex(diskLoader(site));
  const postings = await source.postings(['knee']);
  assert.equal(postings.get('knee').length, PAGES);
  const outcome = await PatellaSearch.search(source, 'deformed');
  assert.ok(outcome.urgent);
  assert.equal(outcome.urgent.path, `guides/g-${PAGES - 1}/`);
});

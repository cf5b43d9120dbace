// A made-up site of 2,000 pages, built by the real binary: the index is sharded, and
// a query reads only the manifest, the shards of its words and the chunks of its results.
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
  manifest = JSON.parse(fs.readFileSync(path.join(site, 'search', 'manifest.json'), 'utf8'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The same index as one file, assembled from every shard and chunk. */
function mergedSingle() {
  const read = (file) => JSON.parse(fs.readFileSync(path.join(site, 'search', file), 'utf8'));
  const postings = {};
  const lengths = new Array(manifest.docCount).fill(0);
  const words = new Set();
  for (const shard of manifest.shards) {
    const json = read(shard.file);
    for (const [term, flat] of Object.entries(json.postings)) {
      const pairs = postings[term] || (postings[term] = []);
      for (let i = 0; i < flat.length; i += 3) { pairs.push(flat[i], flat[i + 1]); lengths[flat[i]] = flat[i + 2]; }
    }
    json.words.forEach((w) => words.add(w));
  }
  const docs = [];
  for (const chunk of manifest.docChunks) docs.push(...read(chunk.file).docs);
  return { ...manifest, postings, lengths, docs, words: Array.from(words).sort() };
}

test('the index is sharded, every file under its bound, the manifest small', () => {
  const search = path.join(site, 'search');
  assert.ok(!fs.existsSync(path.join(search, 'index.json')));
  assert.equal(manifest.docCount, PAGES);
  const manifestBytes = fs.statSync(path.join(search, 'manifest.json')).size;
  assert.ok(manifestBytes < 20000, `manifest is ${manifestBytes} bytes`);
  const shardSizes = manifest.shards.map((s) => fs.statSync(path.join(search, s.file)).size);
  const chunkSizes = manifest.docChunks.map((c) => fs.statSync(path.join(search, c.file)).size);
  assert.ok(Math.max(...shardSizes) <= 50000, `largest shard ${Math.max(...shardSizes)}`);
  assert.ok(Math.max(...chunkSizes) <= 50000, `largest chunk ${Math.max(...chunkSizes)}`);
  assert.ok(manifest.docChunks.every((c) => c.count <= 200));
  assert.ok(manifest.shards.length > 10);
});

test('a query reads the manifest, its shards and its result chunks, never the whole index', async () => {
  const load = diskLoader(site);
  const source = await PatellaSearch.openIndex(load);
  assert.equal(source.sharded, true);
  const word = vocabulary[40];
  const outcome = await PatellaSearch.search(source, word, { limit: 10 });
  assert.ok(outcome.results.length > 0, `results for ${word}`);
  const shards = load.reads.filter((f) => f.startsWith('terms/'));
  const chunks = load.reads.filter((f) => f.startsWith('docs/'));
  assert.deepEqual(load.reads.slice(0, 2), ['index.json', 'manifest.json'], 'index.json is tried first, then the manifest');
  assert.ok(shards.length >= 1 && shards.length <= 3, `shards read: ${shards}`);
  assert.ok(chunks.length >= 1 && chunks.length <= 10, `chunks read: ${chunks}`);
  const total = manifest.shards.length + manifest.docChunks.length;
  assert.ok(load.reads.length - 1 < total / 3, `${load.reads.length} of ${total} files`);
});

test('a typo reads only the shards of its first letter', async () => {
  const load = diskLoader(site);
  const source = await PatellaSearch.openIndex(load);
  const word = vocabulary.find((w) => w.length >= 8 && w.startsWith('m'));
  const typo = word.slice(0, 3) + word.slice(4);
  const outcome = await PatellaSearch.search(source, typo, { limit: 5 });
  assert.equal(outcome.corrections.length, 1, `${typo} corrected`);
  const letterShards = new Set(manifest.shards.filter((s) => s.first.startsWith('m')).map((s) => s.file));
  const shardsRead = load.reads.filter((f) => f.startsWith('terms/'));
  assert.ok(shardsRead.every((f) => letterShards.has(f)), `read ${shardsRead}`);
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

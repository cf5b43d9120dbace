// Ranking on the real site's index, built by the real binary from Content/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PatellaSearch, buildSite, diskLoader, ids, root, temporaryDirectory } from './helpers.mjs';

let site;
let source;
let scratch;

before(async () => {
  scratch = temporaryDirectory();
  site = buildSite(path.join(root, 'Content'), path.join(scratch, 'site'));
  source = await PatellaSearch.openIndex(diskLoader(site));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const search = (query, options) => PatellaSearch.search(source, query, options);

function assertTop(outcome, id, within) {
  const top = ids(outcome).slice(0, within);
  assert.ok(top.includes(id), `${id} should be in the top ${within} for "${outcome.query}", got ${top.join(', ')}`);
}

test('the real site is one index.json under 150 KB', () => {
  const file = path.join(site, 'search', 'index.json');
  assert.ok(fs.existsSync(file));
  assert.ok(fs.statSync(file).size < 150000, `${fs.statSync(file).size} bytes`);
  assert.ok(JSON.parse(fs.readFileSync(file, 'utf8')).postings, 'the whole index, not a manifest');
  assert.equal(source.sharded, false);
});

test("runner's knee finds patellofemoral pain syndrome", async () => {
  assertTop(await search("runner's knee"), 'patellofemoral-pain-syndrome', 3);
  assertTop(await search('runners knee'), 'patellofemoral-pain-syndrome', 3);
});

test('menicus is corrected to meniscus', async () => {
  const outcome = await search('menicus');
  assert.deepEqual(outcome.corrections, [{ from: 'menicus', to: 'meniscus' }]);
  assert.deepEqual(outcome.effective, [{ text: 'meniscus', corrected: true }]);
  assertTop(outcome, 'medial-meniscus-tear', 3);
});

test('brand names find the medicine', async () => {
  assertTop(await search('advil'), 'otc-anti-inflammatories', 1);
  assertTop(await search('Tylenol'), 'acetaminophen', 1);
  assertTop(await search('motrin'), 'otc-anti-inflammatories', 1);
});

test('cortisone shot finds the cortisone injection', async () => {
  assertTop(await search('cortisone shot'), 'cortisone-injection', 1);
});

test('pain going down stairs finds trouble with stairs', async () => {
  assertTop(await search('pain going down stairs'), 'trouble-with-stairs', 3);
});

test('water on the knee finds knee swelling', async () => {
  assertTop(await search('water on the knee'), 'knee-swelling', 1);
});

test('knee gives way finds knee instability, and conditions listing it follow', async () => {
  const outcome = await search('knee gives way');
  assertTop(outcome, 'knee-instability', 1);
  assertTop(outcome, 'mcl-injury', 5);
});

test('gibberish gives no results and no correction', async () => {
  const outcome = await search('xqzt');
  assert.deepEqual(outcome.results, []);
  assert.equal(outcome.total, 0);
  assert.deepEqual(outcome.corrections, []);
  assert.deepEqual(outcome.unknown, ['xqzt']);
  assert.equal(outcome.urgent, null);
});

test('arthritus is corrected to arthritis', async () => {
  const outcome = await search('arthritus');
  assert.deepEqual(outcome.corrections, [{ from: 'arthritus', to: 'arthritis' }]);
  assert.ok(['knee-osteoarthritis', 'rheumatoid-arthritis'].includes(ids(outcome)[0]));
});

test('typo tolerance: one edit from 4 letters, two from 8, none below 4', async () => {
  assert.deepEqual((await search('tylnol')).corrections, [{ from: 'tylnol', to: 'tylenol' }]);
  assert.deepEqual((await search('athroscopi')).corrections.map((c) => c.to).length, 1, 'two edits in a 10-letter word');
  assert.equal((await search('tlynl')).results.length, 0, 'two edits in a 5-letter word are too many');
  const short = await search('mcx');
  assert.deepEqual(short.corrections, []);
});

test('the word being typed matches as a prefix', async () => {
  assertTop(await search('menis', { typing: true }), 'medial-meniscus-tear', 1);
  assertTop(await search('tylen', { typing: true }), 'acetaminophen', 1);
  assertTop(await search('cortisone sh', { typing: true }), 'cortisone-injection', 1);
  // A submitted word that is neither in the index nor a typo away still completes.
  assertTop(await search('physio'), 'physical-therapy', 1);
  assertTop(await search('arthrosc'), 'arthroscopic-surgery', 1);
});

test('hyphenated words are found written either way', async () => {
  const joined = await search('xray');
  assertTop(joined, 'x-ray', 1);
  assert.ok(joined.results.some((r) => r.snippet.some((p) => p.mark && /^X-rays?$/i.test(p.text))), 'X-ray marked whole');
  assertTop(await search('x-ray'), 'x-ray', 1);
  assertTop(await search('x ray'), 'x-ray', 1);
});

test('multi-word queries rank pages matching more words first', async () => {
  const outcome = await search('torn meniscus');
  assertTop(outcome, 'medial-meniscus-tear', 1);
});

test('snippets mark the matched words', async () => {
  const outcome = await search('advil');
  const marked = outcome.results[0].snippet.filter((p) => p.mark).map((p) => p.text.toLowerCase());
  assert.ok(marked.includes('advil'), JSON.stringify(outcome.results[0].snippet));
  const runner = await search("runner's knee");
  const top = runner.results.find((r) => r.id === 'patellofemoral-pain-syndrome');
  assert.ok(top.snippet.some((p) => p.mark && /runner/i.test(p.text)));
});

test('warning signs bring the When to get help box', async () => {
  for (const query of ['infection', 'deformed', 'red hot swollen', 'fever']) {
    const outcome = await search(query);
    assert.ok(outcome.urgent, `${query} is a warning sign`);
    assert.equal(outcome.urgent.path, 'guides/when-to-see-a-provider/');
    assert.equal(outcome.urgent.title, 'When to see a provider');
  }
  assert.match((await search('deformed')).urgent.sign, /deformed/);
  for (const query of ['knee pain', 'stairs', 'cortisone shot', 'knee brace', 'arthroscopic surgery', "runner's knee", 'advil']) {
    assert.equal((await search(query)).urgent, null, `${query} is not a warning sign`);
  }
});

test('results are deterministic and limited', async () => {
  const first = await search('knee', { limit: 7 });
  const second = await search('knee', { limit: 7 });
  assert.equal(first.results.length, 7);
  assert.ok(first.total > 7);
  assert.deepEqual(ids(first), ids(second));
  for (let i = 1; i < first.results.length; i++) assert.ok(first.results[i - 1].score >= first.results[i].score);
});

test('stop words alone match nothing', async () => {
  const outcome = await search('the of and');
  assert.deepEqual(outcome.results, []);
});

test('accents and case do not matter', async () => {
  assert.deepEqual(ids(await search('MÉNISCUS')), ids(await search('meniscus')));
});

// Shared helpers of the node tests: the search script, the shared vectors, and a real
// index built by the real `patella` binary (run `swift build` first).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Theme/assets/search.js, loaded as node loads a CommonJS file. */
export const PatellaSearch = require(path.join(root, 'Theme', 'assets', 'search.js'));

export const vectors = JSON.parse(fs.readFileSync(path.join(root, 'Tests', 'Fixtures', 'search-vectors.json'), 'utf8'));

/** The newest `patella` binary: $PATELLA_BIN, or one SwiftPM built in this checkout. */
export function patellaBinary() {
  if (process.env.PATELLA_BIN) return process.env.PATELLA_BIN;
  const candidates = ['.build-search/debug', '.build/debug', '.build/release', '.build-search/release']
    .map((folder) => path.join(root, folder, 'patella'))
    .filter((file) => fs.existsSync(file))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) {
    throw new Error('no patella binary: run `swift build` (or set PATELLA_BIN) before the node tests');
  }
  return candidates[0];
}

export function temporaryDirectory(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patella-js-'));
  if (t) t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Builds `content` into `output` with the real binary. The index does not depend on
 * the theme, so the stable fixture theme is used, the real one if that fails.
 */
export function buildSite(content, output) {
  const binary = patellaBinary();
  let last = null;
  for (const theme of [path.join(root, 'Tests', 'Fixtures', 'theme'), path.join(root, 'Theme')]) {
    const run = spawnSync(binary, ['build', '--content', content, '--theme', theme, '--output', output, '-q'], {
      encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024
    });
    if (run.status === 0) return output;
    last = run;
  }
  throw new Error(`patella build failed (${last.status}):\n${last.stderr}${last.stdout}`);
}

/** Builds the real site once and returns the folder holding search/. */
export function buildRealSite(t) {
  const output = path.join(temporaryDirectory(t), 'site');
  return buildSite(path.join(root, 'Content'), output);
}

/** A loader for PatellaSearch.openIndex over a built site's search/ folder, counting files read. */
export function diskLoader(site) {
  const reads = [];
  const load = (file) => {
    reads.push(file);
    const full = path.join(site, 'search', file);
    return fs.promises.readFile(full, 'utf8').then(JSON.parse);
  };
  load.reads = reads;
  return load;
}

/** Ids of the results, best first. */
export function ids(outcome) {
  return outcome.results.map((r) => r.id);
}

/** Mulberry32: the same made-up site on every run. `next(n)` is an integer below n. */
export function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6D2B79F5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (((z ^ (z >>> 14)) >>> 0) / 4294967296 * n) | 0;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'su', 'ra', 'ti', 'vo', 'de', 'pu', 'zen', 'bar', 'col', 'fim', 'gro', 'hul',
  'jas', 'kev', 'lun', 'mor', 'nip', 'ost', 'pra', 'qui', 'rel', 'sto', 'tav', 'ulm', 'ves', 'wyn'];

/**
 * Writes a content folder of `count` made-up pages (a tenth symptoms, a tenth
 * conditions listing three symptoms and a treatment, one guide with a warning, the
 * rest treatments), large enough that the index is sharded. Returns its path.
 */
export function writeSyntheticContent(dir, count, seed = 42) {
  const next = random(seed);
  const vocabulary = [];
  const seen = new Set();
  while (vocabulary.length < 4000) {
    const parts = 2 + next(3);
    let word = '';
    for (let i = 0; i < parts; i++) word += SYLLABLES[next(SYLLABLES.length)];
    if (!seen.has(word)) { seen.add(word); vocabulary.push(word); }
  }
  const words = (n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = (next(1000000) + 1) / 1000000;
      out.push(vocabulary[Math.min(vocabulary.length - 1, Math.floor(Math.pow(vocabulary.length, r)) - 1)]);
    }
    return out.join(' ');
  };
  const content = path.join(dir, 'Content');
  for (const folder of ['symptoms', 'conditions', 'treatments', 'guides']) fs.mkdirSync(path.join(content, folder), { recursive: true });
  fs.writeFileSync(path.join(content, 'site.yml'), 'title: Synthetic\nbase_url: https://example.org/\ndisclaimer: Test only.\n');
  const symptoms = Math.max(1, Math.floor(count / 10));
  for (let n = 0; n < count; n++) {
    const [folder, id] = n < symptoms ? ['symptoms', `s-${n}`] : n < symptoms * 2 ? ['conditions', `c-${n}`]
      : n === count - 1 ? ['guides', `g-${n}`] : ['treatments', `t-${n}`];
    let text = `---\ntitle: Knee ${words(3)}\nsummary: ${words(12)}\naliases: [${words(2)}, ${words(2)}]\n`;
    if (folder === 'conditions') {
      const listed = Array.from(new Set([0, 1, 2].map(() => `s-${next(symptoms)}`))).sort();
      text += `symptoms: [${listed.join(', ')}]\ntreatments: [t-${symptoms * 2}]\n`;
    }
    if (folder === 'treatments') text += 'care: self-care\n';
    text += '---\n\n';
    for (let h = 0; h < 2; h++) text += `## ${words(2)}\n\n${words(30)}. Knee care matters.\n\n`;
    if (folder === 'guides' || n % 97 === 0) text += '> [!WARNING]\n> See a provider if the knee looks deformed or feels hot.\n';
    fs.writeFileSync(path.join(content, folder, `${id}.md`), text);
  }
  return { content, vocabulary };
}

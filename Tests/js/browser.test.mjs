// The script in a real headless Chromium (skipped when none is installed): the page
// contract (?q=, #search-results, #search-status, #search-urgent, data-search-root),
// escaping, keyboard navigation and typing, over http and from file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { buildSite, root, temporaryDirectory } from './helpers.mjs';

const chromium = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .find((file) => file && fs.existsSync(file));
const skip = chromium ? false : 'no Chromium installed (set CHROMIUM to its path)';

let scratch;
let site;
let server;
let base;

/** The search page as Theme/templates must make it, one folder below the site root. */
function searchPage(driver = '') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title></head>
<body>
<form role="search" action="../search-check/" method="get" data-search-root="../">
  <label for="search-input">Search</label>
  <input type="search" name="q" id="search-input" autocomplete="off">
  <button type="submit">Search</button>
</form>
<p id="search-status"></p>
<div id="search-urgent"></div>
<div id="search-results"></div>
<pre id="log"></pre>
<script src="../assets/search.js" defer></script>
${driver ? `<script>${driver}</script>` : ''}
</body></html>`;
}

const KEYBOARD = `
document.addEventListener('DOMContentLoaded', function () {
  PatellaSearch.page.ready.then(function () {
    var input = document.getElementById('search-input');
    var log = [];
    function key(name) {
      document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
      var a = document.activeElement;
      log.push(a.id || a.getAttribute('href'));
    }
    input.focus();
    key('ArrowDown'); key('ArrowDown'); key('ArrowUp'); key('ArrowUp');
    log.push(document.querySelectorAll('.search-result.is-active').length);
    if (location.hash === '#enter') {
      // Record where Enter goes instead of leaving (headless dumps hang on a navigation).
      window.navigation.addEventListener('navigate', function (event) {
        log.push('navigate:' + event.destination.url);
        event.preventDefault();
      });
      key('ArrowDown'); key('ArrowDown'); key('Enter');
    }
    document.getElementById('log').textContent = JSON.stringify(log);
  });
});`;

const TYPING = `
document.addEventListener('DOMContentLoaded', function () {
  var input = document.getElementById('search-input');
  input.focus();
  input.value = 'tylen';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(function () {
    var first = document.querySelector('#search-results a');
    document.getElementById('log').textContent = first ? first.getAttribute('href') : 'none';
  }, 1500);
});`;

before(async () => {
  if (skip) return;
  scratch = temporaryDirectory();
  site = buildSite(path.join(root, 'Content'), path.join(scratch, 'site'));
  fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
  fs.copyFileSync(path.join(root, 'Theme', 'assets', 'search.js'), path.join(site, 'assets', 'search.js'));
  fs.mkdirSync(path.join(site, 'search-check'));
  fs.writeFileSync(path.join(site, 'search-check', 'index.html'), searchPage());
  fs.mkdirSync(path.join(site, 'search-keys'));
  fs.writeFileSync(path.join(site, 'search-keys', 'index.html'), searchPage(KEYBOARD));
  fs.mkdirSync(path.join(site, 'search-typing'));
  fs.writeFileSync(path.join(site, 'search-typing', 'index.html'), searchPage(TYPING));

  // A hostile index: markup in every field must come out as text.
  const evil = path.join(scratch, 'evil');
  fs.mkdirSync(path.join(evil, 'search'), { recursive: true });
  fs.mkdirSync(path.join(evil, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(evil, 'page'), { recursive: true });
  fs.copyFileSync(path.join(root, 'Theme', 'assets', 'search.js'), path.join(evil, 'assets', 'search.js'));
  fs.writeFileSync(path.join(evil, 'page', 'index.html'), searchPage());
  const bad = '<img src=x onerror="document.title=\'pwned\'">';
  fs.writeFileSync(path.join(evil, 'search', 'index.json'), JSON.stringify({
    format: 'patella-search', version: 5, docCount: 2, avgLength: 10, stopwords: [],
    docs: [['a', 'conditions/a/', `Condition ${bad}`, `Knee ${bad}`, `knee summary ${bad}`, `knee text ${bad}`],
      ['b', 'javascript:alert(1)//', 'Guide', 'Knee trap', 'knee', 'knee']],
    lengths: [10, 10], postings: { knee: [0, 10, 1, 5] }, words: ['knee'],
    urgent: { threshold: 1, weights: { knee: 5 }, targets: [{ doc: 0, id: 'a', path: 'conditions/a/', title: `Help ${bad}`, signs: [`knee ${bad}`] }] }
  }));

  server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    let file = path.join(scratch, decodeURIComponent(url.pathname));
    if (!file.startsWith(scratch)) { response.writeHead(403); response.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { response.writeHead(404); response.end('missing'); return; }
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.js') ? 'text/javascript' : 'text/html';
    response.writeHead(200, { 'Content-Type': type + '; charset=utf-8' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  if (server) server.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** The DOM of `url` after its scripts have run. */
function dump(url, extra = []) {
  const profile = fs.mkdtempSync(path.join(scratch, 'profile-'));
  const args = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    `--user-data-dir=${profile}`, '--virtual-time-budget=8000', ...extra, '--dump-dom', url];
  return new Promise((resolve, reject) => {
    execFile(chromium, args, { timeout: 60000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && !stdout) reject(new Error(`${error.message}\n${stderr}`)); else resolve(stdout);
    });
  });
}

function between(html, id) {
  const start = html.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `#${id} in the page`);
  const open = html.lastIndexOf('<', start);
  const tag = html.slice(open + 1, html.indexOf(' ', open));
  let depth = 0;
  const pattern = new RegExp(`<(/?)${tag}[\\s>]`, 'g');
  pattern.lastIndex = open;
  let match;
  while ((match = pattern.exec(html))) {
    depth += match[1] ? -1 : 1;
    if (depth === 0) return html.slice(html.indexOf('>', open) + 1, match.index);
  }
  return html.slice(open);
}

const hrefs = (html) => Array.from(html.matchAll(/<a [^>]*href="([^"]*)"/g)).map((m) => m[1]);

test('?q= renders ranked links inside #search-results, and nothing else there', { skip }, async () => {
  const html = await dump(`${base}/site/search-check/?q=advil`);
  const results = between(html, 'search-results');
  assert.equal(hrefs(results)[0], '../treatments/otc-anti-inflammatories/');
  assert.match(results, /^<ol class="search-result-list">/);
  assert.match(results, /<mark>Advil<\/mark>/);
  assert.match(results, /<span class="search-result-type">Treatment<\/span>/);
  assert.match(between(html, 'search-status'), /results?\./);
});

test('a misspelling says what was searched instead', { skip }, async () => {
  const html = await dump(`${base}/site/search-check/?q=menicus`);
  assert.match(between(html, 'search-status'), /Showing results for <em>meniscus<\/em>/);
  assert.ok(hrefs(between(html, 'search-results')).slice(0, 3).includes('../conditions/medial-meniscus-tear/'));
});

test('nothing close: no results, no unrelated pages', { skip }, async () => {
  const html = await dump(`${base}/site/search-check/?q=xqzt`);
  assert.equal(between(html, 'search-results'), '');
  assert.match(between(html, 'search-status'), /No results for “xqzt”/);
  assert.doesNotMatch(between(html, 'search-urgent'), /<a /);
});

test('a warning sign shows the When to get help box above the results', { skip }, async () => {
  const html = await dump(`${base}/site/search-check/?q=${encodeURIComponent('red hot swollen')}`);
  const urgent = between(html, 'search-urgent');
  assert.match(urgent, /When to get help/);
  assert.deepEqual(hrefs(urgent), ['../guides/when-to-see-a-provider/']);
  assert.ok(html.indexOf('id="search-urgent"') < html.indexOf('id="search-results"'));
  const calm = await dump(`${base}/site/search-check/?q=stairs`);
  assert.doesNotMatch(between(calm, 'search-urgent'), /When to get help/);
});

test('arrow keys move through the results and Enter follows the link', { skip }, async () => {
  const html = await dump(`${base}/site/search-keys/?q=tylenol`);
  const log = JSON.parse(between(html, 'log'));
  const links = hrefs(between(html, 'search-results'));
  assert.deepEqual(log, [links[0], links[1], links[0], 'search-input', 0]);
  const followed = JSON.parse(between(await dump(`${base}/site/search-keys/?q=tylenol#enter`), 'log'));
  assert.deepEqual(followed.filter((entry) => String(entry).startsWith('navigate:')), [`navigate:${base}/site/symptoms/bruising/`],
    'Enter follows the second result');
  assert.equal(links[1], '../symptoms/bruising/');
});

test('typing searches with the last word as a prefix', { skip }, async () => {
  const html = await dump(`${base}/site/search-typing/`);
  assert.equal(between(html, 'log'), '../treatments/acetaminophen/');
});

test('everything from the index is inserted as text, and unsafe links are dropped', { skip }, async () => {
  const html = await dump(`${base}/evil/page/?q=knee`);
  const results = between(html, 'search-results');
  const urgent = between(html, 'search-urgent');
  assert.doesNotMatch(results + urgent, /<img/);
  assert.match(results, /&lt;img src=x onerror=/);
  assert.match(urgent, /Help &lt;img/);
  assert.doesNotMatch(html, /javascript:/);
  assert.match(html, /<title>Search<\/title>/, 'no script from the index ran');
});

test('works from file:// where the browser allows reading files', { skip }, async () => {
  const url = `file://${path.join(site, 'search-check', 'index.html')}?q=advil`;
  const html = await dump(url, ['--allow-file-access-from-files']);
  // From disk, folder links point at index.html (a folder would show a file listing).
  assert.equal(hrefs(between(html, 'search-results'))[0], '../treatments/otc-anti-inflammatories/index.html');
});

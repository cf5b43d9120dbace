#!/usr/bin/env python3
"""Patella's search beside Pagefind, in headless Chromium, on the real site and a synthetic one.

    python3 Benchmarks/search_bench.py                  # what `make bench` runs
    python3 Benchmarks/search_bench.py --runs 1 --passes 2 --sites real   # a quick look

For each site (the shipped site in Content/, and a 10,000-page site from generate.py) it
builds the site with a copy of Patella's release binary, indexes the same output with
Pagefind (`python3 -m pagefind_bin --site OUT`), then serves the output from a loopback
HTTP server of its own that counts every request and byte it serves, and drives headless
Chromium through Selenium:

- index size on disk (files, bytes) and indexing time of both tools;
- bytes and requests of loading the search page, then of the first query (counted at the
  server, so Pagefind's worker and WebAssembly fetches count too), and its time;
- query latency after the first query: p50 and p95 over ~30 realistic queries, each
  repeated --passes times, measured inside the page with performance.now().

It prints a report and writes Benchmarks/results/search-latest.md and .json.
See Benchmarks/README.md ("Search benchmark") for the method and its caveats.
"""

import argparse
import datetime
import gzip
import http.server
import json
import os
import platform
import random
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402
import bench  # noqa: E402  (drop_caches, wait_idle, files_under, libraries: the same machine preparation)

THEME = os.path.join(ROOT, "Theme")
CONTENT = os.path.join(ROOT, "Content")
TIME = "/usr/bin/time"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/lib/chromium/chromium"
SCRATCH_BUILD = ".build-bench"  # this benchmark's own SwiftPM scratch path
TARGET_P95_MS = 10.0  # issue 5, point 8: p95 query latency under 10 ms at 10,000 pages
TOOLS = ("patella", "pagefind")
LABEL = {"patella": "Patella", "pagefind": "Pagefind"}
SITE_LABEL = {"real": "real site (Content/)", "synthetic": "synthetic"}
RESULTS_TOP = 20  # Patella's search page shows 20 results (search.js default limit)
PAGEFIND_TOP = 10  # data() of the first 10 Pagefind results: what a results list needs

# ---------------------------------------------------------------- queries

# What readers of the knee site type: lay terms, clinical terms, typos, prefixes, phrases.
REAL_QUERIES = [
    "knee pain", "inner knee pain", "menicus", "meniscus tear", "mcl sprain", "knee swelling",
    "swollen knee", "knee gives way", "pain on stairs", "pain when running", "ice or heat",
    "ibuprofen", "acetaminophen", "osteoarthritis", "arthritus", "kneecap pain",
    "pes anserine bursitis", "bursitis", "physio", "physical therapy", "knee brace",
    "cortisone injection", "knee replacement", "x-ray", "mri scan", "clicking knee",
    "stiff in the morning", "running shoes", "lose weight", "when to see a doctor",
    "redness and warmth", "tendonitis", "strech", "osteo",
]


def synthetic_queries(seed, pages):
    """Queries in the synthetic site's vocabulary (generate.py), so they match, with two of
    its long-tail words (one frequent, one rare) as the generator draws them."""
    tail = generate.make_tail_words(random.Random(seed), max(2000, pages * 3))
    return [
        "knee pain", "hip bursitis", "shoulder tendinitis", "ankle sprain", "stress fracture",
        "morning stiffness", "tendinitus", "bursitus", "sholder pain", "swelling",
        "numbness and tingling", "tend", "stret", "physical therapy", "ice packs", "mri scan",
        "x-ray", "ligaments", "walking stick", "heel pain at night", "anti-inflammatory medicines",
        "physiotherapy exercises", "cushioned footwear", "weight gain", "nerve block injection",
        "gait study", "kneecap instability", "repeated kneeling at work", tail[0], tail[300],
        "runner's knee", "getting back to running",
    ]


FIRST_QUERY = "knee pain"  # the first query of every timed session (both sites)


def say(msg=""):
    print(msg, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), text=True, capture_output=True, **kw)


# ---------------------------------------------------------------- counting HTTP server


class CountingWriter:
    """Wraps a handler's wfile: counts every byte written to the socket."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def write(self, data):
        n = self.raw.write(data)
        self.count += len(data) if n is None else n
        return n

    def flush(self):
        return self.raw.flush()

    def close(self):
        return self.raw.close()

    @property
    def closed(self):
        return self.raw.closed


class Log:
    """Every request served, tagged with the phase the benchmark was in when it arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = "idle"
        self.entries = []
        self.inflight = 0
        self.last = time.monotonic()

    def set_phase(self, phase):
        with self.lock:
            self.phase = phase

    def begin(self):
        with self.lock:
            self.inflight += 1
            self.last = time.monotonic()
            return self.phase

    def end(self, entry):
        with self.lock:
            self.inflight -= 1
            self.last = time.monotonic()
            self.entries.append(entry)

    def wait_quiet(self, quiet=0.25, limit=10.0):
        """Waits until no request is in flight and none arrived for `quiet` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if self.inflight == 0 and time.monotonic() - self.last >= quiet:
                    return
            time.sleep(0.02)

    def phase_entries(self, phase):
        with self.lock:
            return [e for e in self.entries if e["phase"] == phase]


def make_handler(root, log):
    not_found = os.path.join(root, "404.html")

    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as browsers and hosts use

        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            self.wfile = CountingWriter(self.wfile)

        def send_response(self, code, message=None):
            self._status = code
            super().send_response(code, message)

        def flush_headers(self):
            self._header_bytes = getattr(self, "_header_bytes", 0) + sum(len(b) for b in getattr(self, "_headers_buffer", []))
            super().flush_headers()

        def end_headers(self):
            # As a static host would: files may be reused for ten minutes (GitHub Pages' max-age).
            self.send_header("Cache-Control", "max-age=600" if self._status < 400 else "no-store")
            super().end_headers()

        def send_error(self, code, message=None, explain=None):
            # Unknown addresses get the site's own 404 page, as static hosts serve it.
            if code == 404 and os.path.exists(not_found) and self.command == "GET":
                with open(not_found, "rb") as f:
                    body = f.read()
                self._file = not_found
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().send_error(code, message, explain)

        def do_GET(self):
            phase = log.begin()
            start = self.wfile.count
            self._header_bytes = 0
            self._status = 0
            path = urllib.parse.urlsplit(self.path).path
            self._file = self.translate_path(self.path)
            if os.path.isdir(self._file):
                self._file = os.path.join(self._file, "index.html")
            try:
                super().do_GET()
            finally:
                wire = self.wfile.count - start
                if path == "/favicon.ico":
                    phase = "load"  # the browser asks for it whenever it likes: page-load cost
                log.end({"phase": phase, "path": path, "status": self._status, "wire": wire,
                         "body": wire - self._header_bytes, "file": self._file})

    return Handler


class Server:
    """A loopback server of one output folder on a fresh port (a fresh origin: nothing the
    browser cached for an earlier session can be reused)."""

    def __init__(self, root):
        self.log = Log()
        handler = make_handler(root, self.log)
        socketserver.TCPServer.allow_reuse_address = True
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


GZIP_SIZES = {}


def gzip_size(path, body):
    """Bytes of the response if the host compressed it (gzip -6), never more than as is:
    Pagefind's index files are gzip-compressed already."""
    key = (path, body)
    if key not in GZIP_SIZES:
        try:
            with open(path, "rb") as f:
                data = f.read()
            GZIP_SIZES[key] = min(body, len(gzip.compress(data, 6, mtime=0)) + 20)  # + header room
        except OSError:
            GZIP_SIZES[key] = body
    return GZIP_SIZES[key]


def traffic(entries):
    return {"requests": len(entries), "bytes": sum(e["body"] for e in entries),
            "wire": sum(e["wire"] for e in entries),
            "gzip": sum(gzip_size(e["file"], e["body"]) for e in entries),
            "files": [[e["path"], e["status"], e["body"]] for e in entries]}


# ---------------------------------------------------------------- Patella and Pagefind runs


def ensure_patella(args):
    """A copy of the release binary under WORK/bin, so a rebuild elsewhere cannot swap it mid-run."""
    if args.patella:
        src = os.path.abspath(args.patella)
    else:
        say(f"Building Patella (release) in its own scratch path: swift build -c release --product patella "
            f"--scratch-path {SCRATCH_BUILD}")
        t0 = time.perf_counter()
        r = subprocess.run(["swift", "build", "-c", "release", "--product", "patella",
                            "--scratch-path", SCRATCH_BUILD], cwd=ROOT)
        if r.returncode != 0:
            sys.exit("error: the release build failed")
        say(f"  built in {time.perf_counter() - t0:.0f} s")
        src = os.path.join(ROOT, SCRATCH_BUILD, "release", "patella")
    dst_dir = os.path.join(args.work, "bin")
    os.makedirs(dst_dir, exist_ok=True)
    dst = os.path.join(dst_dir, "patella")
    shutil.copy2(src, dst)
    return dst, src


# Pagefind's ready-made UIs, written beside its index; a page that calls pagefind.js
# itself (as the benchmark page does) never loads them.
PAGEFIND_UI_FILES = re.compile(r"^pagefind-(component-ui|modular-ui|ui|highlight)\.(js|css)$")


def folder_size(folder, skip=(), skip_re=None):
    n = size = 0
    for path in bench.files_under(folder):
        name = os.path.basename(path)
        if name in skip or (skip_re and skip_re.match(name)):
            continue
        n += 1
        size += os.path.getsize(path)
    return n, size


def timed(cmd, log_prefix):
    """(exit status, wall seconds, peak RSS MiB, stdout) of cmd under /usr/bin/time."""
    time_path = log_prefix + ".time"
    t0 = time.perf_counter()
    r = subprocess.run([TIME, "-f", "%M", "-o", time_path] + cmd, text=True, capture_output=True)
    wall = time.perf_counter() - t0
    with open(log_prefix + ".out", "w") as f:
        f.write(r.stdout)
    with open(log_prefix + ".err", "w") as f:
        f.write(r.stderr)
    try:
        with open(time_path) as f:
            rss = int(f.read().strip().splitlines()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        rss = None
    return r.returncode, wall, rss, r.stdout + r.stderr


def build_site(name, content, out, patella, args, run):
    """One timed full Patella build into a fresh `out`."""
    if os.path.exists(out):
        shutil.rmtree(out)
    for entry in os.listdir(os.path.dirname(out)):
        if entry.startswith(os.path.basename(out) + ".staging-") or entry.startswith("." + os.path.basename(out) + ".staging-"):
            shutil.rmtree(os.path.join(os.path.dirname(out), entry), ignore_errors=True)
    busy = bench.wait_idle(args.wait_idle) if args.wait_idle > 0 else bench.busy_fraction(0.5)
    bench.drop_caches(bench.files_under(content) + bench.files_under(THEME) + bench.libraries(patella))
    rc, wall, rss, text = timed([patella, "build", "--content", content, "--theme", THEME, "--output", out,
                                 "--timings"], os.path.join(args.work, "logs", f"patella-{name}-{run}"))
    if rc != 0:
        sys.exit(f"error: patella build failed on the {name} site:\n{text[-3000:]}")
    stages = {m.group(1): float(m.group(2)) for m in map(bench.STAGE_RE.match, text.splitlines()) if m}
    m = re.search(r"Built (\d+) pages", text)
    return {"wall": wall, "rss_mib": rss, "stages": stages, "pages": int(m.group(1)) if m else None, "busy_before": busy}


def index_pagefind(name, out, args, run):
    """One timed Pagefind run over the built `out` (its previous pagefind/ removed first)."""
    shutil.rmtree(os.path.join(out, "pagefind"), ignore_errors=True)
    busy = bench.wait_idle(args.wait_idle) if args.wait_idle > 0 else bench.busy_fraction(0.5)
    html = [p for p in bench.files_under(out) if p.endswith(".html")]
    bench.drop_caches(html)
    rc, wall, rss, text = timed([sys.executable, "-m", "pagefind_bin", "--site", out],
                                os.path.join(args.work, "logs", f"pagefind-{name}-{run}"))
    if rc != 0:
        sys.exit(f"error: pagefind failed on the {name} site:\n{text[-3000:]}")
    m = re.search(r"Indexed (\d+) pages?", text)
    w = re.search(r"Indexed (\d+) words?", text)
    fallback = bool(re.search(r"Did not find a data-pagefind-body", text))
    return {"wall": wall, "rss_mib": rss, "pages": int(m.group(1)) if m else None,
            "words": int(w.group(1)) if w else None, "body_fallback": fallback, "busy_before": busy,
            "log_tail": "\n".join(l for l in text.splitlines() if l.strip())[-1500:]}


PAGEFIND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind benchmark page</title></head>
<body><main><p>Pagefind benchmark page, written by Benchmarks/search_bench.py.</p></main>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
window.pagefind = pagefind;
window.__pagefindReady = true;
</script>
</body></html>
"""

# ---------------------------------------------------------------- in-page measurement

# Each script runs in the page (execute_async_script); it returns
# [[milliseconds, total results, milliseconds of the search alone], ...].
PATELLA_FIRST = """
const done = arguments[arguments.length - 1];
const query = arguments[0];
(async () => {
  const results = document.getElementById('search-results');
  const t0 = performance.now();
  const outcome = await PatellaSearch.page.run(query, false);
  void results.offsetHeight;  // style and layout of the rendered results
  const t1 = performance.now();
  return { ms: t1 - t0, total: outcome ? outcome.total : -1, shown: results.querySelectorAll('.search-result').length };
})().then(done, e => done({ error: String(e && e.stack || e) }));
"""

# Warm queries: pass 0 sees every query once, submitted and as typed (it may still fetch
# shards); passes 1..N are timed. `run` is what the search page does on submit (typing =
# false) or 60 ms after a keystroke (typing = true: the last word also matches as a
# prefix): search, then render into #search-results. The engine alone (PatellaSearch.search on an index source of our
# own, no DOM) is timed too, to split engine from rendering.
PATELLA_WARM = """
const done = arguments[arguments.length - 1];
const [queries, passes] = [arguments[0], arguments[1]];
(async () => {
  const S = PatellaSearch, page = S.page, results = document.getElementById('search-results');
  const pause = () => new Promise(r => setTimeout(r, 2));
  const out = { submit: [], typing: [], engine: [], firstSeen: [], totals: {} };
  for (const q of queries) {
    const t0 = performance.now();
    const o = await page.run(q, false);
    void results.offsetHeight;
    out.firstSeen.push([q, performance.now() - t0]);
    out.totals[q] = o ? o.total : -1;
    await pause();
    await page.run(q, true);  // as typed, too: the words it completes may need more files
    await pause();
  }
  const src = await S.openIndex(p => fetch('/search/' + p).then(r => { if (!r.ok) throw new Error(p); return r.json(); }));
  for (const q of queries) { await S.search(src, q, { typing: false, limit: 20 }); await S.search(src, q, { typing: true, limit: 20 }); }
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      let t0 = performance.now();
      await page.run(q, false);
      void results.offsetHeight;
      out.submit.push([q, performance.now() - t0]);
      await pause();
      t0 = performance.now();
      await page.run(q, true);
      void results.offsetHeight;
      out.typing.push([q, performance.now() - t0]);
      await pause();
      t0 = performance.now();
      await S.search(src, q, { typing: false, limit: 20 });
      out.engine.push([q, performance.now() - t0]);
      await pause();
    }
  }
  return out;
})().then(done, e => done({ error: String(e && e.stack || e) }));
"""

PAGEFIND_FIRST = """
const done = arguments[arguments.length - 1];
const [query, top] = [arguments[0], arguments[1]];
(async () => {
  const t0 = performance.now();
  const r = await window.pagefind.search(query);
  const t1 = performance.now();
  await Promise.all(r.results.slice(0, top).map(x => x.data()));
  const t2 = performance.now();
  return { ms: t2 - t0, searchMs: t1 - t0, total: r.results.length };
})().then(done, e => done({ error: String(e && e.stack || e) }));
"""

PAGEFIND_WARM = """
const done = arguments[arguments.length - 1];
const [queries, passes, top] = [arguments[0], arguments[1], arguments[2]];
(async () => {
  const pause = () => new Promise(r => setTimeout(r, 2));
  const out = { full: [], search: [], firstSeen: [], totals: {} };
  for (const q of queries) {
    const t0 = performance.now();
    const r = await window.pagefind.search(q);
    await Promise.all(r.results.slice(0, top).map(x => x.data()));
    out.firstSeen.push([q, performance.now() - t0]);
    out.totals[q] = r.results.length;
    await pause();
  }
  for (let pass = 0; pass < passes; pass++) {
    for (const q of queries) {
      const t0 = performance.now();
      const r = await window.pagefind.search(q);
      const t1 = performance.now();
      await Promise.all(r.results.slice(0, top).map(x => x.data()));
      const t2 = performance.now();
      out.full.push([q, t2 - t0]);
      out.search.push([q, t1 - t0]);
      await pause();
    }
  }
  return out;
})().then(done, e => done({ error: String(e && e.stack || e) }));
"""


def launch_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", "--disable-extensions", "--disable-background-networking",
              "--window-size=1280,900"):
        options.add_argument(a)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Pagefind's passes over the queries take minutes at 10,000 pages: more than the
    # 120 s Selenium's client waits for a command by default.
    driver.command_executor._client_config.timeout = 3600
    driver.set_script_timeout(3000)
    driver.set_page_load_timeout(120)
    return driver


def js(driver, script, *args):
    value = driver.execute_async_script(script, *args)
    if isinstance(value, dict) and "error" in value:
        raise RuntimeError(value["error"])
    return value


def open_page(driver, server, tool):
    """Loads the tool's search page; returns once its script is ready and the server is quiet."""
    server.log.set_phase("load")
    t0 = time.perf_counter()
    if tool == "patella":
        driver.get(server.url("/search/"))
        ready = "return document.readyState === 'complete' && !!(window.PatellaSearch && PatellaSearch.page)"
    else:
        driver.get(server.url("/pagefind-bench.html"))
        ready = "return document.readyState === 'complete' && window.__pagefindReady === true"
    deadline = time.monotonic() + 60
    while not driver.execute_script(ready):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{tool}: the search page did not become ready")
        time.sleep(0.02)
    load_s = time.perf_counter() - t0
    server.log.wait_quiet()
    return load_s


def first_query(driver, server, tool, query):
    server.log.set_phase("first")
    if tool == "patella":
        r = js(driver, PATELLA_FIRST, query)
    else:
        r = js(driver, PAGEFIND_FIRST, query, PAGEFIND_TOP)
    server.log.wait_quiet(quiet=0.1)
    server.log.set_phase("after")
    return r


def session(driver, out, tool, queries, passes, warm=True):
    """One fresh origin: page load, the first query, then (warm) the timed queries."""
    server = Server(out)
    try:
        load_s = open_page(driver, server, tool)
        first = first_query(driver, server, tool, queries[0] if not warm else FIRST_QUERY)
        result = {"load_seconds": load_s, "first": first,
                  "load_traffic": traffic(server.log.phase_entries("load")),
                  "first_traffic": traffic(server.log.phase_entries("first"))}
        if warm:
            server.log.set_phase("warm")
            if tool == "patella":
                result["warm"] = js(driver, PATELLA_WARM, queries, passes)
            else:
                result["warm"] = js(driver, PAGEFIND_WARM, queries, passes, PAGEFIND_TOP)
            result["warm_traffic"] = {k: v for k, v in traffic(server.log.phase_entries("warm")).items() if k != "files"}
        return result
    finally:
        driver.get("about:blank")
        server.close()


# ---------------------------------------------------------------- statistics


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    v = sorted(values)
    if not v:
        return None
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def latency_summary(runs, key):
    """Median over runs of each run's p50 and p95 (and of all samples pooled)."""
    per_run = [[ms for _, ms in r[key]] for r in runs]
    pooled = [ms for v in per_run for ms in v]
    return {"p50": median([pct(v, 50) for v in per_run]), "p95": median([pct(v, 95) for v in per_run]),
            "p95_worst_run": max(pct(v, 95) for v in per_run), "max": max(pooled),
            "pooled_p50": pct(pooled, 50), "pooled_p95": pct(pooled, 95), "samples": len(pooled)}


def slowest_queries(runs, key, n=5):
    by_q = {}
    for r in runs:
        for q, ms in r[key]:
            by_q.setdefault(q, []).append(ms)
    return sorted(((q, median(v)) for q, v in by_q.items()), key=lambda x: -x[1])[:n]


# ---------------------------------------------------------------- report


def fmt_bytes(n):
    if n is None:
        return "–"
    if n >= 10 * 1024 * 1024:
        return f"{n / 1024 / 1024:.0f} MiB"
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} B"


def fmt_ms(x):
    if x is None:
        return "–"
    if x >= 1000:
        return f"{x / 1000:.2f} s"
    return f"{x:.1f} ms" if x < 100 else f"{x:.0f} ms"


def verdict(ok):
    return "PASS" if ok else "FAIL"


def machine_info(patella_src):
    def out(cmd):
        return sh(cmd).stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
        "nproc": out(["nproc"]),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "kernel": platform.release(),
        "loadavg": open("/proc/loadavg").read().split()[:3],
        "patella": bench.first_line([patella_src, "--version"]) + f" ({os.path.relpath(patella_src, ROOT)}, built "
                   + datetime.datetime.fromtimestamp(os.path.getmtime(patella_src)).strftime("%Y-%m-%d %H:%M") + ")",
        "commit": out(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
                  + (" + uncommitted changes" if out(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift", "Theme"]) else ""),
        "pagefind": bench.first_line([sys.executable, "-m", "pagefind_bin", "--version"]),
        "chromium": bench.first_line([CHROMIUM, "--version"]),
        "selenium": __import__("selenium").__version__,
        "python": platform.python_version(),
    }


def file_kind(path, status):
    """What a fetched file is for, to see where first-query bytes go."""
    if status == 404:
        return "404 page (a missing file)"
    name = path.rsplit("/", 1)[-1]
    if path == "/search/index.json":
        return "index.json (the whole index, or a sharded index's manifest)"
    for prefix, kind in (("/search/terms/", "terms shards"), ("/search/words/", "words files"),
                         ("/search/docs/", "result documents"), ("/search/urgent.json", "urgent-box targets"),
                         ("/pagefind/index/", "index chunks"), ("/pagefind/fragment/", "page fragments"),
                         ("/pagefind/filter/", "filter chunks")):
        if path.startswith(prefix):
            return kind
    if name.startswith("wasm."):
        return "WebAssembly"
    if name.endswith(".js"):
        return "script"
    return "manifest / metadata" if name.endswith((".json", ".pf_meta")) else name


def file_groups(files):
    groups = {}
    for path, status, size in files:
        g = groups.setdefault(file_kind(path, status), {"bytes": 0, "requests": 0})
        g["bytes"] += size
        g["requests"] += 1
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]["bytes"]))


def summarize_site(site):
    s = {}
    for tool in TOOLS:
        sessions = site["sessions"][tool]
        t = s[tool] = {}
        t["index_files"], t["index_bytes"] = site["index"][tool]
        t["indexing_seconds"] = median([r["wall"] for r in site["indexing"][tool]])
        t["indexing_rss_mib"] = median([r["rss_mib"] for r in site["indexing"][tool]])
        t["load_bytes"] = median([x["load_traffic"]["bytes"] for x in sessions])
        t["load_requests"] = median([x["load_traffic"]["requests"] for x in sessions])
        t["first_bytes"] = median([x["first_traffic"]["bytes"] for x in sessions])
        t["first_gzip"] = median([x["first_traffic"]["gzip"] for x in sessions])
        t["first_requests"] = median([x["first_traffic"]["requests"] for x in sessions])
        t["first_ms"] = median([x["first"]["ms"] for x in sessions])
        t["first_files"] = sessions[0]["first_traffic"]["files"]
        t["load_files"] = sessions[0]["load_traffic"]["files"]
        t["first_groups"] = file_groups(t["first_files"])
        t["warm_requests"] = median([x["warm_traffic"]["requests"] for x in sessions])
        warm = [x["warm"] for x in sessions]
        if tool == "patella":
            t["latency"] = latency_summary(warm, "submit")
            t["latency_typing"] = latency_summary(warm, "typing")
            t["latency_engine"] = latency_summary(warm, "engine")
            t["slowest"] = slowest_queries(warm, "submit")
        else:
            t["latency"] = latency_summary(warm, "full")
            t["latency_search"] = latency_summary(warm, "search")
            t["slowest"] = slowest_queries(warm, "full")
        t["first_seen"] = latency_summary(warm, "firstSeen")
        t["totals"] = warm[0]["totals"]
        sweep = site["sweep"][tool]
        t["sweep_bytes_median"] = median([x["bytes"] for x in sweep.values()])
        t["sweep_bytes_max"] = max(x["bytes"] for x in sweep.values())
        t["sweep_gzip_median"] = median([x["gzip"] for x in sweep.values()])
        t["sweep_requests_median"] = median([x["requests"] for x in sweep.values()])
        t["sweep_ms_median"] = median([x["ms"] for x in sweep.values()])
    p, f = s["patella"], s["pagefind"]
    s["ratios"] = {
        "index_bytes": p["index_bytes"] / f["index_bytes"],
        "first_bytes": p["first_bytes"] / f["first_bytes"],
        "first_gzip": p["first_gzip"] / f["first_gzip"],
        "sweep_bytes_median": p["sweep_bytes_median"] / f["sweep_bytes_median"],
        "sweep_bytes_max": p["sweep_bytes_max"] / f["sweep_bytes_max"],
        "p95": p["latency"]["p95"] / f["latency"]["p95"],
        "first_ms": p["first_ms"] / f["first_ms"],
    }
    bytes_ok = p["first_bytes"] <= f["first_bytes"] and p["sweep_bytes_median"] <= f["sweep_bytes_median"]
    s["verdicts"] = {
        "bytes": bytes_ok,
        "bytes_gzip": p["first_gzip"] <= f["first_gzip"] and p["sweep_gzip_median"] <= f["sweep_gzip_median"],
        "p95": p["latency"]["p95"] < TARGET_P95_MS,
        "p95_typing": p["latency_typing"]["p95"] < TARGET_P95_MS,
    }
    return s


def report_markdown(sites, info, args, command, notes, runtime_s):
    names = list(sites)
    cols = [(n, tool) for n in names for tool in TOOLS]
    head = "| | " + " | ".join(f"{sites[n]['title']}: {LABEL[t]}" for n, t in cols) + " |"
    sep = "|---|" + "---:|" * len(cols)
    md = ["# Patella search benchmark: latest results", "",
          f"Command: `{command}` (from the repository root). Written by `Benchmarks/search_bench.py`; "
          "see [README.md](../README.md#search-benchmark) for what is measured and the caveats. "
          f"Whole run: {runtime_s / 60:.1f} min.", "",
          f"{args.runs} runs per site; in each, both tools load their search page from a fresh origin in headless "
          f"Chromium, run the first query `{FIRST_QUERY}`, then every query of the site's list ("
          + ", ".join(f"{len(sites[n]['queries'])} for the {sites[n]['title']}" for n in names)
          + f") once (\"first seen\") and {args.passes} more times (timed). Medians over runs. Bytes are counted at "
          "the server (response bodies; headers excluded). "
          + ("The page cache was dropped before every indexing run and every browser run."
             if bench.CAN_DROP else "**Not run as root: the page cache was NOT dropped.**"), "",
          "## Targets", "",
          "| site | target | Patella | Pagefind | ratio | verdict |", "|---|---|---:|---:|---:|---|"]
    for n in names:
        s = sites[n]["summary"]
        p, f, ra, v = s["patella"], s["pagefind"], s["ratios"], s["verdicts"]
        t = sites[n]["title"]
        md.append(f"| {t} | first-query bytes <= Pagefind's (`{FIRST_QUERY}`) | {fmt_bytes(p['first_bytes'])} | "
                  f"{fmt_bytes(f['first_bytes'])} | {ra['first_bytes']:.2f}x | {verdict(p['first_bytes'] <= f['first_bytes'])} |")
        md.append(f"| {t} | first-query bytes <= Pagefind's (median over every query as the first) | "
                  f"{fmt_bytes(p['sweep_bytes_median'])} | {fmt_bytes(f['sweep_bytes_median'])} | "
                  f"{ra['sweep_bytes_median']:.2f}x | {verdict(p['sweep_bytes_median'] <= f['sweep_bytes_median'])} |")
        md.append(f"| {t} | the same, gzip-compressed as a host would send them (`{FIRST_QUERY}`) | "
                  f"{fmt_bytes(p['first_gzip'])} | {fmt_bytes(f['first_gzip'])} | {ra['first_gzip']:.2f}x | "
                  f"{verdict(p['first_gzip'] <= f['first_gzip'])} |")
        md.append(f"| {t} | p95 query latency < 10 ms (submit: search + render) | {fmt_ms(p['latency']['p95'])} | "
                  f"{fmt_ms(f['latency']['p95'])} | {ra['p95']:.2f}x | {verdict(v['p95'])} |")
        md.append(f"| {t} | p95 query latency < 10 ms (as you type) | {fmt_ms(p['latency_typing']['p95'])} | | | "
                  f"{verdict(v['p95_typing'])} |")
    md.append("")
    md.append("The latency target is the issue's for 10,000 pages; it is shown for the real site too.")
    md += ["", "## Figures", "", head, sep]

    def row(label, fn):
        md.append(f"| {label} | " + " | ".join(fn(sites[n]["summary"][t], t, n) for n, t in cols) + " |")

    row("pages indexed", lambda x, t, n: str(sites[n]["pages"][t]))
    row("index on disk: files", lambda x, t, n: f"{x['index_files']:,}")
    row("index on disk: bytes", lambda x, t, n: fmt_bytes(x["index_bytes"]))
    row("index on disk without Pagefind's UI files", lambda x, t, n: fmt_bytes(x["index_bytes"]) if t == "patella"
        else f"{fmt_bytes(sites[n]['index_without_ui'][1])} ({sites[n]['index_without_ui'][0]:,} files)")
    row("indexing time (median)", lambda x, t, n: fmt_ms(x["indexing_seconds"] * 1000) + (" (whole build)" if t == "patella" else ""))
    row("indexing peak RSS", lambda x, t, n: f"{x['indexing_rss_mib']:.0f} MiB" + (" (whole build)" if t == "patella" else ""))
    row("search page load: bytes (requests)", lambda x, t, n: f"{fmt_bytes(x['load_bytes'])} ({x['load_requests']:.0f})")
    row(f"first query `{FIRST_QUERY}`: bytes (requests)", lambda x, t, n: f"{fmt_bytes(x['first_bytes'])} ({x['first_requests']:.0f})")
    row(f"first query `{FIRST_QUERY}`: gzip bytes", lambda x, t, n: fmt_bytes(x["first_gzip"]))
    row(f"first query `{FIRST_QUERY}`: time", lambda x, t, n: fmt_ms(x["first_ms"]))
    row("any query first: median bytes (requests)", lambda x, t, n: f"{fmt_bytes(x['sweep_bytes_median'])} ({x['sweep_requests_median']:.0f})")
    row("any query first: largest bytes", lambda x, t, n: fmt_bytes(x["sweep_bytes_max"]))
    row("any query first: median time", lambda x, t, n: fmt_ms(x["sweep_ms_median"]))
    row("each query's first time: p50 / p95", lambda x, t, n: f"{fmt_ms(x['first_seen']['p50'])} / {fmt_ms(x['first_seen']['p95'])}")
    row("**warm latency p50 / p95**", lambda x, t, n: f"**{fmt_ms(x['latency']['p50'])} / {fmt_ms(x['latency']['p95'])}**")
    row("warm latency: worst run's p95, max", lambda x, t, n: f"{fmt_ms(x['latency']['p95_worst_run'])}, {fmt_ms(x['latency']['max'])}")
    row("Patella as you type p50 / p95", lambda x, t, n: f"{fmt_ms(x['latency_typing']['p50'])} / {fmt_ms(x['latency_typing']['p95'])}" if t == "patella" else "")
    row("Patella engine alone (no DOM) p50 / p95", lambda x, t, n: f"{fmt_ms(x['latency_engine']['p50'])} / {fmt_ms(x['latency_engine']['p95'])}" if t == "patella" else "")
    row("Pagefind search() alone p50 / p95", lambda x, t, n: f"{fmt_ms(x['latency_search']['p50'])} / {fmt_ms(x['latency_search']['p95'])}" if t == "pagefind" else "")
    row("requests during the warm passes", lambda x, t, n: f"{x['warm_requests']:.0f}")
    md += ["", "Patella's \"warm latency\" is `PatellaSearch.page.run(query, false)`: what the search page does on "
           "submit (search, then render the top 20 results with snippets into `#search-results`, then a forced "
           "layout). \"As you type\" is `run(query, true)` (the last word also matches as a prefix), what the page "
           "runs 60 ms after a keystroke. Pagefind's is `await pagefind.search(q)` then `data()` of the first "
           f"{PAGEFIND_TOP} results (what a results list needs; no rendering). Patella's index bytes are `search/*` "
           "without the page; Pagefind's are the whole `pagefind/` folder (its UI scripts and styles included).", ""]

    for n in names:
        s = sites[n]["summary"]
        md += [f"## {sites[n]['title']}: what the first query `{FIRST_QUERY}` fetched", ""]
        for tool in TOOLS:
            groups = s[tool]["first_groups"]
            md.append(f"- {LABEL[tool]}, by kind: " + ", ".join(
                f"{k} {fmt_bytes(v['bytes'])} ({v['requests']})" for k, v in groups.items()))
        for tool in TOOLS:
            files = s[tool]["first_files"]
            md.append(f"- {LABEL[tool]}: " + ", ".join(f"`{p}` {fmt_bytes(b)}" + ("" if st == 200 else f" ({st})")
                                                      for p, st, b in files))
        md.append("")
        md.append("Search page load: " + "; ".join(
            f"{LABEL[tool]}: " + ", ".join(f"`{p}` {fmt_bytes(b)}" for p, st, b in s[tool]["load_files"])
            for tool in TOOLS))
        md.append("")
        md += [f"Slowest warm queries (median ms): " + "; ".join(
            f"{LABEL[tool]}: " + ", ".join(f"`{q}` {ms:.1f}" for q, ms in s[tool]["slowest"]) for tool in TOOLS), ""]

    md += ["## Every query as the first query", "",
           "Each query run first on a freshly loaded search page (new origin, nothing cached): bytes and requests "
           "the server sent for it, and how many results each engine found (they match differently: Patella corrects a "
           "misspelled word to the closest indexed one and says so; Pagefind matches words by prefix, and a word that "
           "matches nothing by shorter prefixes of it).", ""]
    for n in names:
        sweep = sites[n]["sweep"]
        md += [f"### {sites[n]['title']}", "",
               "| query | Patella bytes (req) | Patella results | Pagefind bytes (req) | Pagefind results |",
               "|---|---:|---:|---:|---:|"]
        for q in sites[n]["queries"]:
            p, f = sweep["patella"][q], sweep["pagefind"][q]
            md.append(f"| `{q}` | {fmt_bytes(p['bytes'])} ({p['requests']}) | {p['total']} | "
                      f"{fmt_bytes(f['bytes'])} ({f['requests']}) | {f['total']} |")
        md.append("")

    md += ["## Indexing runs", "", "| site | run | Patella build | Patella search stage | Pagefind | Pagefind peak RSS |",
           "|---|---:|---:|---:|---:|---:|"]
    for n in names:
        for i, (b, pf) in enumerate(zip(sites[n]["indexing"]["patella"], sites[n]["indexing"]["pagefind"])):
            stage = next((v for k, v in b["stages"].items() if "search" in k.lower()), None)
            md.append(f"| {sites[n]['title']} | {i + 1} | {fmt_ms(b['wall'] * 1000)} | "
                      f"{fmt_ms(stage) if stage is not None else '(not reported)'} | {fmt_ms(pf['wall'] * 1000)} | {pf['rss_mib']:.0f} MiB |")
    md += ["", "## Machine", "",
           f"- date: {info['date']}",
           f"- nproc: {info['nproc']}; CPU: {info['cpu']}; kernel {info['kernel']}; load average at start: {' '.join(info['loadavg'])}",
           f"- Patella {info['patella']}; the tree at run time: commit {info['commit']}",
           f"- {info['pagefind']} (PyPI `pagefind-bin`); {info['chromium']} headless, Selenium {info['selenium']}; Python {info['python']}",
           ""]
    if notes:
        md += ["## Notes", ""] + [f"- {x}" for x in notes] + [""]
    return "\n".join(md)


def report_text(sites):
    lines = []
    for n, site in sites.items():
        s = site["summary"]
        lines.append(f"{site['title']}:")
        lines.append(f"  {'':34}{'Patella':>16}{'Pagefind':>16}{'ratio':>8}")

        def line(label, pv, fv, ratio=None):
            lines.append(f"  {label:34}{pv:>16}{fv:>16}" + (f"{ratio:>7.2f}x" if ratio is not None else ""))
        p, f, ra = s["patella"], s["pagefind"], s["ratios"]
        line("index bytes (files)", f"{fmt_bytes(p['index_bytes'])} ({p['index_files']})", f"{fmt_bytes(f['index_bytes'])} ({f['index_files']})", ra["index_bytes"])
        line("indexing time", fmt_ms(p["indexing_seconds"] * 1000) + "*", fmt_ms(f["indexing_seconds"] * 1000))
        line(f"first query bytes (req)", f"{fmt_bytes(p['first_bytes'])} ({p['first_requests']:.0f})", f"{fmt_bytes(f['first_bytes'])} ({f['first_requests']:.0f})", ra["first_bytes"])
        line("  gzip", fmt_bytes(p["first_gzip"]), fmt_bytes(f["first_gzip"]), ra["first_gzip"])
        line("any query first: median bytes", fmt_bytes(p["sweep_bytes_median"]), fmt_bytes(f["sweep_bytes_median"]), ra["sweep_bytes_median"])
        line("first query time", fmt_ms(p["first_ms"]), fmt_ms(f["first_ms"]), ra["first_ms"])
        line("warm p50", fmt_ms(p["latency"]["p50"]), fmt_ms(f["latency"]["p50"]))
        line("warm p95", fmt_ms(p["latency"]["p95"]), fmt_ms(f["latency"]["p95"]), ra["p95"])
        line("Patella as you type p95", fmt_ms(p["latency_typing"]["p95"]), "")
        v = s["verdicts"]
        lines.append(f"  bytes <= Pagefind: {verdict(v['bytes'])} (gzip: {verdict(v['bytes_gzip'])}); "
                     f"p95 < 10 ms: {verdict(v['p95'])} (as you type: {verdict(v['p95_typing'])})")
        lines.append("")
    lines.append("* Patella's indexing time is its whole build (every page rendered and the index written).")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def rounded(value):
    """The raw figures with floats cut to 3 decimals (milliseconds to microseconds)."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    return value


def raw_json(raw):
    """The raw figures as JSON: floats rounded, each warm pass's [query, ms] pairs grouped
    as {query: [ms, ...]}, and arrays holding no arrays or objects on one line."""
    def by_query(pairs):
        out = {}
        for q, ms in pairs:
            out.setdefault(q, []).append(ms)
        return out
    for site in raw["sites"].values():
        for sessions in site.get("sessions", {}).values():
            for session in sessions:
                warm = session.get("warm", {})
                for key, value in list(warm.items()):
                    if isinstance(value, list):
                        warm[key] = by_query(value)
    text = json.dumps(rounded(raw), indent=1, default=str)
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r"\s*\n\s*", " ", m.group(1)) + "]", text)
    return text + "\n"


def prepare_synthetic(args):
    site = os.path.join(args.work, f"site-{args.pages}")
    stamp_path = os.path.join(site, "stamp.json")
    if os.path.exists(stamp_path):
        with open(stamp_path) as f:
            stamp = json.load(f)
        if (stamp.get("generator_version") == generate.GENERATOR_VERSION and stamp.get("pages") == args.pages
                and stamp.get("seed") == args.seed and os.path.getmtime(stamp_path) >= os.path.getmtime(generate.__file__)):
            say(f"Reusing the generated {args.pages:,}-page site in {os.path.relpath(site, ROOT)}")
            return os.path.join(site, "patella")
    say(f"Generating {args.pages:,} pages (seed {args.seed}) into {os.path.relpath(site, ROOT)}")
    stamp = generate.generate(args.pages, site, args.seed, THEME)
    say(f"  in {stamp['seconds']} s")
    return os.path.join(site, "patella")


def main():
    ap = argparse.ArgumentParser(description="Patella's search beside Pagefind in headless Chromium.")
    ap.add_argument("--sites", default="real,synthetic", help="comma-separated: real, synthetic (default both)")
    ap.add_argument("--pages", type=int, default=10000, help="pages of the synthetic site (default 10000)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--runs", type=int, default=3, help="indexing runs and browser runs per site (default 3)")
    ap.add_argument("--passes", type=int, default=5, help="timed passes over the queries per browser run (default 5)")
    ap.add_argument("--patella", help="measure this patella binary instead of building one (it is copied first)")
    ap.add_argument("--work", default=os.path.join(HERE, ".work", "search"), help="scratch folder (default Benchmarks/.work/search)")
    ap.add_argument("--results", default=os.path.join(HERE, "results", "search-latest.md"))
    ap.add_argument("--wait-idle", type=float, default=20, metavar="SECONDS",
                    help="before each timed run, wait up to this long for other CPU use to fall below 25%% (default 20)")
    args = ap.parse_args()
    started = time.perf_counter()
    args.work = os.path.abspath(args.work)
    os.makedirs(os.path.join(args.work, "logs"), exist_ok=True)
    wanted = [s.strip() for s in args.sites.split(",") if s.strip()]
    command = "python3 Benchmarks/search_bench.py" + "".join(f" {a}" for a in sys.argv[1:])

    try:
        import selenium  # noqa: F401
    except ImportError:
        sys.exit("error: selenium is missing: python3 -m pip install selenium (make bench installs it)")
    if sh([sys.executable, "-m", "pagefind_bin", "--version"]).returncode != 0:
        sys.exit("error: Pagefind is missing: python3 -m pip install pagefind-bin (make bench installs it)")

    patella, patella_src = ensure_patella(args)
    info = machine_info(patella_src)
    notes = []
    if not bench.CAN_DROP:
        notes.append("Not running as root: the page cache was NOT dropped before the timed runs.")
    say(f"Patella {info['patella']}; {info['pagefind']}; {info['chromium']}")

    sites = {}
    for name in wanted:
        if name == "real":
            content, queries, title = CONTENT, REAL_QUERIES, "real site"
        elif name == "synthetic":
            content, queries, title = prepare_synthetic(args), synthetic_queries(args.seed, args.pages), f"synthetic {args.pages:,}"
        else:
            sys.exit(f"error: unknown site {name!r} (real, synthetic)")
        out = os.path.join(args.work, "out", name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        site = sites[name] = {"title": title, "queries": queries, "out": out,
                              "indexing": {"patella": [], "pagefind": []}}
        for i in range(args.runs):
            b = build_site(name, content, out, patella, args, i)
            pf = index_pagefind(name, out, args, i)
            site["indexing"]["patella"].append(b)
            site["indexing"]["pagefind"].append(pf)
            say(f"  {title} run {i + 1}/{args.runs}: patella build {b['wall']:.2f} s ({b['pages']} pages), "
                f"pagefind {pf['wall']:.2f} s, {pf['rss_mib']:.0f} MiB ({pf['pages']} pages)")
        pf = site["indexing"]["pagefind"][-1]
        site["pages"] = {"patella": site["indexing"]["patella"][-1]["pages"], "pagefind": pf["pages"]}
        site["pagefind_body_fallback"] = pf["body_fallback"]
        site["pagefind_log"] = pf["log_tail"]
        site["index"] = {"patella": folder_size(os.path.join(out, "search"), skip=("index.html",)),
                         "pagefind": folder_size(os.path.join(out, "pagefind"))}
        site["index_without_ui"] = folder_size(os.path.join(out, "pagefind"), skip_re=PAGEFIND_UI_FILES)
        site["search_js_bytes"] = os.path.getsize(os.path.join(out, "assets", "search.js"))
        with open(os.path.join(out, "pagefind-bench.html"), "w") as f:
            f.write(PAGEFIND_PAGE)
        notes.append(f"{title}: Pagefind " + ("found no `data-pagefind-body` and indexed every page's whole `<body>` "
                                              "(header, navigation, footer and disclaimer included)"
                                              if pf["body_fallback"] else "indexed the pages' `data-pagefind-body` elements")
                     + f"; it indexed {pf['pages']} pages and {pf['words']} words; Patella's index covers "
                     f"{site['pages']['patella']} pages of content.")

    # Browser runs: one Chromium per run; every session a fresh origin; tools alternate.
    for name, site in sites.items():
        site["sessions"] = {"patella": [], "pagefind": []}
        site["sweep"] = {"patella": {}, "pagefind": {}}
    for i in range(args.runs):
        for name, site in sites.items():
            busy = bench.wait_idle(args.wait_idle) if args.wait_idle > 0 else bench.busy_fraction(0.5)
            site.setdefault("busy_before_browser_runs", []).append(round(busy, 2))
            bench.drop_caches([p for d in ("search", "pagefind", "assets") for p in bench.files_under(os.path.join(site["out"], d))])
            driver = launch_browser()
            try:
                order = TOOLS if i % 2 == 0 else TOOLS[::-1]
                for tool in order:
                    r = session(driver, site["out"], tool, site["queries"], args.passes)
                    site["sessions"][tool].append(r)
                    lat = [ms for _, ms in (r["warm"]["submit"] if tool == "patella" else r["warm"]["full"])]
                    say(f"  {site['title']} run {i + 1}/{args.runs} {LABEL[tool]:8}: load {fmt_bytes(r['load_traffic']['bytes'])}, "
                        f"first query {fmt_bytes(r['first_traffic']['bytes'])} in {r['first_traffic']['requests']} requests, "
                        f"{fmt_ms(r['first']['ms'])}; warm p50 {fmt_ms(pct(lat, 50))} p95 {fmt_ms(pct(lat, 95))}")
                if i == 0:
                    # Every query as the first query on a fresh page: its bytes (deterministic) and time.
                    for tool in TOOLS:
                        for q in site["queries"]:
                            r = session(driver, site["out"], tool, [q], 0, warm=False)
                            site["sweep"][tool][q] = {"bytes": r["first_traffic"]["bytes"], "gzip": r["first_traffic"]["gzip"],
                                                      "requests": r["first_traffic"]["requests"], "ms": r["first"]["ms"],
                                                      "total": r["first"]["total"]}
                    say(f"  {site['title']}: every query as the first query, {len(site['queries'])} each, done")
            finally:
                driver.quit()

    for name, site in sites.items():
        site["summary"] = summarize_site(site)
        busy = [r["busy_before"] for t in TOOLS for r in site["indexing"][t]] + site["busy_before_browser_runs"]
        if max(busy) > 0.25:
            notes.append(f"{site['title']}: other work used up to {max(busy) * 100:.0f}% of the CPUs just before some "
                         "timed runs (the harness waited up to --wait-idle seconds for less than 25%); times are noisy.")
    runtime = time.perf_counter() - started
    say("")
    say(report_text(sites))
    md = report_markdown(sites, info, args, command, notes, runtime)
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w") as f:
        f.write(md)
    raw = {"command": command, "machine": info, "runtime_seconds": runtime, "runs": args.runs, "passes": args.passes,
           "first_query": FIRST_QUERY, "target_p95_ms": TARGET_P95_MS, "notes": notes,
           "sites": {n: {k: v for k, v in s.items() if k not in ("out",)} for n, s in sites.items()}}
    with open(os.path.splitext(args.results)[0] + ".json", "w") as f:
        f.write(raw_json(raw))
    say(f"\nWrote {os.path.relpath(args.results, ROOT)} and its .json ({runtime / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

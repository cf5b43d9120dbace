#!/usr/bin/env python3
"""Patella's benchmark: Patella against Hugo and the cmark-gfm floor on synthetic sites.

    python3 Benchmarks/bench.py                      # N = 1,000 and 10,000, 3 runs each
    python3 Benchmarks/bench.py --sizes 1000 --runs 5

For each size it generates the same corpus for Patella and for Hugo (generate.py, seeded),
then runs, alternating the tools, `patella build`, `hugo` and one `cmark-gfm` process over
all bodies, each under `/usr/bin/time -f "%e %M %U %S"`, with the page cache dropped and
the run's inputs read back in before every timed run (as root; otherwise the drop is
skipped and the report says so). It prints medians, ratios against the issue's targets
and Patella's stage times, and writes them to Benchmarks/results/latest.md.
See Benchmarks/README.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402

PATELLA = os.path.join(ROOT, ".build", "release", "patella")
THEME = os.path.join(ROOT, "Theme")
TIME = "/usr/bin/time"
# The same parser options and extensions as Patella (Sources/Markdown/CmarkDocument.swift),
# except footnotes, which Debian's CLI does not offer (the synthetic pages have none).
CMARK_ARGS = ["--smart", "--validate-utf8", "--table-prefer-style-attributes",
              "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter",
              "-e", "tasklist"]
TARGETS = {  # issue 8, point 4
    "wall_vs_hugo": 0.5,
    "wall_vs_cmark": 3.0,
    "rss_vs_hugo": 0.5,
}
TOOLS = ("patella", "hugo", "cmark")
LABEL = {"patella": "Patella", "hugo": "Hugo", "cmark": "cmark-gfm floor"}


def say(msg=""):
    print(msg, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), text=True, capture_output=True, **kw)


def first_line(cmd):
    try:
        r = sh(cmd)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


# ---------------------------------------------------------------- set-up


def ensure_tools():
    need = [deb for path, deb in ((TIME, "time"), ("hugo", "hugo"), ("cmark-gfm", "cmark-gfm"))
            if not (os.path.exists(path) if path.startswith("/") else shutil.which(path))]
    if need:
        apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "apt-get"]
        say(f"Installing Debian packages: {' '.join(need)}")
        subprocess.run(apt + ["update", "-qq"], check=True)
        subprocess.run(apt + ["install", "-y", "-qq"] + need, check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


BINARY_CURRENT = True


def newest_source():
    """Newest modification time among Package.swift and Sources/ (what the binary is built from)."""
    newest = os.path.getmtime(os.path.join(ROOT, "Package.swift"))
    for path in files_under(os.path.join(ROOT, "Sources")):
        newest = max(newest, os.path.getmtime(path))
    return newest


def ensure_patella(mode):
    """mode: "auto" builds when the binary is missing or older than the sources,
    "always" runs the (incremental) build anyway, "never" measures what is there."""
    exists = os.path.exists(PATELLA)
    stale = exists and os.path.getmtime(PATELLA) < newest_source()
    global BINARY_CURRENT
    BINARY_CURRENT = not stale
    if mode == "never" or (mode == "auto" and exists and not stale):
        return
    say("Building Patella (release): swift build -c release --product patella"
        + (" (the binary is older than Sources/)" if stale else "")
        + "; SwiftPM waits if another build holds the lock")
    r = subprocess.run(["swift", "build", "-c", "release", "--product", "patella"], cwd=ROOT)
    if r.returncode == 0:
        BINARY_CURRENT = True  # SwiftPM relinks only when something changed
    else:
        if exists:
            say("warning: the release build failed; measuring the existing binary")
        else:
            sys.exit("error: could not build .build/release/patella")


def libraries(binary):
    """The binary and the shared libraries it loads: part of a run's inputs."""
    paths = [os.path.realpath(binary)]
    r = sh(["ldd", binary])
    for m in re.finditer(r"=>\s+(/\S+)", r.stdout):
        paths.append(os.path.realpath(m.group(1)))
    return paths


def files_under(folder):
    out = []
    for dirpath, _, names in os.walk(folder):
        out.extend(os.path.join(dirpath, n) for n in names)
    return out


# ---------------------------------------------------------------- machine state

CAN_DROP = os.geteuid() == 0


def drop_caches(inputs):
    """Drop the page cache, then read the run's inputs back, so every run starts from
    the same state: inputs cached, no dirty pages, no stale outputs in memory."""
    subprocess.run(["sync"], check=True)
    if CAN_DROP:
        try:
            with open("/proc/sys/vm/drop_caches", "w") as f:
                f.write("3\n")
        except OSError as e:
            say(f"warning: cannot drop the page cache: {e}")
    for path in inputs:
        try:
            with open(path, "rb") as f:
                while f.read(1 << 20):
                    pass
        except OSError:
            pass


def cpu_jiffies():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields[:8]) - idle, sum(fields[:8])


def busy_fraction(seconds=1.0):
    b0, t0 = cpu_jiffies()
    time.sleep(seconds)
    b1, t1 = cpu_jiffies()
    return (b1 - b0) / max(1, t1 - t0)


def wait_idle(limit, threshold=0.25):
    """Waits up to `limit` seconds for other work on the machine to fall below
    `threshold` of all cores; returns the last busy fraction seen."""
    deadline = time.monotonic() + limit
    busy = busy_fraction(0.5)
    while busy > threshold and time.monotonic() < deadline:
        busy = busy_fraction(2.0)
    return busy


# ---------------------------------------------------------------- runs


class Run:
    def __init__(self, tool, n, index):
        self.tool, self.n, self.index = tool, n, index
        self.wall = self.time_e = self.rss_kb = self.user = self.sys = None
        self.background = self.busy_before = None
        self.stages = {}
        self.pages = None
        self.warnings = None


def timed(cmd, stdout_path, stderr_path, time_path):
    """Runs cmd under /usr/bin/time; returns (exit status, wall seconds, time fields,
    CPU seconds the whole machine spent meanwhile)."""
    hz = os.sysconf("SC_CLK_TCK")
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        b0, _ = cpu_jiffies()
        t0 = time.perf_counter()
        rc = subprocess.run([TIME, "-f", "%e %M %U %S", "-o", time_path] + cmd, stdout=out, stderr=err).returncode
        wall = time.perf_counter() - t0
        b1, _ = cpu_jiffies()
    with open(time_path) as f:
        last = f.read().strip().splitlines()[-1]
    e, m, u, s = last.split()
    return rc, wall, (float(e), int(m), float(u), float(s)), (b1 - b0) / hz


STAGE_RE = re.compile(r"^\s+(\S+)\s+([0-9.]+) ms\s*$")


def trash_folder(work):
    return os.path.join(work, "set-aside")


# This machine's / is ext4 without a journal. Such an ext4 does not reuse an inode freed in
# the last 60 s, or in the last 360 s while the inode's table block is still dirty
# (RECENTCY_MIN and RECENTCY_DIRTY, recently_deleted() in fs/ext4/ialloc.c), and every new
# file of a block group passes over each such inode again, from the group's first, checking
# it in the buffer cache. A build writing ~30,000 files within minutes of deleting a
# previous output spent 1.5-3 s more in the kernel, whichever tool it was (Patella's system
# time 1.4-1.9 s with nothing deleted in the 6 minutes before, 3.1-4.8 s right after
# deleting one output, 3.0-4.2 s 75 s after). So no
# timed run follows a deletion by less than this: outputs and copies are set aside while
# runs are timed and deleted when the benchmark ends, and the time of that deletion is
# kept, for the next benchmark to wait out the rest.
RECENT_DELETION_SECONDS = 360


def set_aside(path, work):
    """Moves `path` (if there) into the set-aside folder: a rename, nothing deleted."""
    if os.path.lexists(path):
        os.makedirs(trash_folder(work), exist_ok=True)
        os.rename(path, os.path.join(trash_folder(work), f"{os.path.basename(path)}-{time.monotonic_ns()}"))


def delete_set_aside(work, keep_outputs):
    """Deletes what the benchmark set aside (and its outputs unless kept), noting when."""
    shutil.rmtree(trash_folder(work), ignore_errors=True)
    if not keep_outputs:
        shutil.rmtree(os.path.join(work, "out"), ignore_errors=True)
    with open(os.path.join(work, "deleted-at"), "w") as f:
        f.write(f"{time.time():.0f}\n")


def wait_for_deletions_to_age(work):
    """Waits until the last benchmark's deletions are RECENT_DELETION_SECONDS old."""
    try:
        with open(os.path.join(work, "deleted-at")) as f:
            age = time.time() - float(f.read().strip())
    except (OSError, ValueError):
        return
    if 0 <= age < RECENT_DELETION_SECONDS:
        rest = RECENT_DELETION_SECONDS - age
        say(f"Waiting {rest:.0f} s: the last benchmark deleted its outputs {age:.0f} s ago, and this "
            f"file system passes over inodes freed in the last {RECENT_DELETION_SECONDS} s")
        time.sleep(rest)


def run_once(tool, n, index, site, work, inputs, args):
    r = Run(tool, n, index)
    out_root = os.path.join(work, "out")
    os.makedirs(out_root, exist_ok=True)
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)
    name = f"{tool}-{n}-{index}"
    out = os.path.join(out_root, f"{tool}-{n}")
    # A fresh output folder for every run; the previous one is set aside, not deleted
    # (see RECENT_DELETION_SECONDS).
    for entry in os.listdir(out_root):
        if entry in (f"{tool}-{n}", f"{tool}-{n}.html") or entry.startswith(f".{tool}-{n}.staging-"):
            set_aside(os.path.join(out_root, entry), work)
    # Full builds only: should Patella ever keep a build cache, it is cleared first.
    for cache in (os.path.join(site, "patella", ".patella-cache"), os.path.join(site, ".patella-cache"),
                  os.path.join(out_root, ".patella-cache")):
        shutil.rmtree(cache, ignore_errors=True)
    if tool == "patella":
        cmd = [PATELLA, "build", "--content", os.path.join(site, "patella"), "--theme", THEME,
               "--output", out, "--timings"]
    elif tool == "hugo":
        cmd = ["hugo", "--source", os.path.join(site, "hugo"), "--destination", out,
               "--cacheDir", os.path.join(work, "hugo-cache")]
    else:
        cmd = ["sh", "-c", 'exec cmark-gfm "$@" > "$0"', out + ".html"] + CMARK_ARGS + [os.path.join(site, "bodies.md")]
    r.busy_before = wait_idle(args.wait_idle) if args.wait_idle > 0 else busy_fraction(0.5)
    drop_caches(inputs[tool])
    rc, r.wall, (r.time_e, r.rss_kb, r.user, r.sys), machine_cpu = timed(
        cmd, os.path.join(logs, name + ".out"), os.path.join(logs, name + ".err"), os.path.join(logs, name + ".time"))
    ncpu = os.cpu_count() or 1
    r.background = max(0.0, machine_cpu - r.user - r.sys) / (r.wall * ncpu)
    if rc != 0:
        with open(os.path.join(logs, name + ".err")) as f:
            tail = f.read()[-3000:]
        sys.exit(f"error: {tool} failed (exit {rc}) on N={n}; log in {logs}/{name}.err\n{tail}")
    with open(os.path.join(logs, name + ".out")) as f:
        stdout = f.read()
    if tool == "patella":
        for line in stdout.splitlines():
            m = STAGE_RE.match(line)
            if m:
                r.stages[m.group(1)] = float(m.group(2))
        m = re.search(r"Built (\d+) pages.*?(?:\((\d+) warnings?\))?$", stdout, re.M)
        if m:
            r.pages, r.warnings = int(m.group(1)), int(m.group(2) or 0)
    elif tool == "hugo":
        m = re.search(r"^\s*Pages\s*\|\s*(\d+)", stdout, re.M)
        if m:
            r.pages = int(m.group(1))
    return r


REBUILD_TARGETS = {"process_ms": 1000, "serve_ms": 100}  # issue 8: one-page rebuilds


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_rebuilds(n, site, work, runs):
    """One-page edits on a copy of the site: `patella build` as a process after each edit
    and with nothing changed, and `patella serve`'s own rebuild time ("Built ... in N ms")
    plus the time from the file's write to that line. Both copies of the site and their
    records exist before anything is timed (two untimed builds), as for an editor at work."""
    content = os.path.join(work, f"rebuild-site-{n}")
    out = os.path.join(work, "out", f"rebuild-{n}")
    for path in (content, out, os.path.join(work, "out", ".patella-cache")):
        set_aside(path, work)
    shutil.copytree(os.path.join(site, "patella"), content)
    page = os.path.join(content, "conditions", sorted(os.listdir(os.path.join(content, "conditions")))[0])
    build = [PATELLA, "build", "-q", "--content", content, "--theme", THEME, "--output", out]
    logs = os.path.join(work, "logs")
    for _ in range(2):
        if sh(build).returncode != 0:
            sys.exit(f"error: patella build failed on the copy in {content}")

    def edit(i):
        with open(page, "a") as f:
            f.write(f"\nA sentence added by the benchmark, number {i}.\n")

    def timed_build(name):
        rc, wall, (_, _, user, system), _ = timed(build, *(os.path.join(logs, f"{name}.{x}") for x in ("out", "err", "time")))
        if rc != 0:
            sys.exit(f"error: rebuild failed; see {logs}/{name}.err")
        return wall, user + system

    result = {"process_edit": [], "process_none": [], "serve_build": [], "serve_ready": []}
    for i in range(runs):
        edit(i)
        result["process_edit"].append(timed_build(f"rebuild-{n}-edit-{i}"))
        result["process_none"].append(timed_build(f"rebuild-{n}-none-{i}"))

    port = free_port()
    log_path = os.path.join(logs, f"serve-{n}.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen([PATELLA, "serve", "--port", str(port), "--content", content, "--theme", THEME,
                                   "--output", out], stdout=log, stderr=subprocess.STDOUT)
    try:
        def built_lines():
            with open(log_path) as f:
                return re.findall(r"^Built \d+ pages in (\d+) ms", f.read(), re.M)

        def wait_for(count, limit=600):
            deadline = time.monotonic() + limit
            while time.monotonic() < deadline:
                lines = built_lines()
                if len(lines) >= count:
                    return lines
                if server.poll() is not None:
                    break
                time.sleep(0.005)
            sys.exit(f"error: patella serve did not rebuild; see {log_path}")

        seen = len(wait_for(1))
        deadline = time.monotonic() + 120
        while "Serving" not in open(log_path).read() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # the watcher takes its first look at the tree as the server starts
        for i in range(runs + 2):  # two untimed edits first: both copies, and serve's caches, warm
            started = time.monotonic()
            edit(100 + i)
            lines = wait_for(seen + 1)
            ready = time.monotonic() - started
            seen = len(lines)
            if i >= 2:
                result["serve_build"].append(int(lines[-1]) / 1000)
                result["serve_ready"].append(ready)
    finally:
        server.send_signal(2)
        server.wait(timeout=60)
    set_aside(content, work)
    return result


def check_site(site):
    r = sh([PATELLA, "check", "--content", os.path.join(site, "patella")])
    m = re.search(r"Checked (\d+) pages in (\S+ \S+): (\d+) errors?, (\d+) warnings?", r.stdout + r.stderr)
    if r.returncode != 0 or not m or m.group(3) != "0":
        sys.exit(f"error: patella check failed on the generated site {site}:\n{(r.stderr or r.stdout)[-3000:]}")
    return {"pages": int(m.group(1)), "errors": int(m.group(3)), "warnings": int(m.group(4)), "took": m.group(2)}


def prepare_site(n, args):
    site = os.path.join(args.work, f"site-{n}")
    stamp_path = os.path.join(site, "stamp.json")
    stamp = None
    if os.path.exists(stamp_path):
        with open(stamp_path) as f:
            stamp = json.load(f)
        fresh = (stamp.get("generator_version") == generate.GENERATOR_VERSION and stamp.get("pages") == n
                 and stamp.get("seed") == args.seed
                 and os.path.getmtime(stamp_path) >= os.path.getmtime(generate.__file__))
        if not fresh:
            stamp = None
    if stamp is None:
        set_aside(site, args.work)  # an older corpus: deleted at the end, with the outputs
        say(f"Generating {n:,} pages (seed {args.seed}) into {site}")
        stamp = generate.generate(n, site, args.seed, THEME)
        say(f"  {stamp['mean_bytes_per_page']:,} bytes and {stamp['mean_words_per_page']} words a page, "
            f"{stamp['relations_per_page']} relations and {stamp['body_links_per_page']} body links a page, "
            f"in {stamp['seconds']} s")
    else:
        say(f"Reusing the generated {n:,}-page site in {site}")
    return site, stamp


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(runs):
    s = {}
    for tool in TOOLS:
        rs = [r for r in runs if r.tool == tool]
        s[tool] = {"wall": median([r.wall for r in rs]), "wall_best": min(r.wall for r in rs), "time_e": median([r.time_e for r in rs]),
                   "rss_mib": median([r.rss_kb / 1024 for r in rs]),
                   "cpu": median([r.user + r.sys for r in rs]),
                   "user": median([r.user for r in rs]), "sys": median([r.sys for r in rs]),
                   "background_max": max(r.background for r in rs),
                   "pages": rs[0].pages, "warnings": rs[0].warnings}
    stages = {}
    for r in runs:
        if r.tool == "patella":
            for k in r.stages:
                stages.setdefault(k, []).append(r.stages[k])
    s["stages"] = {k: statistics.median(v) for k, v in stages.items()}
    p, h, c = s["patella"], s["hugo"], s["cmark"]
    s["ratios"] = {"wall_vs_hugo": p["wall"] / h["wall"], "wall_vs_cmark": p["wall"] / c["wall"],
                   "rss_vs_hugo": p["rss_mib"] / h["rss_mib"]}
    return s


# Issue 8 states its targets for one size: "in one run beside Hugo on the same 10,000 pages".
# Other sizes are reported without a verdict.
TARGET_PAGES = 10_000


def judged(met, n):
    if n != TARGET_PAGES:
        return f"no target at {n:,}"
    return "meets" if met else "misses"


def verdict(key, value, n):
    return judged(value <= TARGETS[key], n)


def fmt_s(x):
    return f"{x:.2f} s" if x >= 0.1 else f"{x * 1000:.0f} ms"


# ---------------------------------------------------------------- report


def machine_info():
    def out(cmd):
        r = sh(cmd)
        return r.stdout.strip()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
        "nproc": out(["nproc"]),
        "free": sh(["free", "-h"]).stdout.rstrip(),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "kernel": platform.release(),
        "loadavg": open("/proc/loadavg").read().split()[:3],
        "patella": first_line([PATELLA, "--version"]) + " (" + datetime.datetime.fromtimestamp(
            os.path.getmtime(PATELLA)).strftime("binary built %Y-%m-%d %H:%M")
            + ("" if BINARY_CURRENT else ", OLDER than Sources/") + ")",
        "commit": out(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
                  + (" + uncommitted changes" if out(["git", "-C", ROOT, "status", "--porcelain", "--", "Sources", "Package.swift"]) else ""),
        "hugo": first_line(["hugo", "version"]),
        "cmark": first_line(["cmark-gfm", "--version"]),
    }


def report_text(results, info, args, notes):
    lines = []
    for n, (stamp, s) in results.items():
        p, h, c, ra = s["patella"], s["hugo"], s["cmark"], s["ratios"]
        lines.append(f"N = {n:,} pages ({stamp['markdown_bytes'] / 1e6:.1f} MB of Markdown), "
                     f"medians of {args.runs} runs each")
        lines.append(f"  {'':18}{'wall':>10}{'fastest':>10}{'peak RSS':>12}{'CPU (u+s)':>12}")
        for tool in TOOLS:
            t = s[tool]
            lines.append(f"  {LABEL[tool]:18}{fmt_s(t['wall']):>10}{fmt_s(t['wall_best']):>10}{t['rss_mib']:>8.0f} MiB{t['cpu']:>10.2f} s")
        lines.append(f"  Patella / Hugo wall      {ra['wall_vs_hugo']:6.2f}x   target <= 0.5x   {verdict('wall_vs_hugo', ra['wall_vs_hugo'], n)}")
        lines.append(f"  Patella / cmark floor    {ra['wall_vs_cmark']:6.2f}x   target <= 3x     {verdict('wall_vs_cmark', ra['wall_vs_cmark'], n)}")
        lines.append(f"  Patella / Hugo peak RSS  {ra['rss_vs_hugo']:6.2f}x   target <= 0.5x   {verdict('rss_vs_hugo', ra['rss_vs_hugo'], n)}")
        rb = s["rebuilds"]
        process, serve = median([w for w, _ in rb['process_edit']]), median(rb['serve_build'])
        lines.append(f"  one-page rebuild, process: {fmt_s(process)}   target < 1 s     "
                     f"{judged(process * 1000 < REBUILD_TARGETS['process_ms'], n)}")
        lines.append(f"  one-page rebuild, serve:   {fmt_s(serve)}   target < 100 ms  "
                     f"{judged(serve * 1000 < REBUILD_TARGETS['serve_ms'], n)}")
        lines.append("  Patella stages (median): " + ", ".join(f"{k} {v:.0f} ms" for k, v in s["stages"].items()))
        lines.append(f"  pages written: Patella {p['pages']}, Hugo {h['pages']}; "
                     f"most background CPU during a run: {max(t['background_max'] for t in (p, h, c)) * 100:.0f}% of the machine")
        lines.append("")
    lines += notes
    return "\n".join(lines)


def report_markdown(results, info, args, notes, runs_by_n, checks, command):
    ns = list(results)
    head = "| | " + " | ".join(f"N = {n:,}" for n in ns) + f" | target (issue 8, at {TARGET_PAGES:,} pages) |"
    sep = "|---|" + "---:|" * len(ns) + "---|"
    md = ["# Patella benchmark: latest results", "",
          f"Command: `{command}` (from the repository root). Written by `Benchmarks/bench.py`; "
          "see [README.md](../README.md) for what is measured and the caveats.", "",
          f"Medians of {args.runs} runs per tool and size, Patella, Hugo and cmark-gfm taking turns; "
          + ("the page cache was dropped and each run's inputs read back in before every run."
             if CAN_DROP else "**not run as root: the page cache was NOT dropped between runs.**"), "",
          "## Results", "", head, sep]

    def row(label, fn, target=""):
        md.append(f"| {label} | " + " | ".join(fn(results[n][1], n) for n in ns) + f" | {target} |")

    row("Patella wall (fastest run)", lambda s, n: f"{fmt_s(s['patella']['wall'])} ({fmt_s(s['patella']['wall_best'])})")
    row("Hugo wall (fastest run)", lambda s, n: f"{fmt_s(s['hugo']['wall'])} ({fmt_s(s['hugo']['wall_best'])})")
    row("cmark-gfm floor wall (fastest run)", lambda s, n: f"{fmt_s(s['cmark']['wall'])} ({fmt_s(s['cmark']['wall_best'])})")
    row("**Patella / Hugo wall**", lambda s, n: f"**{s['ratios']['wall_vs_hugo']:.2f}x** ({verdict('wall_vs_hugo', s['ratios']['wall_vs_hugo'], n)})", "<= 0.5x")
    row("**Patella / cmark floor wall**", lambda s, n: f"**{s['ratios']['wall_vs_cmark']:.2f}x** ({verdict('wall_vs_cmark', s['ratios']['wall_vs_cmark'], n)})", "<= 3x")
    row("Patella peak RSS", lambda s, n: f"{s['patella']['rss_mib']:.0f} MiB")
    row("Hugo peak RSS", lambda s, n: f"{s['hugo']['rss_mib']:.0f} MiB")
    row("cmark-gfm floor peak RSS", lambda s, n: f"{s['cmark']['rss_mib']:.0f} MiB")
    row("**Patella / Hugo peak RSS**", lambda s, n: f"**{s['ratios']['rss_vs_hugo']:.2f}x** ({verdict('rss_vs_hugo', s['ratios']['rss_vs_hugo'], n)})", "<= 0.5x")
    def rebuild(key, target_ms):
        def cell(s, n):
            values = s["rebuilds"][key]
            wall = median([v[0] if isinstance(v, tuple) else v for v in values])
            verdict_text = "" if target_ms is None else f" ({judged(wall * 1000 < target_ms, n)})"
            return f"**{fmt_s(wall)}**{verdict_text}" if target_ms else fmt_s(wall)
        return cell
    row("**One-page rebuild, `patella build` process**", rebuild("process_edit", REBUILD_TARGETS["process_ms"]), "< 1 s")
    row("Rebuild with nothing changed, process", rebuild("process_none", None))
    row("**One-page rebuild inside `patella serve`** (its own timing)", rebuild("serve_build", REBUILD_TARGETS["serve_ms"]), "< 100 ms")
    row("Edit to reload-ready in `serve` (watcher + rebuild)", rebuild("serve_ready", None))
    row("Patella CPU (user + sys)", lambda s, n: f"{s['patella']['user']:.2f} + {s['patella']['sys']:.2f} s")
    row("Hugo CPU (user + sys)", lambda s, n: f"{s['hugo']['user']:.2f} + {s['hugo']['sys']:.2f} s")
    row("Pages written (Patella / Hugo)", lambda s, n: f"{s['patella']['pages']} / {s['hugo']['pages']}")
    md.append("| Markdown in | " + " | ".join(f"{results[n][0]['markdown_bytes'] / 1e6:.1f} MB" for n in ns) + " | |")

    stage_names = []
    for n in ns:
        for k in results[n][1]["stages"]:
            if k not in stage_names:
                stage_names.append(k)
    md += ["", "## Patella's stages (`patella build --timings`, median ms)", "",
           "| stage | " + " | ".join(f"N = {n:,}" for n in ns) + " |", "|---|" + "---:|" * len(ns)]
    for k in stage_names:
        md.append(f"| {k} | " + " | ".join(f"{results[n][1]['stages'].get(k, float('nan')):.0f}" for n in ns) + " |")

    md += ["", "## Every run", "",
           "Wall is measured around the process (`/usr/bin/time`'s `%e` has 10 ms steps and is shown beside it). "
           "Background is the CPU time the rest of the machine used during the run, as a share of all cores: "
           "other work on the machine (e.g. a compiler) makes a run slower and less comparable.", "",
           "| N | run | tool | wall | %e | peak RSS | user | sys | background | idle before |",
           "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for n in ns:
        for r in runs_by_n[n]:
            md.append(f"| {n:,} | {r.index + 1} | {r.tool} | {r.wall:.3f} s | {r.time_e:.2f} s | {r.rss_kb / 1024:.0f} MiB | "
                      f"{r.user:.2f} s | {r.sys:.2f} s | {r.background * 100:.0f}% | {(1 - r.busy_before) * 100:.0f}% |")

    md += ["", "## Corpus", "", "| | " + " | ".join(f"N = {n:,}" for n in ns) + " |", "|---|" + "---:|" * len(ns)]
    for key, label in (("counts", "pages per type"), ("mean_bytes_per_page", "Markdown bytes a page"),
                       ("mean_words_per_page", "words a page"), ("relations_per_page", "front-matter relations a page"),
                       ("body_links_per_page", "body links a page")):
        vals = []
        for n in ns:
            v = results[n][0][key]
            vals.append(", ".join(f"{k} {c}" for k, c in v.items()) if isinstance(v, dict) else f"{v:,}")
        md.append(f"| {label} | " + " | ".join(vals) + " |")
    if checks:
        md.append("| `patella check` | " + " | ".join(
            (f"{checks[n]['errors']} errors, {checks[n]['warnings']} warnings" if n in checks else "(build only)") for n in ns) + " |")
    md += ["", f"Seed {args.seed}; generator version {generate.GENERATOR_VERSION}.", "",
           "## Machine", "",
           f"- date: {info['date']}",
           f"- nproc: {info['nproc']}; CPU: {info['cpu']}; kernel {info['kernel']}",
           f"- load average when the benchmark started: {' '.join(info['loadavg'])}",
           f"- Patella {info['patella']}, commit {info['commit']}",
           f"- {info['hugo']}",
           f"- {info['cmark']}",
           "", "`free -h`:", "", "```", info["free"], "```", ""]
    if notes:
        md += ["## Notes", ""] + [f"- {x}" for x in notes] + [""]
    return "\n".join(md)


def main():
    ap = argparse.ArgumentParser(description="Patella vs Hugo vs the cmark-gfm floor on synthetic sites.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated page counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool and size (default 3)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--work", default=os.path.join(HERE, ".work"), help="scratch folder (default Benchmarks/.work)")
    ap.add_argument("--results", default=os.path.join(HERE, "results", "latest.md"))
    build = ap.add_mutually_exclusive_group()
    build.add_argument("--build", dest="build", action="store_const", const="always", default="auto",
                       help="run `swift build -c release --product patella` first even if the binary looks current")
    build.add_argument("--no-build", dest="build", action="store_const", const="never",
                       help="measure .build/release/patella as it is, even if it is older than Sources/")
    ap.add_argument("--wait-idle", type=float, default=30, metavar="SECONDS",
                    help="before each run, wait up to this long for other CPU use to fall below 25%% (default 30; 0: don't wait)")
    ap.add_argument("--keep-outputs", action="store_true", help="keep the last built sites in WORK/out")
    args = ap.parse_args()
    sizes = [int(x.replace("_", "").replace(",", "")) for x in args.sizes.split(",") if x.strip()]
    args.work = os.path.abspath(args.work)
    command = "python3 Benchmarks/bench.py" + "".join(
        f" {a}" for a in sys.argv[1:])

    ensure_tools()
    ensure_patella(args.build)
    os.makedirs(args.work, exist_ok=True)
    info = machine_info()
    notes = []
    if "OLDER" in info["patella"]:
        notes.append("The Patella binary measured is older than Sources/: these figures may not be the current code's.")
    if not CAN_DROP:
        notes.append("Not running as root: the page cache was NOT dropped before each run (`sync; echo 3 > "
                     "/proc/sys/vm/drop_caches` needs root), so runs are less repeatable.")
    say(f"Patella {info['patella']}; {info['hugo']}; {info['cmark']}")
    say(f"{info['nproc']} CPUs, load average {' '.join(info['loadavg'])}; page cache "
        + ("dropped before every run" if CAN_DROP else "NOT dropped (not root)"))

    patella_inputs_fixed = files_under(THEME) + libraries(PATELLA)
    hugo_bin = shutil.which("hugo")
    cmark_bin = shutil.which("cmark-gfm")
    results, runs_by_n, checks = {}, {}, {}
    wait_for_deletions_to_age(args.work)
    for n in sizes:
        site, stamp = prepare_site(n, args)
        if n == min(sizes) or n <= 1000:
            say(f"Checking the generated site with `patella check` (N={n:,})")
            checks[n] = check_site(site)
            say(f"  {checks[n]['errors']} errors, {checks[n]['warnings']} warnings ({checks[n]['took']})")
        inputs = {
            "patella": files_under(os.path.join(site, "patella")) + patella_inputs_fixed,
            "hugo": files_under(os.path.join(site, "hugo")) + libraries(hugo_bin),
            "cmark": [os.path.join(site, "bodies.md")] + libraries(cmark_bin),
        }
        runs = []
        for i in range(args.runs):
            order = TOOLS[i % 3:] + TOOLS[:i % 3]
            for tool in order:
                r = run_once(tool, n, i, site, args.work, inputs, args)
                runs.append(r)
                say(f"  N={n:,} run {i + 1}/{args.runs} {tool:8} wall {r.wall:7.3f} s  (%e {r.time_e:.2f})  "
                    f"peak {r.rss_kb / 1024:7.0f} MiB  user {r.user:5.2f} s  sys {r.sys:5.2f} s  background {r.background * 100:3.0f}%")
        s = summarize(runs)
        say(f"  N={n:,}: one-page rebuilds ({args.runs} each), as a process and inside `patella serve`")
        s["rebuilds"] = measure_rebuilds(n, site, args.work, args.runs)
        rb = s["rebuilds"]
        say(f"  N={n:,} rebuild after a one-page edit: process {fmt_s(median([w for w, _ in rb['process_edit']]))}, "
            f"nothing changed {fmt_s(median([w for w, _ in rb['process_none']]))}, serve {fmt_s(median(rb['serve_build']))} "
            f"(edit to reload {fmt_s(median(rb['serve_ready']))})")
        results[n], runs_by_n[n] = (stamp, s), runs
        if max(s[t]["background_max"] for t in TOOLS) > 0.2:
            notes.append(f"N={n:,}: other processes used more than 20% of the machine during at least one run "
                         f"(up to {max(s[t]['background_max'] for t in TOOLS) * 100:.0f}%); these figures are noisy.")

    delete_set_aside(args.work, args.keep_outputs)

    notes.append("The cmark-gfm floor is one `cmark-gfm` process over all bodies concatenated (front matter "
                 "stripped), written to one file: Markdown parsing and HTML rendering only, with no process "
                 "start per page, no templates, links, graph, checks or search index.")
    say("")
    say(report_text(results, info, args, notes))
    os.makedirs(os.path.dirname(args.results), exist_ok=True)
    with open(args.results, "w") as f:
        f.write(report_markdown(results, info, args, notes, runs_by_n, checks, command))
    with open(os.path.splitext(args.results)[0] + ".json", "w") as f:
        json.dump({"info": info, "command": command, "checks": {str(n): c for n, c in checks.items()}, "notes": notes,
                   "args": {"runs": args.runs, "seed": args.seed}, "results": {str(n): {"corpus": st, "summary": s} for n, (st, s) in results.items()},
                   "runs": [vars(r) for n in runs_by_n for r in runs_by_n[n]]}, f, indent=1)
    say(f"Wrote {os.path.relpath(args.results, ROOT)}")


if __name__ == "__main__":
    main()

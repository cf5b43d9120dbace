#!/usr/bin/env bash
# Builds the libFuzzer target (Fuzz/Package.swift, instrumented with
# -sanitize=fuzzer,address) into .build-fuzz and fuzzes Patella's front-matter,
# Markdown, link resolution, graph, lint and rendering stages.
#
#   Fuzz/run.sh                     fuzz for FUZZ_SECONDS seconds (default 300)
#   Fuzz/run.sh Fuzz/crashes/crash-...  run saved inputs once each, to reproduce a crash
#
# New corpus entries go to Fuzz/corpus-generated/ (kept between runs), crashes,
# timeouts and leaks to Fuzz/crashes/; both are ignored by git. The seeds in
# Fuzz/corpus/ are only read. Exit status: 0 when nothing was found.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --package-path Fuzz --scratch-path .build-fuzz -c release -Xswiftc -sanitize=fuzzer,address
fuzzer=.build-fuzz/release/PatellaFuzz
# Swift's crash reporter would wait for a key press on a terminal.
export SWIFT_BACKTRACE=interactive=no

if [ $# -gt 0 ]; then
  exec "$fuzzer" "$@"
fi
mkdir -p Fuzz/corpus-generated Fuzz/crashes
# 64 KB covers every real page several times over; 10 s is a hang, not a slow page.
# Leaks are checked once, when the run ends, not after every input: the search index
# spreads work over Dispatch threads, whose memory is freed a little later, so
# libFuzzer would suspect nearly every input and scan the heap each time (4x slower).
# A leak found at the end is found again, with its input, by running the corpus with
# Fuzz/run.sh -detect_leaks=1 -runs=0 Fuzz/corpus-generated.
# Inputs that once crashed (Tests/Fixtures/fuzz-regressions/) run first with the seeds,
# under the sanitizer, on every run: the CLI test of them cannot see a use after free.
exec "$fuzzer" Fuzz/corpus-generated Fuzz/corpus Tests/Fixtures/fuzz-regressions \
  -max_total_time="${FUZZ_SECONDS:-300}" -max_len=65536 -timeout=10 -detect_leaks=0 \
  -dict=Fuzz/patella.dict -artifact_prefix=Fuzz/crashes/ -print_final_stats=1

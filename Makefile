# nerq — build, test, benchmark and install libnerq.so.
#   make deps      install what the build and tests need (Debian; apt-get as root)
#   make build     release libnerq.so in .build/release (exports only nerq_*, -z nodelete)
#   make static    self-contained libnerq.so (Swift runtime linked in) in .build-static/release
#   make test      every test: Swift, C (under valgrind), exported symbols, schemas
#   make bench     benchmarks, each as a ratio against a floor measured in the same run
#   make bench-e2e cargo nerq against cargo audit on every shared lockfile (ratios, with the load)
#   make fuzz      every libFuzzer target for FUZZ_SECONDS (default 60) each (Tests/fuzz)
#   make sanitize  Swift tests and C tests under AddressSanitizer and ThreadSanitizer
#   make soak      a million calls with flat memory, and a 50 MB lockfile
#   make install PREFIX=/usr/local   the self-contained library (also cargo-nerq in PREFIX/bin, the Python binding in PREFIX/lib/nerq/python)
#   make wheel     out/wheel/nerq-*.whl: the Python binding, the self-contained library and cargo-nerq
#   make python    pip install that wheel
#   make test-wheel   the wheel in a fresh venv: no Swift runtime, cargo nerq on the demo, import nerq
#   make demo      cargo nerq on the bundled demo project (examples/demo, resolved offline from Debian crates)
#   make test-render  every render format checked by outside tools, pages screenshotted in headless Chromium
#   make validity  the validity study: every Debian crate scored, against RustSec (docs/validity.md; long)

PREFIX ?= /usr/local
SHELL := /bin/bash
SWIFT ?= swift
CC ?= cc
LINK_FLAGS := -Xswiftc -use-ld=lld -Xlinker -z -Xlinker nodelete -Xlinker --version-script=$(CURDIR)/exports.map
LIB := .build/release/libnerq.so
STATIC_LIB := .build-static/release/libnerq.so
OUT := out
CFLAGS_TEST := -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -Iinclude $(shell pkg-config --cflags jansson 2>/dev/null)
LDLIBS_TEST := -L.build/release -Wl,-rpath,$(CURDIR)/.build/release -lnerq $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) -lpthread
VALGRIND := valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite

.PHONY: deps build static test test-swift test-c test-symbols bench bench-scaling bench-render install clean demo demo-signals \
	python wheel test-wheel static-lib bench-e2e test-python test-cargo test-render test-pkgconfig bench-cargo demo-project bench-registry \
	test-bad-input test-concurrency test-soak fuzz fuzz-build fuzz-smoke sanitize sanitize-asan sanitize-tsan soak \
	validity

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build -c release --product nerq $(LINK_FLAGS)
	$(SWIFT) build -c release --product cargo-nerq $(LINK_FLAGS)

STATIC_BUILD = $(SWIFT) build -c release --product nerq --scratch-path .build-static -Xswiftc -static-stdlib $(LINK_FLAGS) \
	&& $(SWIFT) build -c release --product cargo-nerq --scratch-path .build-static -Xswiftc -static-stdlib $(LINK_FLAGS)
STATIC_CARGO_NERQ := .build-static/release/cargo-nerq

static: deps
	$(STATIC_BUILD)

# The same builds without `deps`: what building the Python package runs (bindings/python/setup.py).
static-lib:
	$(STATIC_BUILD)

$(OUT):
	mkdir -p $(OUT)

test: build $(OUT)
	@scripts/run-tests.sh

test-swift:
	$(SWIFT) test

$(OUT)/test_api: Tests/c/test_api.c Tests/c/check.h include/nerq.h $(LIB) | $(OUT)
	$(CC) $(CFLAGS_TEST) Tests/c/test_api.c -o $@ $(LDLIBS_TEST)

test-c: $(OUT)/test_api
	$(VALGRIND) $(OUT)/test_api

test-symbols:
	@scripts/check-symbols.sh $(LIB)

# More C programs against the release library (Tests/c): the bad-input catalogue (docs/bad-input.md,
# under valgrind), one engine shared by 8 threads, and flat memory over many calls.
$(OUT)/test_%: Tests/c/test_%.c Tests/c/check.h include/nerq.h $(LIB) | $(OUT)
	$(CC) $(CFLAGS_TEST) $< -o $@ $(LDLIBS_TEST)

test-bad-input: $(OUT)/test_bad_input
	$(VALGRIND) $(OUT)/test_bad_input

test-concurrency: $(OUT)/test_concurrency
	$(OUT)/test_concurrency 2000

# 100,000 calls (about 6 s); `make soak` runs the million.
test-soak: $(OUT)/test_soak
	$(OUT)/test_soak 100000

soak: build $(OUT)/test_soak $(OUT)/test_bad_input
	$(OUT)/test_soak 1000000
	$(OUT)/test_bad_input --huge

# --- Fuzzing (Tests/fuzz) --------------------------------------------------------------------------
# The targets are Swift (Tests/fuzz/harness, the nerq-fuzz executable) built with the toolchain's own
# libFuzzer and ASan, so the Swift modules are instrumented for coverage and memory errors; -DNERQ_FUZZ
# selects the real harness (a plain build compiles a stub). Not `--sanitize=fuzzer --sanitize=address`:
# SwiftPM 6.3.1 then hands swiftc two -sanitize= flags in a random (Set) order and the last one wins,
# so a build gets coverage or ASan, never both. One SwiftPM sanitizer (fuzzer: libFuzzer's main, no
# entry-point renaming) and the combined flag for swiftc (the last -sanitize= wins) give both.
FUZZ_FLAGS := --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DNERQ_FUZZ -Xswiftc -use-ld=lld
FUZZ_SECONDS ?= 60

fuzz-build:
	$(SWIFT) build --product nerq-fuzz --scratch-path .build-fuzz $(FUZZ_FLAGS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/fuzz/run.sh fuzz $(FUZZ_TARGETS)

# The bounded pass in `make test`: every regression input, then each target for a few seconds.
fuzz-smoke: fuzz-build
	Tests/fuzz/run.sh smoke

# --- Sanitizers --------------------------------------------------------------------------------------
# The toolchain's clang (not Debian's /usr/bin/clang 14): its ASan/TSan runtimes are the ones swiftc
# links, and a host must load the same runtime as the instrumented library.
SWIFT_CLANG ?= $(shell dirname "$$(readlink -f "$$(command -v $(SWIFT))")")/clang
SAN_CFLAGS := -fuse-ld=lld -std=c11 -Wall -Wextra -Werror -pedantic -O1 -g -fno-omit-frame-pointer -Iinclude $(shell pkg-config --cflags jansson 2>/dev/null)
SWIFT_LIBDIR ?= $(shell dirname "$$(readlink -f "$$(command -v $(SWIFT))")")/../lib/swift/linux
# TSan's runtime carries libdispatch interceptors: a C host links libdispatch and BlocksRuntime.
TSAN_HOST_LIBS = -L$(SWIFT_LIBDIR) -Wl,-rpath,$(SWIFT_LIBDIR) -ldispatch -lBlocksRuntime
SAN_LIBS = -L$(1)/debug -Wl,-rpath,$(CURDIR)/$(1)/debug -lnerq $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) -lpthread
SAN_C_TESTS := test_api test_bad_input test_concurrency
SAN_DB_ENV := $(if $(wildcard ../shared/data/advisory-db),NERQ_TEST_ADVISORY_DB=$(CURDIR)/../shared/data/advisory-db,)

# Synchronization.Mutex is invisible to TSan (uninstrumented futex slow path): see the file.
TSAN_SUPP := $(CURDIR)/Tests/sanitizers/tsan.supp

sanitize: sanitize-asan sanitize-tsan

# Swift tests, then the C tests against an ASan libnerq (ASan's runtime shared by host and library).
sanitize-asan: | $(OUT)
	$(SWIFT) build --product nerq --sanitize=address --scratch-path .build-asan
	mkdir -p $(OUT)/asan
	for t in $(SAN_C_TESTS); do \
	  $(SWIFT_CLANG) $(SAN_CFLAGS) -fsanitize=address Tests/c/$$t.c -o $(OUT)/asan/$$t $(call SAN_LIBS,.build-asan) || exit 1; \
	done
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 SWIFT_BACKTRACE=enable=no $(SAN_DB_ENV); \
	  $(OUT)/asan/test_api && $(OUT)/asan/test_bad_input && $(OUT)/asan/test_concurrency 300
	SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan 2>&1 | tee $(OUT)/asan/swift-test.log | grep -E '✘|Test run with|error:' ; \
	  grep -qE '✔ Test run with [0-9]+ tests? .*passed' $(OUT)/asan/swift-test.log && \
	  ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)' $(OUT)/asan/swift-test.log

sanitize-tsan: | $(OUT)
	$(SWIFT) build --product nerq --sanitize=thread --scratch-path .build-tsan
	mkdir -p $(OUT)/tsan
	for t in $(SAN_C_TESTS); do \
	  $(SWIFT_CLANG) $(SAN_CFLAGS) -fsanitize=thread Tests/c/$$t.c -o $(OUT)/tsan/$$t $(call SAN_LIBS,.build-tsan) $(TSAN_HOST_LIBS) || exit 1; \
	done
	export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(TSAN_SUPP) SWIFT_BACKTRACE=enable=no $(SAN_DB_ENV); \
	  $(OUT)/tsan/test_concurrency 300 && $(OUT)/tsan/test_api && $(OUT)/tsan/test_bad_input
	SWIFT_BACKTRACE=enable=no TSAN_OPTIONS=suppressions=$(TSAN_SUPP) $(SWIFT) test --sanitize=thread --scratch-path .build-tsan 2>&1 | tee $(OUT)/tsan/swift-test.log | grep -E '✘|Test run with|error:|WARNING: ThreadSanitizer' ; \
	  grep -qE '✔ Test run with [0-9]+ tests? .*passed' $(OUT)/tsan/swift-test.log && ! grep -q 'WARNING: ThreadSanitizer' $(OUT)/tsan/swift-test.log

$(OUT)/bench_score: bench/bench_score.c bench/bench_util.h include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) bench/bench_score.c -o $@ $(LDLIBS_TEST)

$(OUT)/bench_score_source: bench/bench_score_source.c bench/bench_util.h include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

$(OUT)/nerq_assess_cli: bench/nerq_assess_cli.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

# The same program against the self-contained library (what the Python package ships).
$(OUT)/nerq_assess_cli_static: bench/nerq_assess_cli.c include/nerq.h | static $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ \
		-L.build-static/release -Wl,-rpath,$(CURDIR)/.build-static/release -lnerq $(shell pkg-config --libs jansson)

$(OUT)/bench_render: bench/bench_render.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

# Rendering every format of deno's 1,128-package assessment against printing its JSON (jansson).
bench-render: build $(OUT)/bench_render
	$(OUT)/bench_render ../shared/data/advisory-db ../shared/data/lockfiles/deno.Cargo.lock

bench: build $(OUT)/bench_score $(OUT)/bench_score_source $(OUT)/nerq_assess_cli $(OUT)/nerq_assess_cli_static $(OUT)/bench_render
	$(OUT)/bench_score examples/signals/nix-0.22.1.json
	$(OUT)/bench_score_source nix 0.26.1
	bench/bench_score_instructions.sh $(OUT)/bench_score examples/signals/nix-0.22.1.json
	python3 bench/bench_assess.py $(OUT)/nerq_assess_cli $(OUT)/nerq_assess_cli_static
	$(SWIFT) build -c release --product nerq-scan-bench
	.build/release/nerq-scan-bench /usr/share/cargo/registry --runs 5
	bench/bench_registry.sh
	$(OUT)/bench_render ../shared/data/advisory-db ../shared/data/lockfiles/deno.Cargo.lock

# How assess's cost grows with hostile lockfile shapes (1x..8x): dependency paths, reference resolution.
bench-scaling: build $(OUT)/nerq_assess_cli
	python3 bench/bench_scaling.py $(OUT)/nerq_assess_cli ../shared/data/advisory-db

# cargo nerq (the wheel's) against cargo audit on every shared lockfile, through cargo, warm, and the
# library alone on deno (bench/bench_e2e.py); prints the ratios and the machine's load.
bench-e2e: wheel $(OUT)/nerq_assess_cli_static
	python3 bench/bench_e2e.py $(OUT)/wheel/nerq-*.whl $(OUT)/nerq_assess_cli_static

# The registry collector alone: ingest of a full-size generated crates.io dump, lookups.
bench-registry:
	bench/bench_registry.sh

# The self-contained library and cargo-nerq (Swift's runtime linked in): they run where no Swift
# toolchain is.
install: static
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(STATIC_LIB) $(DESTDIR)$(PREFIX)/lib/libnerq.so
	install -m 0644 include/nerq.h $(DESTDIR)$(PREFIX)/include/nerq.h
	install -m 0644 include/nerq_version.h $(DESTDIR)$(PREFIX)/include/nerq_version.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define NERQ_VERSION "\(.*\)"/\1/p' include/nerq_version.h)|' \
		nerq.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/nerq.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/nerq/python/nerq
	install -m 0644 bindings/python/nerq/__init__.py bindings/python/nerq/_engine.py bindings/python/nerq/_ffi.py \
		bindings/python/nerq/py.typed $(DESTDIR)$(PREFIX)/lib/nerq/python/nerq/
	install -m 0755 $(STATIC_CARGO_NERQ) $(DESTDIR)$(PREFIX)/bin/cargo-nerq

# The wheel: bindings/python with the self-contained library (-static-stdlib) and cargo-nerq bundled
# (bindings/python/setup.py). Built in-tree without build isolation, so no index is needed (setuptools
# and wheel from `make deps`); bindings/python/build is scratch, removed before and after.
wheel: static | $(OUT)
	rm -rf $(OUT)/wheel bindings/python/build && mkdir -p $(OUT)/wheel
	NERQ_BUNDLE_LIBRARY=$(CURDIR)/$(STATIC_LIB) NERQ_BUNDLE_CARGO_NERQ=$(CURDIR)/$(STATIC_CARGO_NERQ) python3 -m pip wheel -q --no-deps --no-build-isolation -w $(OUT)/wheel ./bindings/python
	rm -rf bindings/python/build
	@ls $(OUT)/wheel/*.whl

python: wheel
	python3 -m pip install -q --force-reinstall --no-deps $(OUT)/wheel/nerq-*.whl

# The wheel installed into a fresh venv, as a user without Swift would (Tests/wheel/check.sh).
test-wheel: wheel demo-project
	Tests/wheel/check.sh $(OUT)/wheel

test-python: build
	python3 -m pytest -q bindings/python/tests

demo-project:
	examples/demo/setup.sh

test-cargo: build demo-project
	python3 -m pytest -q bindings/cargo/tests

# Every render format checked by outside tools (SARIF schema, Nu HTML Checker, markdown-it), and the
# pages in headless Chromium at 1280 and 390 px (screenshots in out/screenshots).
test-render: build
	python3 -m pytest -q Tests/render

test-pkgconfig:
	Tests/pkgconfig/check.sh

bench-cargo: build demo-project
	python3 bench/bench_cargo_nerq.py

clean:
	rm -rf .build .build-static .build-fuzz .build-asan .build-tsan $(OUT)

$(OUT)/nerq_score_example: bindings/c/nerq_score_example.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

# Scores the bundled example signals through the C API.
demo-signals: build $(OUT)/nerq_score_example
	$(OUT)/nerq_score_example examples/signals/*.json

# The advisory database for the demo: ../shared/data's snapshot when present, else cargo-audit's
# ~/.cargo/advisory-db (NERQ_ADVISORY_DB overrides both).
DEMO_DB ?= $(firstword $(NERQ_ADVISORY_DB) $(wildcard ../shared/data/advisory-db) $(HOME)/.cargo/advisory-db)

# The demo locks vulnerable versions on purpose, so cargo nerq's gate fails (exit 1, as cargo audit
# would); that is the demo working. Any other failure fails the target.
demo: build demo-project
	@cd examples/demo && PATH="$(CURDIR)/.build/release:$$PATH" cargo nerq --advisory-db $(abspath $(DEMO_DB)) --now 2026-11-21T00:00:00Z; \
	code=$$?; if [ $$code -eq 1 ]; then echo "make demo: cargo nerq exited 1 because its gate failed on the demo's vulnerabilities (a CI job would stop here)"; else exit $$code; fi

# --- Validity study (docs/validity.md, tools/validity) ----------------------------------------------
# Every librust-*-dev crate of Debian bookworm scored from its source by this tree's library, against
# its RustSec history; rewrites docs/validity.md. Long (downloads ~85 MB once), so not in `make test`.
# NERQ_VALIDITY_DIR holds what the run writes; VALIDITY_CACHE the .debs and their unpacked tree (point
# it at an existing cache to skip the download).
NERQ_VALIDITY_DIR ?= $(OUT)/validity
VALIDITY_CACHE ?= $(NERQ_VALIDITY_DIR)/cache
VALIDITY_ADVISORY_DB ?= ../shared/data/advisory-db

validity: build
	tools/validity/run.sh "$(VALIDITY_CACHE)" "$(NERQ_VALIDITY_DIR)" "$(VALIDITY_ADVISORY_DB)" $(LIB)

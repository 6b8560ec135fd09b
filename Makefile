# nerq — build, test, benchmark and install libnerq.so.
#   make deps      install what the build and tests need (Debian; apt-get as root)
#   make build     release libnerq.so in .build/release (exports only nerq_*, -z nodelete)
#   make static    self-contained libnerq.so (Swift runtime linked in) in .build-static/release
#   make test      every test: Swift, C (under valgrind), exported symbols, schemas
#   make bench     benchmarks, each as a ratio against a floor measured in the same run
#   make install PREFIX=/usr/local   (also cargo-nerq in PREFIX/bin, the Python binding in PREFIX/lib/nerq/python)
#   make python    pip install the Python binding with the self-contained library bundled
#   make demo      cargo nerq on the bundled demo project (examples/demo, resolved offline from Debian crates)

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

.PHONY: deps build static test test-swift test-c test-symbols bench install clean demo demo-signals \
	python test-python test-cargo test-pkgconfig bench-cargo demo-project bench-registry

deps:
	@scripts/deps.sh

build: deps
	$(SWIFT) build -c release --product nerq $(LINK_FLAGS)

static: deps
	$(SWIFT) build -c release --product nerq --scratch-path .build-static -Xswiftc -static-stdlib $(LINK_FLAGS)

$(OUT):
	mkdir -p $(OUT)

test: build $(OUT)
	@scripts/run-tests.sh

test-swift:
	$(SWIFT) test

$(OUT)/test_api: tests/c/test_api.c include/nerq.h $(LIB) | $(OUT)
	$(CC) $(CFLAGS_TEST) tests/c/test_api.c -o $@ $(LDLIBS_TEST)

test-c: $(OUT)/test_api
	$(VALGRIND) $(OUT)/test_api

test-symbols:
	@scripts/check-symbols.sh $(LIB)

$(OUT)/bench_score: bench/bench_score.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) bench/bench_score.c -o $@ $(LDLIBS_TEST)

$(OUT)/nerq_assess_cli: bench/nerq_assess_cli.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

bench: build $(OUT)/bench_score $(OUT)/nerq_assess_cli
	$(OUT)/bench_score examples/signals/nix-0.22.1.json
	bench/bench_score_instructions.sh $(OUT)/bench_score examples/signals/nix-0.22.1.json
	python3 bench/bench_assess.py $(OUT)/nerq_assess_cli
	$(SWIFT) build -c release --product nerq-scan-bench
	.build/release/nerq-scan-bench /usr/share/cargo/registry --runs 5
	bench/bench_registry.sh

# The registry collector alone: ingest of a full-size generated crates.io dump, lookups.
bench-registry:
	bench/bench_registry.sh

install: build
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIB) $(DESTDIR)$(PREFIX)/lib/libnerq.so
	install -m 0644 include/nerq.h $(DESTDIR)$(PREFIX)/include/nerq.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define NERQ_VERSION "\(.*\)"/\1/p' include/nerq.h)|' \
		nerq.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/nerq.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/nerq/python/nerq
	install -m 0644 bindings/python/nerq/__init__.py bindings/python/nerq/_engine.py bindings/python/nerq/_ffi.py \
		bindings/python/nerq/py.typed $(DESTDIR)$(PREFIX)/lib/nerq/python/nerq/
	install -m 0755 bindings/cargo/cargo-nerq $(DESTDIR)$(PREFIX)/bin/cargo-nerq

# pip install the binding with the self-contained library (-static-stdlib) bundled in the package.
# Staged in out/python so that bindings/python/nerq never holds a copy that would shadow the
# tree's .build/release/libnerq.so for the tests.
python: static | $(OUT)
	rm -rf $(OUT)/python && mkdir -p $(OUT)/python
	cp -R bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md bindings/python/nerq $(OUT)/python/
	rm -rf $(OUT)/python/nerq/__pycache__
	cp $(STATIC_LIB) $(OUT)/python/nerq/libnerq.so
	python3 -m pip install $(OUT)/python

test-python: build
	python3 -m pytest -q bindings/python/tests

demo-project:
	examples/demo/setup.sh

test-cargo: build demo-project
	python3 -m pytest -q bindings/cargo/tests

test-pkgconfig:
	tests/pkgconfig/check.sh

bench-cargo: build demo-project
	python3 bench/bench_cargo_nerq.py

clean:
	rm -rf .build .build-static $(OUT)

$(OUT)/nerq_score_example: bindings/c/nerq_score_example.c include/nerq.h $(LIB) | $(OUT)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -Iinclude $(shell pkg-config --cflags jansson) $< -o $@ $(LDLIBS_TEST)

# Scores the bundled example signals through the C API.
demo-signals: build $(OUT)/nerq_score_example
	$(OUT)/nerq_score_example examples/signals/*.json

# The advisory database for the demo: ../shared/data's snapshot when present, else cargo-audit's
# ~/.cargo/advisory-db (NERQ_ADVISORY_DB overrides both).
DEMO_DB ?= $(firstword $(NERQ_ADVISORY_DB) $(wildcard ../shared/data/advisory-db) $(HOME)/.cargo/advisory-db)

demo: build demo-project
	cd examples/demo && PATH="$(CURDIR)/bindings/cargo:$$PATH" cargo nerq --advisory-db $(abspath $(DEMO_DB)) --now 2026-11-21T00:00:00Z

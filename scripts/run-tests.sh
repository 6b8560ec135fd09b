#!/usr/bin/env bash
# Every test nerq has, in one run (make test). Exits non-zero if any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
status=0
step() { echo; echo "=== $*"; }

step "Swift tests (swift test)"
swift test 2>&1 | tee out/swift-test.log | grep -E '^(✘|✔ Test run|✘ Test run)|error:|Suite .* failed|Executed' || true
grep -qE '✔ Test run with [0-9]+ tests? .*passed' out/swift-test.log || { echo "swift test failed"; status=1; }

step "C API tests (under valgrind, definite leaks fail)"
rm -f out/docs.ndjson
make -s out/test_api
db=../shared/data/advisory-db
if [ -d "$db" ]; then export NERQ_TEST_ADVISORY_DB=$PWD/$db
elif [ "${CI:-}" = true ]; then echo "FAIL: ../shared/data is missing under CI"; status=1
else echo "shared data not found (../shared/data): the C tests skip the advisory snapshot"; fi
NERQ_TEST_DOCS=out/docs.ndjson make -s test-c || status=1

step "Bad input: the catalogue of docs/bad-input.md (under valgrind, definite leaks fail)"
make -s test-bad-input || status=1

step "Concurrency: one engine, 8 threads, mixed calls, byte-identical results"
make -s test-concurrency || status=1

step "Memory stays flat over 100,000 calls (make soak: a million)"
make -s test-soak || status=1

step "Same input, same bytes across runs"
out/test_api --dump > out/run1.json
out/test_api --dump > out/run2.json
out/test_api --dump-rendered > out/rendered1.txt
out/test_api --dump-rendered > out/rendered2.txt
if cmp -s out/run1.json out/run2.json && cmp -s out/rendered1.txt out/rendered2.txt; then echo "determinism: 2 passed, 0 failed"
else echo "determinism: outputs differ"; status=1; fi

step "Python ctypes loads the library"
python3 Tests/ctypes_smoke.py .build/release/libnerq.so examples/signals/nix-0.22.1.json || status=1

step "Python binding (pytest bindings/python/tests)"
python3 -m pytest -q bindings/python/tests || status=1

step "cargo nerq (pytest bindings/cargo/tests; examples/demo resolved offline from Debian crates)"
examples/demo/setup.sh || status=1
python3 -m pytest -q bindings/cargo/tests || status=1

step "Rendering: every format for the demo, the shared lockfiles and three crates; pages in headless Chromium (pytest Tests/render)"
python3 -m pytest -q Tests/render || status=1

step "The installed library through pkg-config (Tests/pkgconfig/check.sh)"
Tests/pkgconfig/check.sh || status=1

step "Exported symbols"
make -s test-symbols || status=1

step "Self-contained library (-static-stdlib), the one to ship"
make -s static >/dev/null || status=1
scripts/check-symbols.sh .build-static/release/libnerq.so || status=1
if ldd .build-static/release/libnerq.so | grep -q swift; then echo "FAIL: the static library still needs the Swift runtime"; status=1
else echo "static: no Swift runtime libraries needed"; fi
python3 Tests/ctypes_smoke.py .build-static/release/libnerq.so examples/signals/nix-0.22.1.json || status=1

step "The wheel in a fresh venv: no Swift runtime, cargo nerq on the demo, import nerq (Tests/wheel/check.sh)"
make -s wheel >/dev/null && Tests/wheel/check.sh out/wheel || status=1

step "Assessments of the shared lockfiles (through the C API)"
make -s out/nerq_assess_cli
rm -f out/assessments.ndjson
if [ -d ../shared/data/lockfiles ]; then
  for lock in ../shared/data/lockfiles/*.Cargo.lock; do
    out/nerq_assess_cli ../shared/data/advisory-db "$lock" >> out/assessments.ndjson || { echo "FAIL: assess $lock"; status=1; }
    echo >> out/assessments.ndjson
  done
  echo "assessments: $(grep -c . out/assessments.ndjson) written"
  # Same lockfile, same database, same bytes (sources scanned on all cores, advisories loaded in parallel).
  NERQ_NOW=2026-11-21T00:00:00Z out/nerq_assess_cli ../shared/data/advisory-db ../shared/data/lockfiles/tauri-2024-10.Cargo.lock > out/assess1.json
  NERQ_NOW=2026-11-21T00:00:00Z out/nerq_assess_cli ../shared/data/advisory-db ../shared/data/lockfiles/tauri-2024-10.Cargo.lock > out/assess2.json
  if cmp -s out/assess1.json out/assess2.json; then echo "assess determinism: 1 passed, 0 failed"
  else echo "FAIL: two assessments of the same lockfile differ"; status=1; fi
fi

step "Fuzz smoke pass: every regression input, then each target for ${FUZZ_SMOKE_SECONDS:-4} s (make fuzz for longer)"
make -s fuzz-build > out/fuzz-build.log 2>&1 || { tail -20 out/fuzz-build.log; echo "FAIL: fuzz build"; status=1; }
[ -x .build-fuzz/debug/nerq-fuzz ] && { Tests/fuzz/run.sh smoke || status=1; }

step "Schemas (every emitted document)"
# ... and the json format of the rendering tests (one document per file, as nerq_render wrote it)
python3 scripts/validate-schemas.py out/docs.ndjson out/run1.json $( [ -s out/assessments.ndjson ] && echo out/assessments.ndjson ) \
  $(ls out/render/demo.json out/render/lockfile-*.json out/render/crate-*.json out/render/preflight-*.json 2>/dev/null) || status=1

echo
if [ "$status" -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit "$status"

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
NERQ_TEST_DOCS=out/docs.ndjson make -s test-c || status=1

step "Same input, same bytes across runs"
out/test_api --dump > out/run1.json
out/test_api --dump > out/run2.json
if cmp -s out/run1.json out/run2.json; then echo "determinism: 1 passed, 0 failed"; else echo "determinism: outputs differ"; status=1; fi

step "Python ctypes loads the library"
python3 tests/ctypes_smoke.py .build/release/libnerq.so examples/signals/nix-0.22.1.json || status=1

step "Exported symbols"
make -s test-symbols || status=1

step "Schemas (every emitted document)"
python3 scripts/validate-schemas.py out/docs.ndjson out/run1.json || status=1

echo
if [ "$status" -eq 0 ]; then echo "ALL TESTS PASSED"; else echo "SOME TESTS FAILED"; fi
exit "$status"

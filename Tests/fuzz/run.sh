#!/usr/bin/env bash
# Runs nerq's libFuzzer targets (Tests/fuzz/harness, built by `make fuzz-build` into .build-fuzz).
#
#   Tests/fuzz/run.sh smoke            every regression input once, then each target for
#                                      FUZZ_SMOKE_SECONDS (default 4) on small seeds (make test)
#   Tests/fuzz/run.sh fuzz [TARGET..]  each target for FUZZ_SECONDS (default 60) on the full seeds,
#                                      keeping what it learns in out/fuzz/corpus/TARGET (make fuzz)
#
# A crash, a leak, a timeout (FUZZ_TIMEOUT, default 10 s per input) or an oracle violation fails
# the target; libFuzzer writes the input to out/fuzz/artifacts/TARGET/. Turn each one into a
# regression: copy it into Tests/fuzz/regressions/TARGET/ (replayed by every smoke pass) and fix.
# Prints one line per target with its executions, then "fuzz: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."

BIN=$(realpath -m "${FUZZ_BIN:-.build-fuzz/debug/nerq-fuzz}")
MODE=${1:-smoke}
shift || true
ALL="json score preflight assess assess_lockfile engine_new toml lockfile rustsec osv scan semver cvss index_cache registry_csv zip tar render config"
TARGETS=${*:-${FUZZ_TARGETS:-$ALL}}
# Absolute paths throughout: the fuzzer works inside a sandbox directory (NERQ_FUZZ_SANDBOX).
OUT=$PWD/out/fuzz
SHARED=$(realpath -m "${NERQ_SHARED_DATA:-../shared/data}")

[ -x "$BIN" ] || { echo "fuzz: $BIN is missing (make fuzz-build)"; exit 2; }

# The Swift runtime's own crash backtracer would race libFuzzer's and ASan's reports.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer || true)}
if [ -d "$SHARED/advisory-db" ]; then export NERQ_FUZZ_ADVISORY_DB=$SHARED/advisory-db; fi

case "$MODE" in
  smoke) seconds=${FUZZ_SMOKE_SECONDS:-4}; seeds=$OUT/seeds-small; seedflag=--small ;;
  fuzz)  seconds=${FUZZ_SECONDS:-60}; seeds=$OUT/seeds; seedflag= ;;
  *) echo "usage: $0 smoke|fuzz [TARGET...]"; exit 2 ;;
esac
rm -rf "$seeds"
mkdir -p "$OUT/dict" "$OUT/logs"
python3 Tests/fuzz/seeds.py "$seeds" --shared "$SHARED" $seedflag > "$OUT/logs/seeds.log" 2>&1 || { cat "$OUT/logs/seeds.log"; exit 2; }

dict_for() {
  case "$1" in
    json) echo json ;;
    score|preflight|assess|engine_new|render) echo "json signals" ;;
    osv) echo "json osv" ;;
    toml|config) echo toml ;;
    lockfile|assess_lockfile) echo "toml lockfile" ;;
    rustsec) echo "toml rustsec" ;;
    scan) echo rust ;;
    semver) echo semver ;;
    cvss) echo cvss ;;
    index_cache) echo "json semver" ;;
    registry_csv) echo csv ;;
    zip|tar) echo json ;;
  esac
}

max_len_for() {
  case "$1" in
    lockfile|toml|assess|render) echo 65536 ;;
    assess_lockfile|scan) echo 16384 ;;  # whole assessments, lexer+analyzer twice: slow per byte
    semver) echo 1024 ;;
    cvss) echo 512 ;;
    *) echo 16384 ;;
  esac
}

passed=0
failed=0
for t in $TARGETS; do
  log=$OUT/logs/$t.log
  : > "$log"
  dict=$OUT/dict/$t.dict
  (for d in $(dict_for "$t"); do cat "Tests/fuzz/dict/$d.dict"; done) > "$dict"
  export NERQ_FUZZ_SANDBOX=$OUT/sandbox/$t
  rm -rf "$NERQ_FUZZ_SANDBOX"
  mkdir -p "$NERQ_FUZZ_SANDBOX"
  artifacts=$OUT/artifacts/$t/
  mkdir -p "$artifacts"
  ok=1

  # 1. Every regression input, whole (no -max_len), once.
  regs=()
  if [ -d "Tests/fuzz/regressions/$t" ]; then
    while IFS= read -r -d '' f; do regs+=("$f"); done < <(find "$PWD/Tests/fuzz/regressions/$t" -type f ! -name '*.md' -print0 | sort -z)
  fi
  if [ "${#regs[@]}" -gt 0 ]; then
    NERQ_FUZZ_TARGET=$t "$BIN" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=4096 -artifact_prefix="$artifacts" "${regs[@]}" >> "$log" 2>&1 || ok=0
  fi

  # 2. Fuzz from the seeds (and, for `fuzz`, the corpus kept from earlier runs).
  if [ "$MODE" = smoke ]; then corpus=$OUT/smoke-corpus/$t; rm -rf "$corpus"; else corpus=$OUT/corpus/$t; fi
  mkdir -p "$corpus"
  NERQ_FUZZ_TARGET=$t "$BIN" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=4096 \
    -max_len="$(max_len_for "$t")" -dict="$dict" -artifact_prefix="$artifacts" -print_final_stats=1 \
    "$corpus" "$seeds/$t" >> "$log" 2>&1 || ok=0

  # A binary without coverage counters fuzzes blind: refuse it.
  if ! grep -q 'INFO: Loaded [0-9]* modules' "$log"; then echo "fuzz $t: the binary has no coverage instrumentation (rebuild: make fuzz-build)"; ok=0; fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
    printf 'fuzz %-16s ok      %9s execs in %ss  %s  regressions: %d\n' "$t" "${execs:-?}" "$seconds" "$cov" "${#regs[@]}"
  else
    failed=$((failed + 1))
    printf 'fuzz %-16s FAILED  %9s execs (log: %s, inputs: %s)\n' "$t" "${execs:-?}" "$log" "$artifacts"
    grep -E 'ORACLE VIOLATION|ERROR: |Fatal error|SUMMARY|Test unit written' "$log" | head -8 | sed 's/^/    /'
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

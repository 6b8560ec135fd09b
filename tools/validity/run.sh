#!/usr/bin/env bash
# run.sh CACHE WORK ADVISORY_DB LIBRARY  —  the validity study end to end (make validity).
#
#   CACHE        downloaded .debs (CACHE/debs) and their unpacked tree (CACHE/tree); reused
#   WORK         everything else the run writes: venv, crates.tsv, scores, labels, results, logs
#   ADVISORY_DB  the RustSec advisory-db snapshot the labels come from
#   LIBRARY      the libnerq.so to score with (make build's .build/release/libnerq.so)
# Writes docs/validity.md. Heavy steps run under `nice` (a shared machine); BLAS on one thread
# (the same sums in the same order, and no core taken from other builds).
set -euo pipefail
CACHE="$1"; WORK="$2"; DB="$3"; LIB="$4"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
mkdir -p "$CACHE" "$WORK/logs"
CACHE="$(cd "$CACHE" && pwd)"; WORK="$(cd "$WORK" && pwd)"; DB="$(cd "$DB" && pwd)"; LIB="$(realpath "$LIB")"
log() { echo "[validity] $*" >&2; }
step() { local name="$1"; shift; local t0=$SECONDS; log "$name"; "$@" 2> >(tee "$WORK/logs/$name.log" >&2); log "$name: $((SECONDS - t0)) s"; }
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 PYTHONHASHSEED=0

# The analysis' Python packages, pinned, in a venv of their own (rebuilt when the pins change).
VENV="$WORK/venv"
if ! cmp -s "$HERE/requirements.txt" "$VENV/requirements.txt" 2>/dev/null; then
  log "venv: $VENV (pip install -r tools/validity/requirements.txt)"
  rm -rf "$VENV" && python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
  cp "$HERE/requirements.txt" "$VENV/requirements.txt"
fi
PY="$VENV/bin/python"

start=$SECONDS
step fetch   "$HERE/fetch.sh" "$HERE/packages.tsv" "$CACHE"
step crates  nice -n 10 "$PY" "$HERE/crates.py" "$HERE/packages.tsv" "$CACHE" "$WORK"
for mode in withheld cut current; do
  db=(); [ "$mode" = withheld ] || db=("$DB")
  step "score-$mode" env NERQ_LIBRARY="$LIB" nice -n 10 "$PY" "$HERE/score.py" "$mode" "$WORK/crates.tsv" "$CACHE" "$WORK" \
    "$WORK/scores-$mode.jsonl" "${db[@]}"
done
step labels  "$PY" "$HERE/labels.py" "$DB" "$WORK/labels.json"
step analyze nice -n 10 "$PY" "$HERE/analyze.py" "$WORK" "$HERE/packages.tsv" "$HERE/v1-scores.tsv" "$WORK/results.json"
step report  "$PY" "$HERE/report.py" "$WORK/results.json" "$ROOT/docs/validity.md"
log "done in $((SECONDS - start)) s: docs/validity.md"

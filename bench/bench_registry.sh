#!/usr/bin/env bash
# bench_registry: the registry collector on a full-size crates.io dump (generated: the real one
# cannot be downloaded here) — 190,000 crates, 2 million versions, 20 million dependency rows.
#
#   1. ingest of db-dump.tar.gz and of the extracted folder into the SQLite store: wall time, CPU
#      time, peak memory (max RSS of the ingesting process); the floor beside it is
#      `gzip -dc | tar -xO > /dev/null` on the same tarball (decompressing and unpacking alone);
#   2. per-crate signal lookups (RegistryStore.signals) against a bare SQLite primary-key query of
#      the same crates on the same store (ratio); and alternatives per call.
#
# The dump is generated once (tools/gen_crates_dump.py, seed 1) under $NERQ_REGISTRY_BENCH_DATA
# (default /tmp/nerq-registry-bench) and reused while the generator is unchanged; it is never
# committed. NERQ_REGISTRY_BENCH_SIZE=medium|small for a quicker run.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${NERQ_REGISTRY_BENCH_DATA:-/tmp/nerq-registry-bench}
size=${NERQ_REGISTRY_BENCH_SIZE:-full}
dump=$data/$size
stamp="$size seed=1 $(sha256sum tools/gen_crates_dump.py | cut -c1-16)"
mkdir -p "$data"
if [ ! -f "$dump/db-dump.tar.gz" ] || [ "$(cat "$dump/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "generating the $size dump in $dump (once; a few minutes for full)..."
  rm -rf "$dump"
  start=$(date +%s.%N)
  python3 tools/gen_crates_dump.py --out "$dump" --seed 1 --size "$size" --tarball "$dump/db-dump.tar.gz"
  echo "$stamp" > "$dump/.stamp"
  echo "generated in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
fi
folder=$(find "$dump" -mindepth 1 -maxdepth 1 -type d -name '????-??-??-??????' | sort | tail -1)
echo "dump: $dump/db-dump.tar.gz ($(du -h "$dump/db-dump.tar.gz" | cut -f1)), folder $folder ($(du -sh "$folder" | cut -f1))"

swift build -c release --product nerq-registry-bench 2>&1 | grep -E "error|warning: unre" || true
bin=.build/release/nerq-registry-bench
store=$data/store-$size.sqlite

echo
echo "== floor: gzip -dc | tar -xO > /dev/null (same tarball)"
start=$(date +%s.%N)
gzip -dc "$dump/db-dump.tar.gz" | tar -xO > /dev/null
floor=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
echo "floor: $floor s"

echo
echo "== ingest: tarball"
out=$("$bin" ingest "$dump/db-dump.tar.gz" "$store")
echo "$out" | tail -1
tar_s=$(echo "$out" | tail -1 | sed -n 's/.* in \([0-9.]*\) s .*/\1/p')
echo "ratio to the floor: $(python3 -c "print(round($tar_s / $floor, 1))")x"

echo
echo "== ingest: extracted folder"
"$bin" ingest "$folder" "$store" | tail -1

echo
echo "== lookups"
"$bin" lookup "$store" 100000

#!/usr/bin/env bash
# Fails unless the library exports nerq_* and nothing else (its version script at work).
set -euo pipefail
lib=${1:?usage: check-symbols.sh libnerq.so}
all=$(nm -D --defined-only "$lib" | awk '{print $NF}')
extra=$(grep -v '^nerq_' <<<"$all" || true)
count=$(grep -c '^nerq_' <<<"$all" || true)
if [ -n "$extra" ]; then
  echo "FAIL: $lib exports symbols other than nerq_*:"; head -20 <<<"$extra"; exit 1
fi
# Exactly the functions include/nerq.h declares (the header is the contract; no count to keep in step).
header=$(dirname "$0")/../include/nerq.h
declared=$(grep -oE '\bnerq_[a-z0-9_]+ *\(' "$header" | sed 's/ *($//' | grep -v '^nerq_x_v2$' | sort -u)
exported=$(grep '^nerq_' <<<"$all" | sort -u)
[ "$declared" = "$exported" ] || { echo "FAIL: exported and declared functions differ:"; diff <(echo "$declared") <(echo "$exported"); exit 1; }
readelf -d "$lib" | grep -q 'NODELETE' || { echo "FAIL: $lib is not linked -z nodelete"; exit 1; }
echo "symbols: $lib exports exactly the $count nerq_* functions and is NODELETE"

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
[ "$count" -eq 14 ] || { echo "FAIL: expected 14 nerq_* symbols, found $count:"; echo "$all"; exit 1; }
readelf -d "$lib" | grep -q 'NODELETE' || { echo "FAIL: $lib is not linked -z nodelete"; exit 1; }
echo "symbols: $lib exports exactly the $count nerq_* functions and is NODELETE"

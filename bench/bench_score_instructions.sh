#!/usr/bin/env bash
# bench_score in instructions instead of seconds: callgrind counts every instruction of the floor
# (json_loads + json_dumps) and of nerq_score_str / nerq_score on the same document in one run.
# The counts repeat exactly whatever else the machine is doing, unlike wall time on 2 shared cores.
set -euo pipefail
bench=${1:?usage: bench_score_instructions.sh out/bench_score SIGNALS.json}
doc=${2:?usage: bench_score_instructions.sh out/bench_score SIGNALS.json}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" "$bench" "$doc" 300 1 >/dev/null 2>&1
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | python3 -c '
import re, sys
ir = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(.*?\)\s+(.*)$", line)
    if not m:
        continue
    n, name = int(m.group(1).replace(",", "")), m.group(2)
    for key, pat in [("loads", r"\bjson_loads \["), ("dumps", r"\bjson_dumps \["),
                     ("score_str", r":nerq_score_str$"), ("score", r":nerq_score \[")]:
        if re.search(pat, name) and key not in ir:
            ir[key] = n
floor = ir["loads"] + ir["dumps"]
calls = 300
print(f"bench_score (instructions, callgrind, {calls} calls each):")
s, j = ir["score_str"], ir["score"]
print(f"  floor  json_loads+json_dumps : {floor / calls:10.0f} instructions/call")
print(f"  nerq_score_str               : {s / calls:10.0f} instructions/call   ratio {s / floor:.2f}x floor (target <= 1.5x)")
print(f"  nerq_score (json_t)          : {j / calls:10.0f} instructions/call   ratio {j / floor:.2f}x floor")
'

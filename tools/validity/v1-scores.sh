#!/usr/bin/env bash
# v1-scores.sh CACHE WORK  —  regenerates tools/validity/v1-scores.tsv, the "before" of docs/validity.md.
#
# Methodology v1 is the library as of commit 25e6957 (the last commit before methodology v2). This
# builds that commit's library from git history in WORK/v1-src (git archive: no worktree, the
# checkout is untouched), scores every crate of WORK/crates.tsv with it exactly as score.py's
# withheld mode scores them with the current library, and writes each crate's v1 Trust Score and
# dimension scores. Not part of `make validity` (the table is kept in the repository so that the
# "before" does not need an old build); run it after `make validity` has made WORK/crates.tsv.
# The committed file reproduced the earlier study's v1 scores (its own copy of a v1 library)
# exactly, all 1,514 crates, every dimension.
set -euo pipefail
CACHE="$1"; WORK="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
V1=25e6957
rm -rf "$WORK/v1-src" && mkdir -p "$WORK/v1-src"
git -C "$ROOT" archive "$V1" | tar -x -C "$WORK/v1-src"
(cd "$WORK/v1-src" && nice -n 10 swift build -c release --product nerq -Xswiftc -use-ld=lld \
   -Xlinker -z -Xlinker nodelete -Xlinker --version-script="$WORK/v1-src/exports.map" >&2)
NERQ_LIBRARY="$WORK/v1-src/.build/release/libnerq.so" python3 "$HERE/score.py" withheld \
  "$WORK/crates.tsv" "$CACHE" "$WORK" "$WORK/scores-v1.jsonl"
python3 - "$WORK/scores-v1.jsonl" "$HERE/v1-scores.tsv" "$V1" <<'PY'
import json, sys
src, out, commit = sys.argv[1:4]
dims = ["security", "maintenance", "popularity", "quality", "community", "transparency", "reliability", "privacy"]
fmt = lambda x: "" if x is None else repr(float(x))
with open(out, "w") as f:
    f.write(f"# Methodology v1: the library at commit {commit}, advisories withheld (tools/validity/v1-scores.sh)\n")
    f.write("#name\tversion\ttrust_score\t" + "\t".join(dims) + "\n")
    for line in open(src):
        r = json.loads(line)
        d = {x["name"]: x["score"] for x in r["report"]["dimensions"]}
        f.write("\t".join([r["name"], r["version"], fmt(r["report"]["trust_score"])] + [fmt(d[k]) for k in dims]) + "\n")
PY
echo "[v1-scores] wrote $HERE/v1-scores.tsv" >&2

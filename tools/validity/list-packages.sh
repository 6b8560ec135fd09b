#!/usr/bin/env bash
# list-packages.sh [OUT]  —  writes the list of Debian packages the validity study scores.
#
# Every real librust-*-dev package apt knows (one line each: package, version, pool file name,
# sha256), sorted. `apt-cache dumpavail` prints only real packages (virtual provides such as
# librust-foo-0.3-dev have no stanza of their own); Debian's "+feature" packages
# (librust-foo+bar-dev) are real but empty metapackages that ship no source, so they are skipped.
#
# NOT run by `make validity`: the list is pinned in tools/validity/packages.tsv so that a rerun
# scores exactly the same packages (apt's lists change with every point release). It was made on
# Debian 12 bookworm with bookworm, bookworm-updates and bookworm-security (snapshot 2025-05-20).
set -euo pipefail
OUT="${1:-$(dirname "$0")/packages.tsv}"
{
  printf '#package\tversion\tfilename\tsha256\n'
  apt-cache dumpavail | awk -v OFS='\t' '
    /^Package: /{p=$2} /^Version: /{v=$2} /^Filename: /{f=$2} /^SHA256: /{s=$2}
    /^$/{ if (p ~ /^librust-.*-dev$/ && p !~ /\+/) print p, v, f, s; p=""; v=""; f=""; s="" }' | LC_ALL=C sort -u
} > "$OUT"
echo "[list-packages] $(grep -vc '^#' "$OUT") packages -> $OUT" >&2

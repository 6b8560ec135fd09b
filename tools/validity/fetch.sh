#!/usr/bin/env bash
# fetch.sh PACKAGES CACHE  —  the crate sources of the validity study, on disk, never installed.
#
# For every package of PACKAGES (tools/validity/packages.tsv): `apt-get download` its .deb into
# CACHE/debs (kept only when its sha256 matches the list), then `dpkg-deb -x` it into CACHE/tree.
# Nothing is installed: installing 1,500 -dev packages would upgrade system packages, and the
# crates would land in /usr/share/cargo/registry, where the library also looks.
#
# Idempotent: a .deb whose sha256 matches is not downloaded again, and a .deb already unpacked
# (marker CACHE/tree/.extracted/FILE.done) is not unpacked again, so a complete cache is only read.
# At most 2 downloads at once (shared machine). Failures are counted; any failure is fatal, because
# a study on a different set of crates would not reproduce docs/validity.md.
set -euo pipefail
PACKAGES="$1"
CACHE="$2"
DEBS="$CACHE/debs"
TREE="$CACHE/tree"
log() { echo "[fetch] $*" >&2; }
mkdir -p "$DEBS" "$TREE/.extracted"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

rows() { grep -v '^#' "$PACKAGES"; }
valid() { [ -s "$2" ] && echo "$1  $2" | sha256sum -c --status; }

# 1. Download what is missing or damaged, 40 packages per apt-get call (one apt start-up per
#    chunk, not per package), two calls at once.
have=0
while IFS=$'\t' read -r pkg ver fn sha; do
  deb="$DEBS/$(basename "$fn")"
  if valid "$sha" "$deb"; then have=$((have + 1)); else rm -f "$deb"; echo "$pkg=$ver" >> "$WORK/missing"; fi
done < <(rows)
touch "$WORK/missing"
log "$(rows | wc -l) packages: $have already downloaded, $(wc -l < "$WORK/missing") to download"
if [ -s "$WORK/missing" ]; then
  (cd "$DEBS" && xargs -a "$WORK/missing" -d '\n' -n 40 -P 2 \
     sh -c 'apt-get download -qq "$@" >/dev/null 2>&1 || true; echo "[fetch] downloaded a chunk of $#" >&2' _)
  # What a chunk did not deliver (one bad name fails the whole apt call) is tried one by one.
  failed=0
  while IFS=$'\t' read -r pkg ver fn sha; do
    deb="$DEBS/$(basename "$fn")"
    valid "$sha" "$deb" && continue
    rm -f "$deb"
    (cd "$DEBS" && apt-get download -qq "$pkg=$ver" >/dev/null 2>&1) || true
    valid "$sha" "$deb" || { failed=$((failed + 1)); log "FAILED: $pkg=$ver"; rm -f "$deb"; }
  done < <(rows)
  [ "$failed" -eq 0 ] || { log "$failed packages could not be downloaded"; exit 1; }
fi

# 2. Unpack what is not unpacked yet.
new=0
while IFS=$'\t' read -r pkg ver fn sha; do
  mark="$TREE/.extracted/$(basename "$fn").done"
  [ -e "$mark" ] && continue
  dpkg-deb -x "$DEBS/$(basename "$fn")" "$TREE"
  touch "$mark"
  new=$((new + 1))
  [ $((new % 200)) -eq 0 ] && log "unpacked $new"
done < <(rows)
log "unpacked $new new packages; $(ls "$TREE/usr/share/cargo/registry" | wc -l) crate directories in $TREE"

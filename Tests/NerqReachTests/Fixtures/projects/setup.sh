#!/usr/bin/env bash
# Prepares the reachability fixtures (docs/reachability.md) to resolve offline from Debian's packaged
# crate sources, as ReachTests and CompiledSetTests read them:
#   1. apt-get installs the librust-*-dev packages listed in each project's debian-packages.txt
#      (the Debian package of every registry package in its Cargo.lock; skipped when installed);
#   2. gives every crate dir in /usr/share/cargo/registry a .cargo-checksum.json (cargo requires one
#      of a directory source; a missing one is written as {"files":{}});
#   3. with --check, checks each committed Cargo.lock offline (cargo metadata --offline --locked;
#      each project's .cargo/config.toml replaces crates.io with /usr/share/cargo/registry).
# scripts/deps.sh runs steps 1 and 2.
set -euo pipefail
cd "$(dirname "$0")"
REGISTRY=/usr/share/cargo/registry
check=0
[ "${1:-}" = "--check" ] && check=1
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for list in */debian-packages.txt; do
  while read -r pkg; do
    [ -n "$pkg" ] || continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done < "$list"
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "reach fixtures: installing ${#missing[@]} Debian crate packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for dir in "$REGISTRY"/*/; do
  [ -f "$dir.cargo-checksum.json" ] || echo '{"files":{}}' | $sudo tee "$dir.cargo-checksum.json" >/dev/null
done
if [ "$check" -eq 1 ]; then
  for p in */; do
    p=${p%/}
    (cd "$p" && cargo metadata --offline --locked --format-version 1 >/dev/null) \
      && echo "reach fixtures: $p: Cargo.lock is valid offline ($(grep -c '^\[\[package\]\]' "$p/Cargo.lock") packages)"
  done
fi

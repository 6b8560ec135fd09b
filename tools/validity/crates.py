#!/usr/bin/env python3
"""crates.py PACKAGES CACHE WORK — which crate each Debian package ships, and where to scan it.

For every package of PACKAGES (packages.tsv): its crate directories under
usr/share/cargo/registry (from the .deb's own file list, `dpkg-deb -c`: the unpacked tree alone
cannot say which package a directory came from), each crate's name and version from its own
Cargo.toml, and the date of the package's newest Debian changelog entry (the prospective variant
drops packages rebuilt after the cut). Writes WORK/crates.tsv, sorted by name, version.

The library finds a crate in a vendor directory as DIR/NAME-VERSION (then DIR/NAME). Debian names
a few directories otherwise (md-0.10.1 holds md-5 0.10.1; zstd-sys-2.0.1+zstd.1.5.2 holds
2.0.1+zstd.1.5.2 under a different spelling; harfbuzz-sys-0.5.0+really.0.4.1 holds 0.4.1): those
get a copy named NAME-VERSION in WORK/renamed, a second vendor directory. Without it they would
silently have no source. A crate shipped by two packages (same name and version) is kept once,
from the first package in sorted order.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tomllib
from email.utils import parsedate_to_datetime

REGISTRY = os.path.join("usr", "share", "cargo", "registry")


def log(*a):
    print("[crates]", *a, file=sys.stderr, flush=True)


def crate_dirs(deb):
    """The top-level directories under usr/share/cargo/registry in the .deb."""
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    dirs = set()
    for line in listing.splitlines():
        parts = line.split(None, 5)[-1].split(" -> ")[0].lstrip("./").split("/")
        if len(parts) >= 5 and parts[:4] == ["usr", "share", "cargo", "registry"] and parts[4]:
            dirs.add(parts[4])
    return sorted(dirs)


def identity(crate_dir):
    with open(os.path.join(crate_dir, "Cargo.toml"), "rb") as f:
        package = tomllib.load(f)["package"]
    return package["name"], str(package["version"])


_TRAILER = re.compile(r"^ -- .*?>\s+(.+)$")


def newest_changelog_date(tree, package):
    """Date (YYYY-MM-DD) of the first trailer line of the package's changelog.Debian.gz, or ''."""
    path = os.path.join(tree, "usr", "share", "doc", package, "changelog.Debian.gz")
    if not os.path.isfile(path):
        return ""
    with gzip.open(path, "rt", errors="replace") as f:
        for line in f:
            m = _TRAILER.match(line)
            if m:
                return parsedate_to_datetime(m.group(1).strip()).date().isoformat()
    return ""


def main():
    packages, cache, work = sys.argv[1:4]
    tree = os.path.join(cache, "tree")
    registry = os.path.join(tree, REGISTRY)
    renamed = os.path.join(work, "renamed")
    if os.path.isdir(renamed):
        shutil.rmtree(renamed)
    os.makedirs(renamed)
    with open(packages) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#")]
    crates, seen = [], set()
    for k, (package, deb_version, filename, _sha) in enumerate(sorted(rows)):
        dirs = crate_dirs(os.path.join(cache, "debs", os.path.basename(filename)))
        if not dirs:
            raise SystemExit(f"{package}: ships no crate directory")
        built = newest_changelog_date(tree, package)
        for d in dirs:
            name, version = identity(os.path.join(registry, d))
            if (name, version) in seen:
                log(f"{package}: {name} {version} already shipped by another package: kept once")
                continue
            seen.add((name, version))
            root = "tree"
            if d != f"{name}-{version}":
                shutil.copytree(os.path.join(registry, d), os.path.join(renamed, f"{name}-{version}"), symlinks=True)
                root = "renamed"
                log(f"{package}: directory {d} holds {name} {version}: scanned from a copy named {name}-{version}")
            crates.append((name, version, package, deb_version, d, root, built))
        if (k + 1) % 250 == 0:
            log(f"listed {k + 1}/{len(rows)} packages")
    crates.sort()
    with open(os.path.join(work, "crates.tsv"), "w") as f:
        f.write("#name\tversion\tpackage\tdeb_version\tdirectory\tscanned_from\tchangelog_date\n")
        for c in crates:
            f.write("\t".join(c) + "\n")
    log(f"{len(crates)} crates from {len(rows)} packages -> {work}/crates.tsv")


if __name__ == "__main__":
    main()

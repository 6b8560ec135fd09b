#!/usr/bin/env python3
"""Fetch times and sizes against the local test server (Tests/fetch_server.py on 127.0.0.1, a site
built from ../shared/data), through libnerq's nerq_fetch: the advisory-db as a git clone (git's
dumb HTTP and file://) and as a tarball, OSV's export as a zip, the index files of the demo's 15
crates.io packages, and a generated dump; each first cold, then revalidated.

    make build && python3 bench/bench_fetch.py [--runs 3]

Times are wall-clock medians of the runs, each into a fresh cache (revalidation: the same cache
again). Loopback numbers: they measure nerq's own work (download, extraction, checking the new
copy, atomic replace), not a real network.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bindings" / "python"))
sys.path.insert(0, str(REPO / "Tests"))
import nerq  # noqa: E402
import fetch_server  # noqa: E402

NETWORK = {"tries": 1, "retry_delay_ms": 10}


def timed(request):
    t = time.monotonic()
    doc = nerq.fetch(request)
    elapsed = time.monotonic() - t
    s = doc["sources"][0]
    if s["status"] == "failed":
        raise SystemExit(f"{s['source']} failed: {s['error']}")
    return elapsed, s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shared", default=str(REPO.parent / "shared" / "data"))
    args = ap.parse_args()
    for k in ("NERQ_CACHE_DIR", "NERQ_ADVISORY_DB", "CARGO_NET_OFFLINE"):
        os.environ.pop(k, None)
    work = Path(tempfile.mkdtemp(prefix="nerq-bench-fetch-"))
    os.environ["HOME"] = str(work / "home")
    os.environ["CARGO_HOME"] = str(work / "cargo")
    site = work / "site"
    built = fetch_server.build_site(site, args.shared)
    httpd, port = fetch_server.start(site)
    base = f"http://127.0.0.1:{port}"
    lock = REPO / "examples" / "demo" / "Cargo.lock"
    cases = [
        ("advisory-db, git clone (dumb HTTP)", {"advisory_db": {}}, {"advisory_db_url": f"{base}/git/advisory-db.git"}),
        ("advisory-db, git clone (file://)", {"advisory_db": {}}, {"advisory_db_url": f"file://{site}/git/advisory-db.git"}),
        ("advisory-db, tarball", {"advisory_db": {}}, {"advisory_db_url": f"{base}/advisory-db.tar.gz"}),
        ("OSV export, zip (RustSec + GHSA + MAL)", {"osv": {}}, {"osv_url": f"{base}/osv/crates.io/all.zip"}),
        ("sparse index, the demo's 15 packages", {"index": {"lockfile": str(lock)}}, {"index_url": f"{base}/index/"}),
        ("crates.io dump (generated, 300 crates)", {"dump": {}}, {"db_dump_url": f"{base}/dump/db-dump.tar.gz"}),
    ]
    print(f"site built in {sum(built.values()):.1f} s: " + ", ".join(f"{k} {v:.2f} s" for k, v in built.items()))
    print(f"{'source':42} {'bytes':>11} {'cold':>8} {'again':>8}  on disk after")
    try:
        for k, (name, sources, urls) in enumerate(cases):
            cold, again = [], []
            size, disk = None, None
            for run in range(args.runs):
                cache = work / f"cache-{k}-{run}"
                request = {"sources": sources, "cache_dir": str(cache), "network": NETWORK, **urls}
                t, s = timed(request)
                cold.append(t)
                size = s.get("bytes")
                disk = du(Path(s["path"])) if s.get("path") else None
                t2, s2 = timed(request)
                assert s2["status"] in ("not_modified", "fetched"), s2
                again.append(t2)
            shown = f"{size:,}" if size else "(git)"
            print(f"{name:42} {shown:>11} {statistics.median(cold):7.2f}s {statistics.median(again):7.2f}s  {human(disk)}")
        # git fetch of one new commit into an existing clone
        cache = work / "cache-git-update"
        request = {"sources": {"advisory_db": {}}, "cache_dir": str(cache), "network": NETWORK,
                   "advisory_db_url": f"{base}/git/advisory-db.git"}
        timed(request)
        fetch_server.advance_git(site)
        t, s = timed(request)
        print(f"{'advisory-db, git fetch of one new commit':42} {'(git)':>11} {t:7.2f}s {'':>8}  status {s['status']}")
    finally:
        fetch_server.stop(httpd)


def du(path):
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else None


def human(n):
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.1f} {unit}" if unit != "B" else f"{n} B"
        n /= 1024
    return f"{n:.1f} TiB"


if __name__ == "__main__":
    main()
